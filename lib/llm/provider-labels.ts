// How people read a connection's provider (Settings, every run): a module of plain strings, so that client
// components can use it without bundling the providers.

/** How Settings and every run name the built-in scripted model (the `scripted` provider). */
export const SCRIPTED_LABEL = "Built-in scripted model (no network, for the demo)";

export const providerLabels = {
  "openai-compatible": "OpenAI-compatible (Ollama, vLLM, LiteLLM, Azure…)",
  openai: "OpenAI",
  anthropic: "Anthropic",
  scripted: SCRIPTED_LABEL,
} as const;

/** A connection as people read it: its name, and for the scripted model that it is one. */
export const connectionLabel = (c: { name: string; provider: string }) =>
  c.provider === "scripted" && c.name !== SCRIPTED_LABEL ? `${c.name} (built-in scripted model, no network)` : c.name;
