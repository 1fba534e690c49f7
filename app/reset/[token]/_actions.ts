"use server";

import { z } from "zod";
import { resetPassword } from "@/lib/auth/passwords";
import { passwordInput } from "@/lib/auth/users";
import { publicAction } from "@/lib/server/actions/action";
import { assertPasswordsOn } from "@/lib/server/wiring/auth";

export const resetPasswordAction = publicAction(
  z.object({ token: z.string().max(100), password: passwordInput }),
  async ({ db }, input) => {
    assertPasswordsOn();
    return resetPassword(db, input.token, input.password);
  },
);
