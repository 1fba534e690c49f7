// TypeScript declarations for @lectern/sdk's PromptRegistry (module augmentation): prompt name →
// type and variables, so getPrompt only takes known names and render() takes exactly their variables.
// Output is deterministic (sorted, no dates, no version numbers) so it can be committed and checked.
import type { Variable } from "../../lib/registry/content";

export interface TypedEntry {
  name: string;
  type: "text" | "chat";
  description?: string;
  /** The prompt's own variables, then those of its partials (first declaration of a name wins, as in render). */
  variables: (Variable & { enum?: unknown[] })[];
  /** Chat placeholders: each takes a list of messages. */
  placeholders?: string[];
}

const messagesType = `{ role: "system" | "user" | "assistant" | "developer" | "tool"; content: string }[]`;

const tsType: Record<Variable["type"], string> = {
  string: "string",
  number: "number",
  boolean: "boolean",
  json: "unknown",
  image: "string", // an https: URL or a data:image/… URL
};

function typeOf(v: TypedEntry["variables"][number]): string {
  // An enumeration, when a variable declares one (or its schema does), narrows the type to its literal values.
  const values =
    v.enum ?? (Array.isArray(v.schema?.enum) ? (v.schema.enum as unknown[]).filter((x) => x !== null) : undefined);
  if (Array.isArray(values) && values.length && values.every((x) => ["string", "number", "boolean"].includes(typeof x)))
    return values.map((x) => JSON.stringify(x)).join(" | ");
  return tsType[v.type] ?? "unknown";
}

const doc = (text: string, indent: string) => {
  const clean = text.replace(/\*\//g, "*\\/").trim();
  if (!clean) return [];
  const lines = clean.split("\n");
  return lines.length === 1
    ? [`${indent}/** ${lines[0]} */`]
    : [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`];
};

/** Merges own and partial variables like the renderer: the first declaration of a name wins. */
export function effectiveVariables(own: Variable[], partials: Variable[][]): Variable[] {
  const byName = new Map<string, Variable>();
  for (const v of [...own, ...partials.flat()]) if (!byName.has(v.name)) byName.set(v.name, v);
  return [...byName.values()];
}

export function generateTypes(entries: TypedEntry[], header: string[]): string {
  const out = [
    ...header.map((h) => `// ${h}`),
    `import "@lectern/sdk";`,
    "",
    `declare module "@lectern/sdk" {`,
    "  interface PromptRegistry {",
  ];
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    out.push(...doc(e.description ?? "", "    "));
    out.push(`    ${JSON.stringify(e.name)}: {`, `      type: ${JSON.stringify(e.type)};`);
    const vars = [...e.variables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const slots = [...new Set(e.placeholders ?? [])].sort();
    if (!vars.length && !slots.length) out.push("      variables: {};");
    else {
      out.push("      variables: {");
      for (const v of vars) {
        const optional = !v.required || v.default !== undefined;
        const notes = [v.description ?? "", v.default !== undefined ? `@default ${JSON.stringify(v.default)}` : ""]
          .filter(Boolean)
          .join("\n");
        out.push(...doc(notes, "        "));
        out.push(`        ${v.name}${optional ? "?" : ""}: ${typeOf(v)};`);
      }
      for (const name of slots) {
        out.push(...doc("A placeholder: the messages to insert ([] for none).", "        "));
        out.push(`        ${name}: ${messagesType};`);
      }
      out.push("      };");
    }
    out.push("    };");
  }
  out.push("  }", "}", "");
  return out.join("\n");
}
