"use client";
import { useEffect } from "react";

/**
 * Marks the document once React has hydrated the page (`<html data-hydrated>`): from then on what is on
 * the screen is what the page's client code made of it. The browser tests wait for this mark instead of
 * for a quiet network before they measure a page.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}
