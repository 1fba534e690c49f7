"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => {};

/** False while rendering on the server and hydrating, true after: charts draw in local time and at the browser's width. */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
