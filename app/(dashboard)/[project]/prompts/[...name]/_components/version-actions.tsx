"use client";

import { encodePromptName } from "@/lib/registry/name-rules";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { Actor } from "@/lib/auth/permissions";
import { blockedReason } from "@/components/blocked-reasons";
import { GatedButton } from "@/components/ui/gated-button";
import { ReleaseDialog, type ReleaseMode } from "./release-dialog";
import type { EnvironmentView, VersionOption } from "./types";

/** Per-version shortcuts: edit from it, promote it, ask for its review. */
export function VersionActions({
  slug,
  prompt,
  version,
  actor,
  environments,
  versions,
}: {
  slug: string;
  prompt: string;
  version: number;
  actor: Actor;
  environments: EnvironmentView[];
  versions: VersionOption[];
}) {
  const router = useRouter();
  const [open, setOpen] = useState<ReleaseMode | null>(null);
  const editBlocked = blockedReason(actor, "version.create");
  // Promoting is allowed to somewhere unless the role cannot deploy even to unprotected environments.
  const promoteBlocked = blockedReason(actor, "deploy.unprotected");
  const target = environments.find((e) => !e.protected)?.name ?? environments[0]?.name ?? "production";
  return (
    <>
      <GatedButton
        size="sm"
        variant="ghost"
        blockedReason={editBlocked}
        onClick={() => router.push(`/${slug}/edit/${encodePromptName(prompt)}?version=${version}`)}
      >
        Edit from v{version}
      </GatedButton>
      <GatedButton size="sm" variant="ghost" blockedReason={promoteBlocked} onClick={() => setOpen("promote")}>
        Promote v{version}…
      </GatedButton>
      {open ? (
        <ReleaseDialog
          actor={actor}
          open
          onClose={() => setOpen(null)}
          mode={open}
          slug={slug}
          prompt={prompt}
          environments={environments}
          initialEnvironment={target}
          initialVersion={version}
          versions={versions}
        />
      ) : null}
    </>
  );
}
