// Module hooks for preload.mjs: the `skills` package's imports of fs/promises get fs-promises.mjs instead.
const shim = new URL("./fs-promises.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  const fromSkills = context.parentURL?.includes("/node_modules/skills/") ?? false;
  if (fromSkills && (specifier === "fs/promises" || specifier === "node:fs/promises"))
    return { url: shim, shortCircuit: true };
  return next(specifier, context);
}
