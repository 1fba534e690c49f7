"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { createPasswordReset } from "@/lib/auth/passwords";
import { reserveFixedWindow } from "@/lib/auth/signin-limits";
import { emailInput, findUserByEmail } from "@/lib/auth/users";
import { AppError } from "@/lib/errors";
import { publicAction } from "@/lib/server/actions/action";
import { assertPasswordsOn, requestIp } from "@/lib/server/wiring/auth";
import { mailConfigured, publicBaseUrl, sendMail } from "@/lib/server/wiring/mail";

const same =
  "If an account exists for that email, a link to choose a new password is on its way. It works once, for an hour.";

/** Self-service reset: by email only, the same answer whether or not the account exists, rate-limited. */
export const requestResetAction = publicAction(z.object({ email: emailInput }), async ({ db }, { email }) => {
  assertPasswordsOn();
  if (!mailConfigured())
    throw new AppError("unavailable", "This Lectern cannot send email. Ask an admin of your project for a reset link.");
  const ip = requestIp(await headers());
  for (const [key, max, seconds] of [
    ...(ip ? ([[`reset:ip:${ip}`, 5, 900]] as const) : []),
    [`reset:email:${email}`, 3, 3600],
  ] as const) {
    const r = await reserveFixedWindow(db, key, max, seconds);
    if (!r.ok)
      throw new AppError("rate_limited", `Too many requests. Try again in ${r.retryAfterSeconds} seconds.`, {
        retryAfterSeconds: r.retryAfterSeconds,
      });
  }
  const user = await findUserByEmail(db, email);
  if (user && !user.disabledAt) {
    const reset = await createPasswordReset({ db, actor: { type: "system", label: "self-service reset" } }, user.id);
    await sendMail({
      to: reset.email,
      subject: "Reset your Lectern password",
      text: `Someone asked to reset the password of ${reset.email}. If it was you, choose a new one: ${await publicBaseUrl()}/reset/${reset.token}\n\nThe link works once and expires in an hour. If it was not you, ignore this message.`,
    });
  }
  return { message: same };
});
