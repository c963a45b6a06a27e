// Gating a Vercel AI SDK tool set with gait-wasm: every tool's execute passes the gate first.
//   npm run build && node examples/agent-frameworks/ai-sdk.mjs
// The model is scripted (the SDK's mock model from `ai/test`), so this runs offline; with a real
// model, pass e.g. `model: openai('gpt-4.1')` instead. The tools are fakes that only record calls.
import { readFileSync } from 'node:fs';
import { generateText, stepCountIs, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { createGate } from 'gait-wasm';
import { gateTools } from 'gait-wasm/ai-sdk';

const gate = createGate(readFileSync(new URL('./policy.yaml', import.meta.url), 'utf8'));

const ran = [];
const decisions = new Map();
const path = z.object({ path: z.string() });
const tools = {
  read_file: tool({ description: 'Read a file', inputSchema: path, execute: async ({ path }) => (ran.push(`read ${path}`), `contents of ${path}`) }),
  write_file: tool({ description: 'Write a file', inputSchema: path, execute: async ({ path }) => (ran.push(`write ${path}`), 'written') }),
  delete_file: tool({ description: 'Delete a file', inputSchema: path, execute: async ({ path }) => (ran.push(`delete ${path}`), 'deleted') }),
  deploy: tool({ description: 'Deploy', inputSchema: z.object({ env: z.string() }), execute: async ({ env }) => (ran.push(`deploy ${env}`), 'deployed') }),
};

const gated = gateTools(tools, {
  gate,
  // Who is calling: the policy can match identities and workspaces; the session ties the traces together.
  context: { identity: 'agent.docs', workspace: '/srv/app', session_id: 'session-42' },
  // What the call touches: path targets let the policy's path allowlist judge file tools.
  describe: ({ tool, args }) => (typeof args?.path === 'string' ? { targets: [{ kind: 'path', value: args.path, operation: tool.split('_')[0] }] } : {}),
  // Audit: every decision, with its verdict and reason codes (printed below, in call order).
  onDecision: (e) => void decisions.set(e.call.toolCallId, `${e.call.tool} ${JSON.stringify(e.call.args)}: ${e.verdict} [${e.result?.output.reason_codes ?? ''}] -> ${e.executes ? 'runs' : 'not executed'}`),
});

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
const calls = [
  ['read_file', { path: '/srv/app/README.md' }],
  ['read_file', { path: '/etc/shadow' }],
  ['write_file', { path: '/srv/app/config.yaml' }],
  ['delete_file', { path: '/srv/app/data.db' }],
  ['deploy', { env: 'prod' }],
];
const model = new MockLanguageModelV4({
  doGenerate: [
    {
      content: calls.map(([toolName, input], i) => ({ type: 'tool-call', toolCallId: `call-${i}`, toolName, input: JSON.stringify(input) })),
      finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [],
    },
    { content: [{ type: 'text', text: 'Read the README; the rest was refused.' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] },
  ],
});

const result = await generateText({ model, tools: gated, prompt: 'Tidy up and ship it.', stopWhen: stepCountIs(2) });

for (const id of [...decisions.keys()].sort()) console.log(decisions.get(id));
// A refused call is a tool-error part: the model got its message instead of a result.
for (const part of result.steps[0].content) {
  if (part.type === 'tool-error') console.log(`model told: ${part.error.message}`);
}
console.log(`tools that ran: ${ran.join(', ')}`);
console.log(`answer: ${result.text}`);
