"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { removeItemsAction } from "../../_actions";

export function ItemActions({ slug, dataset, itemId }: { slug: string; dataset: string; itemId: string }) {
  const router = useRouter();
  const toast = useToast();
  async function remove() {
    const r = await removeItemsAction(slug, { dataset, ids: [itemId] });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Removed; the dataset is now at version ${r.data.version}.`);
    router.refresh();
  }
  return (
    <Button size="sm" variant="ghost" onClick={() => void remove()}>
      Remove
    </Button>
  );
}
