const looks = {
  text: "text-sm text-red-800",
  box: "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800",
};

/** A form's or a panel's error line, announced as it appears; nothing when there is no message. */
export function AlertLine({
  message,
  look = "text",
  className,
}: {
  message: string | null | undefined;
  look?: keyof typeof looks;
  /** Extra classes, such as a grid span or a margin. */
  className?: string;
}) {
  if (!message) return null;
  return (
    <p role="alert" className={className ? `${looks[look]} ${className}` : looks[look]}>
      {message}
    </p>
  );
}
