"use client";

import { useEffect } from "react";
import { useToast } from "@/components/ui/toast";

const key = "lectern.welcome";

/** Called on joining a project: its first page greets the newcomer once. */
export function markWelcome(projectSlug: string) {
  try {
    sessionStorage.setItem(key, projectSlug);
  } catch {
    // Storage may be unavailable (private mode); the welcome is a nicety.
  }
}

/** Greets someone who has just joined this project through an invitation. */
export function WelcomeToast({ slug, projectName, role }: { slug: string; projectName: string; role: string }) {
  const toast = useToast();
  useEffect(() => {
    let joined: string | null = null;
    try {
      joined = sessionStorage.getItem(key);
      if (joined === slug) sessionStorage.removeItem(key);
    } catch {
      return;
    }
    if (joined === slug)
      toast.show(`Welcome to ${projectName}! You joined as ${role}: your prompts and your team's are listed here.`);
  }, [slug, projectName, role, toast]);
  return null;
}
