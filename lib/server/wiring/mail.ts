import "server-only";
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

/**
 * The public base URL for links in mail, on screen and in answers (skills URLs): NEXTAUTH_URL, else the local
 * address the server listens on. Never a request's Host or X-Forwarded-Host: anyone can send those, and a reset
 * link or a skills URL built from them would point at their server.
 */
export async function publicBaseUrl(): Promise<string> {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  return `http://localhost:${env().PORT}`;
}
