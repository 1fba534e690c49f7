// Resolves "fs" for modules outside Node itself (the suite and its dependencies) to Node's fs plus globSync.
const shim = new URL("./fs-glob.mjs", import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (
    (specifier === "fs" || specifier === "node:fs") &&
    context.parentURL !== shim &&
    Number(process.versions.node.split(".")[0]) < 22
  )
    return { url: shim, shortCircuit: true };
  return next(specifier, context);
}
