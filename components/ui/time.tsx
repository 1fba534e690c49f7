"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => {};
const pad = (n: number) => String(n).padStart(2, "0");
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function format(d: Date, utc: boolean) {
  const [y, mo, day, h, mi] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()];
  return `${day} ${months[mo]} ${y}, ${pad(h)}:${pad(mi)}${utc ? " UTC" : ""}`;
}

/**
 * A date and time in the reader's time zone. The server renders UTC (it cannot know the zone); the
 * browser switches to local time after hydration, in text of the same length.
 */
export function Time({ value, className }: { value: string | Date; className?: string }) {
  const client = useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
  const d = typeof value === "string" ? new Date(value) : value;
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()} className={className}>
      {format(d, !client)}
    </time>
  );
}
