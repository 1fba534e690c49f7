// .prompt.yml files shaped as GitHub's examples are (github/gh-models examples/*.prompt.yml, and the example of
// GitHub's "Storing prompts in GitHub repositories"), each with the same keys and kinds of evaluator, in words of
// our own: template variables without tests; tests failing contains and startsWith checks; json_object with
// contains; json_schema; a templated contains and `uses: github/similarity`; the summarizer with startsWith;
// and, beyond GitHub's, equals and endsWith, an LLM evaluator with a system prompt, every built-in.
export const githubShapedFiles: Record<string, string> = {
  "advanced template": `# Many template variables, no tests
name: Advanced Template Example
description: Uses many template variables
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0.7
  maxTokens: 300
messages:
  - role: system
    content: |
      You are {{assistant_persona}}, a {{expertise_level}} {{domain}} specialist.
      Help {{user_name}}, a {{user_role}} at {{company}}.
  - role: user
    content: |
      I am {{user_name}}. Background: {{background_info}}
      Question: {{input}}
`,
  "failing tests": `name: Failing Evaluation Test
description: Checks that cannot pass
model: openai/gpt-4o
modelParameters:
  temperature: 0.7
  maxTokens: 150
testData:
  - input: "Which city is the capital of Italy?"
    expected: "Rome"
  - input: "What is 3 + 3?"
    expected: "6"
messages:
  - role: system
    content: You answer questions.
  - role: user
    content: "{{input}}"
evaluators:
  - name: contains-never
    string:
      contains: "text-no-answer-holds"
  - name: starts-with-never
    string:
      startsWith: "QQQQ"
`,
  "json object": `name: JSON Response Example
description: Answers in JSON
model: openai/gpt-4o
responseFormat: json_object
messages:
  - role: system
    content: You answer in JSON.
  - role: user
    content: "Summarise {{topic}} as JSON with a title and key_points."
testData:
  - topic: "renewable energy"
  - topic: "ocean tides"
evaluators:
  - name: looks-like-json
    string:
      contains: "{"
  - name: has-title
    string:
      contains: "title"
`,
  "json schema": `name: JSON Schema Response Example
description: Answers to a schema
model: openai/gpt-4o-mini
responseFormat: json_schema
jsonSchema: |-
  {
    "name": "plant_description",
    "strict": true,
    "schema": {
      "type": "object",
      "properties": {
        "name": { "type": "string" },
        "climate": { "type": "string", "enum": ["tropical", "temperate", "arid"] },
        "uses": { "type": "array", "items": { "type": "string" } }
      },
      "required": ["name", "climate"],
      "additionalProperties": false
    }
  }
messages:
  - role: system
    content: You describe plants.
  - role: user
    content: "Describe {{plant}}."
testData:
  - plant: "fern"
  - plant: "cactus"
evaluators:
  - name: has-name
    string:
      contains: "name"
`,
  "sample with built-in": `name: Sample Evaluation
description: A templated check and a built-in judge
model: openai/gpt-4o
modelParameters:
  temperature: 0.5
  maxTokens: 50
testData:
  - input: 'good morning'
    word: morning
    expected: 'a greeting back'
  - input: 'see you later'
    word: later
    expected: 'a goodbye'
messages:
  - role: system
    content: You reply to greetings and goodbyes.
  - role: user
    content: 'Reply to: {{input}}'
evaluators:
  - name: echoes the word
    string:
      contains: '{{word}}'
  - name: similarity check
    uses: github/similarity
`,
  summarizer: `name: Text Summarizer
description: Summarizes input text concisely
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0.5
messages:
  - role: system
    content: You summarize text.
  - role: user
    content: |
      Summarize the text, beginning with "Summary -":
      <text>
      {{input}}
      </text>
testData:
  - input: |
      A cat sat on a warm mat all afternoon.
    expected: Summary - A cat rested on a mat.
evaluators:
  - name: Output should start with 'Summary -'
    string:
      startsWith: 'Summary -'
`,
  "every kind": `name: Every Evaluator
description: One of each kind
model: openai/gpt-4o-mini
messages:
  - role: user
    content: "Answer briefly: {{question}}"
testData:
  - question: "Is water wet?"
    expected: "Yes."
evaluators:
  - name: exactly
    string:
      equals: "Yes."
  - name: as expected
    string:
      equals: "{{expected}}"
  - name: ends with a period
    string:
      endsWith: "."
  - name: judged
    llm:
      modelId: openai/gpt-4o-mini
      systemPrompt: You grade answers.
      prompt: |
        Question: {{question}}
        Answer: {{completion}}
        Reply good or bad.
      choices:
        - choice: good
          score: 1
        - choice: bad
          score: 0
  - name: coherent
    uses: github/coherence
  - name: fluent
    uses: github/fluency
  - name: relevant
    uses: github/relevance
  - name: grounded
    uses: github/groundedness
`,
};
