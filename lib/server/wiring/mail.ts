import "server-only";
import { headers } from "next/headers";
import nodemailer from "nodemailer";
import { env } from "./env";
import { processSingleton } from "./singleton";

// Outgoing mail (invitations, password resets) over SMTP_URL. Without it, links are shown to the
// admin who asked for them instead (when that is safe; see lib/auth/passwords.ts).

export const mailConfigured = () => Boolean(env().SMTP_URL);

export async function sendMail(msg: { to: string; subject: string; text: string }): Promise<void> {
  const url = env().SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set");
  const transport = processSingleton("mailTransport", () => nodemailer.createTransport(url));
  await transport.sendMail({ from: env().LECTERN_MAIL_FROM, ...msg });
}

/** The public base URL for links in mail and on screen: NEXTAUTH_URL, else the request's own host. */
export async function publicBaseUrl(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host") || `localhost:${env().PORT}`;
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}
