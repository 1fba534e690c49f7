// Test data: the chat template most prompts in tests take, one system message then one user message.
export const systemThenUser = (system: string, user: string) => [
  { role: "system" as const, content: system },
  { role: "user" as const, content: user },
];
