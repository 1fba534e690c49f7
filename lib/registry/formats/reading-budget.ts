// What reading one prompt file may cost, so that an import from anyone cannot stall the server. Handlebars'
// parser spends about 50 µs a tag (a file is parsed twice), Lectern's own Mustache parser and the tree checks
// about as much again: cost follows the number of tags, not the characters, so tags are counted first, in one
// pass, and a file past the budget is refused before any parser runs. The files that pass are read one at a
// time per process, giving the event loop back between steps: a burst of imports waits in turn instead of
// holding every other request behind it. YAML aliases are refused before anything is expanded (a "billion
// laughs" file is a few lines), as SKILL.md frontmatter refuses them.
import YAML from "yaml";
import { AppError } from "../../errors";
import { refuse } from "./ir";

/** Tags (`{{…}}`) one file may hold: far beyond a hand-written prompt, and about 50 ms per parse. */
export const maxFileTags = 1_000;
/** Files waiting for their turn in one process; past it, 429. */
export const maxFilesWaiting = 8;

/** How many tags a text holds (every Handlebars and Mustache construct opens with `{{`), in one pass. */
export function tagCount(text: string): number {
  let tags = 0;
  for (let i = text.indexOf("{{"); i >= 0; i = text.indexOf("{{", i + 2)) tags++;
  return tags;
}

/** Refuses a file whose templates hold more than maxFileTags tags, before any of them is parsed. */
export function checkTagBudget(tags: number, field: string): void {
  if (tags > maxFileTags)
    refuse(
      "tags",
      `${tags.toLocaleString("en-US")} tags ({{…}}): a file may hold at most ${maxFileTags.toLocaleString("en-US")} (its reading budget)`,
      field,
    );
}

/** Refuses a YAML document holding an alias (`*name`), before it is turned into values. */
export function refuseYamlAliases(doc: YAML.Document, field: string): void {
  let found = false;
  YAML.visit(doc, {
    Alias() {
      found = true;
      return YAML.visit.BREAK;
    },
  });
  if (found)
    refuse(
      "yaml-alias",
      "YAML aliases (*name) are not allowed: a file needs none, and they can expand without bound",
      field,
    );
}

/** A turn of the event loop for other requests, between two steps of reading a file. */
export const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let reading = false;
const waiting: (() => void)[] = [];

/** Runs `read` when no other file is being read in this process; refuses (429) when too many already wait. */
export async function inTurn<T>(read: () => Promise<T>): Promise<T> {
  if (reading) {
    if (waiting.length >= maxFilesWaiting)
      throw new AppError(
        "rate_limited",
        `${maxFilesWaiting} prompt files are already waiting to be read on this server; try again in a few seconds`,
        { limit: maxFilesWaiting, retryAfterSeconds: 5 },
      );
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  reading = true;
  try {
    return await read();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else reading = false;
  }
}
