"use client";

import { useRouter } from "next/navigation";
import { useToast } from "@/components/ui/toast";

/** The end of a dialog's action that succeeded: `done(message)` says what happened, closes it and reloads the page's data. */
export function useDone(onClose: () => void) {
  const router = useRouter();
  const toast = useToast();
  return (message: string) => {
    toast.show(message);
    onClose();
    router.refresh();
  };
}
