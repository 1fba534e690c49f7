// The provider-neutral answer the server has decided on, which openai.ts and anthropic.ts put on the wire.

export interface Answer {
  id: string;
  created: number;
  model: string;
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: unknown }>;
  finishReason: "stop" | "length";
  inputTokens: number;
  outputTokens: number;
}
