// Node 20's fs/promises with the `glob` Node 22 added, as a function that says it is missing (preload.mjs).
import * as fsp from "node:fs/promises";

export * from "node:fs/promises";
export default fsp;

export async function* glob() {
  throw new Error("fs/promises glob needs Node 22: the skills CLI's local-folder sources are not shimmed here");
}
