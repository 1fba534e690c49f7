import { Button } from "@/components/ui/button";

/** The "Cancel" of a dialog's footer. */
export function CancelButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="secondary" onClick={onClick}>
      Cancel
    </Button>
  );
}
