import "server-only";
import type { EventSink } from "@/lib/announcements";
import { getRuntime } from "./runtime-wiring";

/** Where registry and release changes are announced: the invalidation bus (caches, SSE, other instances). */
export async function getEvents(): Promise<EventSink> {
  return (await getRuntime()).bus;
}
