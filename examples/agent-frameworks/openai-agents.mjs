// Gating OpenAI Agents SDK tools with gait-wasm: a tool input guardrail on every function tool.
//   npm run build && node examples/agent-frameworks/openai-agents.mjs
// The model is a scripted Model (no network, tracing off); with a real one, drop `model` (or name
// one) and set OPENAI_API_KEY. The tools are fakes that only record calls.
import { readFileSync } from 'node:fs';
import { Agent, run, setTracingDisabled, tool, Usage } from '@openai/agents';
import { z } from 'zod';
import { createGate } from 'gait-wasm';
import { gateTools } from 'gait-wasm/openai-agents';

setTracingDisabled(true);
const gate = createGate(readFileSync(new URL('./policy.yaml', import.meta.url), 'utf8'));

const ran = [];
const decisions = new Map();
const told = [];
const path = z.object({ path: z.string() });
const tools = gateTools(
  [
    tool({ name: 'read_file', description: 'Read a file', parameters: path, execute: async ({ path }) => (ran.push(`read ${path}`), `contents of ${path}`) }),
    tool({ name: 'write_file', description: 'Write a file', parameters: path, execute: async ({ path }) => (ran.push(`write ${path}`), 'written') }),
    tool({ name: 'delete_file', description: 'Delete a file', parameters: path, execute: async ({ path }) => (ran.push(`delete ${path}`), 'deleted') }),
    tool({ name: 'deploy', description: 'Deploy', parameters: z.object({ env: z.string() }), execute: async ({ env }) => (ran.push(`deploy ${env}`), 'deployed') }),
  ],
  {
    gate,
    // Who is calling, from the run's own context object (run(agent, input, { context })).
    context: ({ runContext }) => ({ identity: runContext.context.agentIdentity, workspace: '/srv/app', session_id: runContext.context.sessionId }),
    // What the call touches: path targets let the policy's path allowlist judge file tools.
    describe: ({ tool, args }) => (typeof args?.path === 'string' ? { targets: [{ kind: 'path', value: args.path, operation: tool.split('_')[0] }] } : {}),
    // Audit: every decision, with its verdict and reason codes (printed below, in call order).
    onDecision: (e) => void decisions.set(e.call.toolCallId, `${e.call.tool} ${e.call.toolCall.arguments}: ${e.verdict} [${e.result?.output.reason_codes ?? ''}] -> ${e.executes ? 'runs' : 'not executed'}`),
  },
);

/** Asks for five tool calls, then reads what it was told and answers. */
class ScriptedModel {
  turn = 0;
  async getResponse(request) {
    const usage = new Usage();
    if (this.turn++ === 0) {
      const calls = [
        ['read_file', { path: '/srv/app/README.md' }],
        ['read_file', { path: '/etc/shadow' }],
        ['write_file', { path: '/srv/app/config.yaml' }],
        ['delete_file', { path: '/srv/app/data.db' }],
        ['deploy', { env: 'prod' }],
      ];
      return { usage, output: calls.map(([name, args], i) => ({ type: 'function_call', callId: `call-${i}`, name, arguments: JSON.stringify(args), status: 'completed' })) };
    }
    for (const item of request.input) if (item.type === 'function_call_result' && item.output.text.startsWith('gait:')) told.push(item.output.text);
    return { usage, output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Read the README; the rest was refused.' }] }] };
  }
  async *getStreamedResponse() {
    throw new Error('not streaming');
  }
}

const agent = new Agent({ name: 'ops', instructions: 'Tidy up and ship it.', model: new ScriptedModel(), tools });
const result = await run(agent, 'Tidy up and ship it.', { context: { agentIdentity: 'agent.docs', sessionId: 'session-42' } });
for (const id of [...decisions.keys()].sort()) console.log(decisions.get(id));
for (const text of told) console.log(`model told: ${text}`);
console.log(`tools that ran: ${ran.join(', ')}`);
console.log(`answer: ${result.finalOutput}`);
