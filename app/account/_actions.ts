"use server";

import { z } from "zod";
import { changePassword, changePasswordInput } from "@/lib/auth/passwords";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { userAction } from "@/lib/server/actions/action";
import { currentSessionId } from "@/lib/server/wiring/session";

// Your own account: a new password (ends your other sessions), or ending the other sessions only.
export const changePasswordAction = userAction(changePasswordInput, async ({ db, user }, input) =>
  changePassword(db, user.id, input, await currentSessionId()),
);

export const signOutOthersAction = userAction(z.object({}), async ({ db, user }) => ({
  sessionsEnded: await revokeUserSessions(db, user.id, { except: await currentSessionId() }),
}));
