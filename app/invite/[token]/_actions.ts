"use server";

import { z } from "zod";
import { acceptInvitation } from "@/lib/auth/invitations";
import { AppError } from "@/lib/errors";
import { publicAction } from "@/lib/server/http/action";
import { assertPasswordsOn } from "@/lib/server/wiring/auth";

// Redeeming an invitation: as a new account (name and password of the invitee's choosing), or,
// when the email already has an account, signed in as it.
export const acceptInvitationAction = publicAction(
  z.object({
    token: z.string().max(100),
    name: z.string().max(100).optional(),
    password: z.string().max(200).optional(),
  }),
  async ({ db, user }, input) => {
    if (input.password !== undefined) {
      assertPasswordsOn();
      return acceptInvitation(db, input.token, { account: { name: input.name ?? "", password: input.password } });
    }
    if (!user) throw new AppError("unauthorized", "Sign in first, then open the invitation link again.");
    return acceptInvitation(db, input.token, { signedInUserId: user.id });
  },
);
