// Monaco is served from Lectern itself (public/monaco/vs, copied by scripts/copy-vendor.mjs), never
// from a CDN: air-gapped installs and CI have no internet. This module must be imported before any
// editor mounts, so every Monaco component imports it.
import { loader, type Monaco } from "@monaco-editor/react";
import type { editor, languages, Position } from "monaco-editor";

loader.config({ paths: { vs: "/monaco/vs" } });

export const LANGUAGE = "mustache";
export const THEME = "lectern";

/** What autocomplete offers in one editor model: declared variables and prompt names for partials. */
export type CompletionSource = {
  variables: () => { name: string; type: string; description?: string }[];
  partials: () => string[];
};
const sources = new Map<string, CompletionSource>();

export function registerCompletionSource(model: editor.ITextModel, source: CompletionSource) {
  const key = model.uri.toString();
  sources.set(key, source);
  return () => {
    sources.delete(key);
  };
}

let ready = false;

/**
 * A tokenizer state inside a tag: `close` ends it (a `delimiter` token, back to the state before), what is not a
 * brace is its `content`, and a lone brace is `brace` (the content's token unless said).
 */
const inside = (close: RegExp, delimiter: string, content: string, brace = content): [RegExp, string | object][] => [
  [close, { token: delimiter, next: "@pop" }],
  [/[^}]+/, content],
  [/\}/, brace],
];

/** Registers the Mustache language, its colours and autocomplete, once per page. */
export function setupMonaco(monaco: Monaco) {
  if (ready) return;
  ready = true;
  monaco.languages.register({ id: LANGUAGE });
  monaco.languages.setMonarchTokensProvider(LANGUAGE, {
    tokenizer: {
      root: [
        [/\{\{!/, { token: "comment.mustache", next: "@comment" }],
        [/\{\{\{/, { token: "delimiter.mustache", next: "@triple" }],
        [/\{\{\s*[#^/]/, { token: "keyword.section.mustache", next: "@section" }],
        [/\{\{\s*>/, { token: "keyword.partial.mustache", next: "@partial" }],
        [/\{\{&?/, { token: "delimiter.mustache", next: "@variable" }],
        [/[^{]+/, ""],
        [/\{/, ""],
      ],
      comment: inside(/\}\}/, "comment.mustache", "comment.mustache"),
      triple: inside(/\}\}\}/, "delimiter.mustache", "variable.mustache"),
      section: inside(/\}\}/, "keyword.section.mustache", "keyword.section.name.mustache", "keyword.section.mustache"),
      partial: inside(/\}\}/, "keyword.partial.mustache", "keyword.partial.name.mustache", "keyword.partial.mustache"),
      variable: inside(/\}\}/, "delimiter.mustache", "variable.mustache"),
    },
  });
  monaco.languages.setLanguageConfiguration(LANGUAGE, {
    comments: { blockComment: ["{{!", "}}"] },
    brackets: [],
    autoClosingPairs: [],
  });
  monaco.editor.defineTheme(THEME, {
    base: "vs",
    inherit: true,
    rules: [
      { token: "delimiter.mustache", foreground: "64748b" },
      { token: "variable.mustache", foreground: "1d4ed8", fontStyle: "bold" },
      { token: "keyword.section.mustache", foreground: "7c3aed" },
      { token: "keyword.section.name.mustache", foreground: "7c3aed", fontStyle: "bold" },
      { token: "keyword.partial.mustache", foreground: "0f766e" },
      { token: "keyword.partial.name.mustache", foreground: "0f766e", fontStyle: "bold" },
      { token: "comment.mustache", foreground: "64748b", fontStyle: "italic" },
    ],
    colors: { "editor.background": "#ffffff", "editorLineNumber.foreground": "#64748b" },
  });
  monaco.languages.registerCompletionItemProvider(LANGUAGE, {
    triggerCharacters: ["{", "#", "^", "/", ">", " ", "&"],
    provideCompletionItems(model: editor.ITextModel, position: Position): languages.CompletionList {
      const source = sources.get(model.uri.toString());
      if (!source) return { suggestions: [] };
      const line = model.getLineContent(position.lineNumber);
      const before = line.slice(0, position.column - 1);
      const after = line.slice(position.column - 1);
      const closing = after.startsWith("}}") ? "" : "}}";
      const partial = /\{\{\s*>\s*([a-z0-9_/-]*)$/.exec(before);
      const variable = /\{\{\{?\s*[#^/&]?\s*([A-Za-z0-9_]*)$/.exec(before);
      const match = partial ?? variable;
      if (!match) return { suggestions: [] };
      const typed = match[1] ?? "";
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: position.column - typed.length,
        endColumn: position.column,
      };
      if (partial) {
        return {
          suggestions: source.partials().map((name) => ({
            label: name,
            kind: monaco.languages.CompletionItemKind.Module,
            detail: "shared snippet (a prompt included here)",
            insertText: name + closing,
            range,
          })),
        };
      }
      return {
        suggestions: source.variables().map((v) => ({
          label: v.name,
          kind: monaco.languages.CompletionItemKind.Variable,
          detail: v.type,
          documentation: v.description,
          insertText: v.name + closing,
          range,
        })),
      };
    },
  });
}
