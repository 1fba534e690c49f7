// The demo prompts a fresh install starts with (data only; lib/setup/seed-demo.ts writes them through
// the registry so they get real versions, diffs, deployments and audit entries).

/** Deploys one version to all three environments. */
const everywhere = (version: number) =>
  (["development", "staging", "production"] as const).map((environment) => ({ environment, version }));

// support-reply's versions grow one system prompt; the user message and variables are shared.
const supportSystem =
  "You are a support agent for {{company}}.\n{{> shared/tone}}\nAnswer only from the knowledge base excerpt; if it does not cover the question, say you will escalate.";
const vipCallback = "\n{{#is_vip}}This customer is a VIP: offer a direct callback.{{/is_vip}}";
const supportTemplate = (system: string) =>
  [
    { role: "system", content: system },
    { role: "user", content: "Customer: {{customer_name}}\nTicket:\n{{ticket}}\n\nKnowledge base:\n{{kb_excerpt}}" },
  ] as const;
const supportVariables = [
  {
    name: "company",
    type: "string",
    required: false,
    default: "Acme",
    description: "Company name used in the greeting",
  },
  { name: "customer_name", type: "string", required: true, description: "The customer's first name" },
  { name: "ticket", type: "string", required: true, description: "The customer's message" },
  { name: "kb_excerpt", type: "string", required: true, description: "Relevant knowledge-base text" },
] as const;
const isVip = {
  name: "is_vip",
  type: "boolean",
  required: false,
  default: false,
  description: "Offer a callback to VIP customers",
} as const;
const supportConfig = (temperature: number, maxTokens: number) =>
  ({ provider: "openai", model: "gpt-4o-mini", temperature, maxTokens }) as const;

const summarizerVariables = [
  { name: "doc_type", type: "string", required: false, default: "document" },
  { name: "max_bullets", type: "number", required: false, default: 5 },
  { name: "document", type: "string", required: true, description: "The text to summarise" },
] as const;

export const demoPrompts = [
  {
    name: "shared/tone",
    description: "House style, included by other prompts as a partial: {{> shared/tone}}.",
    tags: ["shared"],
    versions: [
      {
        type: "text",
        template: "Write in a warm, plain and confident tone. Prefer short sentences. Never blame the customer.",
        variables: [],
        config: {},
        commitMessage: "House style for customer-facing replies",
      },
    ],
    deploy: everywhere(1),
  },
  {
    name: "support-reply",
    description: "Drafts a reply to a customer support ticket.",
    tags: ["support", "chat"],
    versions: [
      {
        type: "chat",
        template: supportTemplate(supportSystem),
        variables: supportVariables,
        config: supportConfig(0.7, 600),
        commitMessage: "First version of the support reply prompt",
      },
      {
        type: "chat",
        template: supportTemplate(supportSystem + vipCallback),
        variables: [...supportVariables, isVip],
        config: supportConfig(0.4, 600),
        commitMessage: "Offer VIPs a callback; lower temperature for steadier answers",
      },
      {
        type: "chat",
        template: supportTemplate(
          `${supportSystem}\nKeep the reply under 120 words and end with one clear next step.${vipCallback}`,
        ),
        variables: [...supportVariables, isVip],
        config: supportConfig(0.4, 300),
        commitMessage: "Concise replies: under 120 words, one clear next step",
      },
    ],
    deploy: [
      { environment: "development", version: 3 },
      { environment: "staging", version: 2 },
      { environment: "production", version: 1 },
    ],
  },
  {
    name: "summarizer",
    description: "Summarises a document into a few bullet points.",
    tags: ["content"],
    versions: [
      {
        type: "text",
        template:
          "Summarise the following {{doc_type}} in at most {{max_bullets}} bullet points. Keep names and numbers exact.\n\n{{document}}",
        variables: summarizerVariables,
        config: { provider: "openai", model: "gpt-4o-mini", temperature: 0.2, maxTokens: 400 },
        commitMessage: "Bullet-point summariser",
      },
      {
        // The candidate the demo shadow-evaluates on production's inputs (lib/setup/demo-shadow.ts).
        type: "text",
        template: "Summarise the following {{doc_type}} in one short sentence.\n\n{{document}}",
        variables: summarizerVariables,
        config: { provider: "openai", model: "gpt-4o-mini", temperature: 0.2, maxTokens: 120 },
        commitMessage: "One-sentence summary: shorter and cheaper",
      },
    ],
    deploy: everywhere(1),
  },
  {
    name: "classifier/intent",
    description: "Classifies a customer message into an intent, as JSON.",
    tags: ["support", "classification"],
    versions: [
      {
        type: "text",
        template:
          'Classify the customer\'s message into one of: {{#labels}}{{.}}, {{/labels}}other.\nAnswer as JSON: {"intent": "…", "confidence": 0..1}.\n\nMessage: {{message}}',
        variables: [
          {
            name: "labels",
            type: "json",
            required: false,
            default: ["billing", "bug", "how-to", "cancel"],
            description: "Candidate intents",
          },
          { name: "message", type: "string", required: true },
        ],
        config: {
          provider: "openai",
          model: "gpt-4o-mini",
          temperature: 0,
          maxTokens: 60,
          responseFormat: {
            type: "json_schema",
            schema: {
              type: "object",
              properties: { intent: { type: "string" }, confidence: { type: "number" } },
              required: ["intent", "confidence"],
            },
          },
        },
        commitMessage: "Intent classifier with a JSON answer",
      },
    ],
    deploy: [{ environment: "development", version: 1 }],
  },
] as const;

/**
 * The demo's running experiment (lib/setup/seed-demo.ts creates and starts it): concise replies (v3)
 * against what staging serves (v2). It runs in staging because the demo's production takes only
 * reviewed versions that were live in staging first, and a newcomer alone cannot approve their own
 * review: in staging, shipping the winner is a plain promotion. `npm run demo:traffic` feeds it.
 */
export const demoExperiment = {
  prompt: "support-reply",
  environment: "staging",
  name: "Concise replies",
  hypothesis:
    "Replies under 120 words with one clear next step get more thumbs up, and cost less, than the current replies.",
  variants: [
    { key: "control", version: 2, weight: 0.5 },
    { key: "concise", version: 3, weight: 0.5 },
  ],
  mode: "sequential",
  primaryMetric: { name: "thumbs", kind: "binary" },
  guardrails: [
    { name: "latency_ms", kind: "continuous", direction: "increase_is_bad" },
    { name: "cost_usd", kind: "continuous", direction: "increase_is_bad" },
    { name: "refusal", kind: "binary", direction: "increase_is_bad" },
  ],
  ratioMetrics: [{ name: "cost_per_thumbs_up", numerator: "cost_usd", denominator: "thumbs" }],
  minDetectableEffect: 0.1,
  baseline: { rate: 0.6 },
  seed: "demo-concise-replies",
} as const;
