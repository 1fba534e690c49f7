"use server";

import { z } from "zod";
import { acceptInvitation, acceptInvitationInput } from "@/lib/auth/invitations";
import { AppError } from "@/lib/errors";
import { publicAction } from "@/lib/server/actions/action";
import { assertPasswordsOn } from "@/lib/server/wiring/auth";

// Redeeming an invitation: as a new account (name and password of the invitee's choosing), or,
// when the email already has an account, signed in as it (no name, no password).
export const acceptInvitationAction = publicAction(
  acceptInvitationInput.partial().extend({ token: z.string().max(100) }),
  async ({ db, user }, input) => {
    if (input.password !== undefined) {
      assertPasswordsOn();
      return acceptInvitation(db, input.token, { account: { name: input.name ?? "", password: input.password } });
    }
    if (!user) throw new AppError("unauthorized", "Sign in first, then open the invitation link again.");
    return acceptInvitation(db, input.token, { signedInUserId: user.id });
  },
);
