// PromptLayer's clients carry integer ids (a template's `id`, which `run()` sends back as `prompt_id`; a
// version's `prompt_version_id`). Lectern's rows have UUIDs: the integer is the UUID's first 52 bits, stable
// and below 2^53, so JavaScript reads it exactly. Two prompts of one project sharing them is a 1-in-2^52
// event per pair; a lookup that finds two is refused rather than guessed (promptByIntegerId).
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { AppError } from "../../errors";

const hexDigits = 13; // 52 bits

/** The integer PromptLayer's clients see for a row's UUID. */
export const integerIdOf = (uuid: string): number => parseInt(uuid.replaceAll("-", "").slice(0, hexDigits), 16);

/** The prompt of this project whose integer id is `id` (name and UUID), or undefined. */
export async function promptByIntegerId(
  db: Db,
  projectId: string,
  id: number,
): Promise<{ id: string; name: string } | undefined> {
  if (!Number.isSafeInteger(id) || id < 0) return undefined;
  const rows = await queryRows<{ id: string; name: string }>(
    db,
    sql`select id, name from prompts where project_id = ${projectId} and archived_at is null
          and ('x' || left(replace(id::text, '-', ''), ${hexDigits}))::bit(52)::bigint = ${id}`,
  );
  if (rows.length > 1)
    throw new AppError("conflict", `Prompt id ${id} is ambiguous in this project: name the prompt instead.`, {
      field: "prompt_id",
    });
  return rows[0];
}
