"use client";

import { useRouter } from "next/navigation";
import { GatedButton } from "@/components/ui/gated-button";

export function NewPromptButton({ slug, blockedReason }: { slug: string; blockedReason: string | null }) {
  const router = useRouter();
  return (
    <GatedButton blockedReason={blockedReason} onClick={() => router.push(`/${slug}/new`)}>
      New prompt
    </GatedButton>
  );
}
