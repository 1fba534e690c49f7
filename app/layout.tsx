import type { Metadata } from "next";
import { connection } from "next/server";
import { HydrationMark } from "@/components/hydration-mark";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lectern", template: "%s · Lectern" },
  description: "Prompt management: versions, environments, review, rollback, experiments and evaluation.",
};

// Every page renders per request: the CSP nonce (proxy.ts) can only be applied to dynamic pages.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <HydrationMark />
      </body>
    </html>
  );
}
