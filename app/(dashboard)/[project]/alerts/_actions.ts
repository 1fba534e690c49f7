"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acknowledgeAlert } from "@/lib/evaluation/online/alerts";
import { actionFrom } from "@/lib/server/actions/action";
import * as platform from "@/lib/server/http/endpoints/platform";

/** Marks alerts as seen (editors and above); acknowledging one twice changes nothing. */
export const acknowledgeAlertsAction = actionFrom(
  platform.acknowledgeAlert,
  z.object({ ids: z.array(z.string().max(64)).min(1).max(500) }),
  async (c, input) => {
    for (const id of input.ids) await acknowledgeAlert(c.domain, id);
    revalidatePath(`/${c.project.slug}`, "layout");
    // REST answers 204 for each: nothing.
  },
);
