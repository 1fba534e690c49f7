import Link from "next/link";

/** Open online-evaluation alerts on this prompt: how many, the first one's message and where to look. */
export function AlertsBanner({ alerts }: { alerts: { severity: string; message: string; link: string }[] }) {
  if (!alerts.length) return null;
  return (
    <div
      role="status"
      data-testid="prompt-alerts"
      className={`rounded-md border p-3 text-sm ${alerts.some((a) => a.severity === "critical") ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
    >
      <p className="font-medium">
        {alerts.length === 1 ? "An open alert" : `${alerts.length} open alerts`} from online evaluation
      </p>
      <p className="mt-0.5">{alerts[0]!.message}</p>
      <Link href={alerts[0]!.link} className="mt-1 inline-block font-medium underline">
        See the evaluation
      </Link>
    </div>
  );
}
