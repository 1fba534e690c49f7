"use client";

import { RouteError } from "../_components/route-error";

export default function Error(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <RouteError {...props} what="the rollouts" />;
}
