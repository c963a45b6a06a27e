// The OpenAI Agents SDK integration, driven through the real `@openai/agents` runner: run(agent,
// input) with a scripted Model that returns function_call items (no network; tracing off). Each
// tool's execute records its calls; the assertions are on that record (what really ran), on the
// function_call_output the model got back, and on the guardrail results of the run.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Agent, RunContext, run, setTracingDisabled, tool, Usage, ToolInputGuardrailTripwireTriggered,
  type AgentInputItem, type Model, type ModelRequest, type ModelResponse, type StreamEvent,
} from '@openai/agents';
import { z } from 'zod';
import { createGate } from '../../bindings/load/node.js';
import { gaitToolInputGuardrail, gateTools, type AgentsToolCall, type GaitGuardrailInfo, type GateDecisionEvent } from '../../bindings/integrations/openai-agents.js';
import { INTEGRATION_POLICY } from './policy.js';

beforeAll(() => setTracingDisabled(true));

const gate = createGate(INTEGRATION_POLICY);

/** A Model that asks for the given function calls (if any) in its first turn, then answers "done". */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  constructor(private readonly calls: [name: string, args: string][]) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const usage = new Usage();
    if (this.requests.length === 1 && this.calls.length > 0) {
      return {
        usage,
        output: this.calls.map(([name, args], i) => ({ type: 'function_call', callId: `call-${i}`, name, arguments: args, status: 'completed' })),
      };
    }
    return { usage, output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'done' }] }] };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('the scripted model does not stream');
  }

  /** What the model was sent back for each call id: the function_call_output items of its second turn. */
  toldTheModel(): Record<string, unknown> {
    const input = this.requests[1]?.input as AgentInputItem[];
    const told: Record<string, unknown> = {};
    for (const item of input) if (item.type === 'function_call_result') told[item.callId] = item.output;
    return told;
  }
}

/** Five file/ops tools made with tool(), whose execute only records what it was asked to do. */
function recordingTools() {
  const ran: string[] = [];
  const path = z.object({ path: z.string() });
  const tools = [
    tool({ name: 'read_file', description: 'read a file', parameters: path, execute: async ({ path }) => (ran.push(`read_file ${path}`), `contents of ${path}`) }),
    tool({ name: 'write_file', description: 'write a file', parameters: path, execute: async ({ path }) => (ran.push(`write_file ${path}`), 'written') }),
    tool({ name: 'delete_file', description: 'delete a file', parameters: path, execute: async ({ path }) => (ran.push(`delete_file ${path}`), 'deleted') }),
    tool({ name: 'deploy', description: 'deploy', parameters: z.object({ env: z.string() }), execute: async ({ env }) => (ran.push(`deploy ${env}`), 'deployed') }),
    tool({ name: 'restart', description: 'restart', parameters: z.object({ service: z.string() }), execute: async ({ service }) => (ran.push(`restart ${service}`), 'restarted') }),
  ];
  return { tools, ran };
}

const text = (value: string) => ({ type: 'text', text: value });

describe('gait-wasm/openai-agents', () => {
  it('runs an allowed call and stops block, require_approval and dry_run calls before invoke', async () => {
    const { tools, ran } = recordingTools();
    const decisions: string[] = [];
    const model = new ScriptedModel([
      ['read_file', '{"path":"/srv/app/README.md"}'],
      ['delete_file', '{"path":"/srv/app/data.db"}'],
      ['write_file', '{"path":"/srv/app/config.yaml"}'],
      ['deploy', '{"env":"prod"}'],
    ]);
    const agent = new Agent({ name: 'ops', instructions: 'help', model, tools: gateTools(tools, { gate, onDecision: (e) => void decisions.push(`${e.call.tool}=${e.verdict}:${e.executes}`) }) });
    const result = await run(agent, 'go');

    expect(ran).toEqual(['read_file /srv/app/README.md']);
    expect(decisions.sort()).toEqual(['delete_file=block:false', 'deploy=dry_run:false', 'read_file=allow:true', 'write_file=require_approval:false']);
    expect(model.toldTheModel()).toEqual({
      'call-0': text('contents of /srv/app/README.md'),
      'call-1': text('gait: tool call "delete_file" was blocked by policy (reason codes: default_block); it was not executed'),
      'call-2': text('gait: tool call "write_file" requires approval (reason codes: write_needs_approval); it was not executed'),
      'call-3': text('gait: tool call "deploy" is a dry run (reason codes: deploy_rehearsal); it was not executed'),
    });
    expect(result.finalOutput).toBe('done');

    // The run keeps each decision in its guardrail results.
    const infos = result.toolInputGuardrailResults.map((r) => [r.guardrail.name, r.output.behavior.type, (r.output.outputInfo as GaitGuardrailInfo).decision?.verdict]);
    expect(infos.sort()).toEqual([
      ['gait', 'allow', 'allow'],
      ['gait', 'rejectContent', 'block'],
      ['gait', 'rejectContent', 'dry_run'],
      ['gait', 'rejectContent', 'require_approval'],
    ]);
  });

  it('sends the policy context from the run context, and targets from describe', async () => {
    const { tools, ran } = recordingTools();
    const seen: AgentsToolCall<{ user: string }>[] = [];
    gateTools(tools, {
      gate,
      context: (call: AgentsToolCall<{ user: string }>) => (seen.push(call), { identity: call.runContext.context.user, workspace: '/srv/app', session_id: 'sess-1' }),
      describe: ({ tool: name, args }) => (name === 'read_file' ? { targets: [{ kind: 'path', value: String(args?.path), operation: 'read' }] } : {}),
    });
    const model = new ScriptedModel([
      ['restart', '{"service":"api"}'],
      ['read_file', '{"path":"/etc/shadow"}'],
      ['read_file', '{"path":"/srv/app/a.txt"}'],
    ]);
    await run(new Agent<{ user: string }>({ name: 'ops', model, tools }), 'go', { context: { user: 'ops-bot' } });
    expect(ran.sort()).toEqual(['read_file /srv/app/a.txt', 'restart api']);
    expect(seen.map((c) => [c.toolCallId, c.toolCall.name, c.agent.name]).sort()).toEqual([
      ['call-0', 'restart', 'ops'], ['call-1', 'read_file', 'ops'], ['call-2', 'read_file', 'ops'],
    ]);

    const other = recordingTools();
    await run(new Agent<{ user: string }>({ name: 'ops', model: new ScriptedModel([['restart', '{"service":"api"}']]), tools: gateTools(other.tools, { gate, context: (c: AgentsToolCall<{ user: string }>) => ({ identity: c.runContext.context.user }) }) }), 'go', { context: { user: 'intern' } });
    expect(other.ran).toEqual([]);
  });

  it('the guardrail on tool({ inputGuardrails }) gates that tool; throw_exception stops the run', async () => {
    const ran: string[] = [];
    const guardrail = gaitToolInputGuardrail({ gate, onRefusal: 'throw_exception' });
    const del = tool({ name: 'delete_file', description: 'd', parameters: z.object({ path: z.string() }), inputGuardrails: [guardrail], execute: async ({ path }) => (ran.push(path), 'deleted') });
    const agent = new Agent({ name: 'ops', model: new ScriptedModel([['delete_file', '{"path":"/x"}']]), tools: [del] });
    // The runner wraps the tripwire in its ToolCallError (`error.error`).
    const error = await run(agent, 'go').then(() => undefined, (e: { error?: unknown }) => e.error);
    expect(error).toBeInstanceOf(ToolInputGuardrailTripwireTriggered);
    expect(((error as ToolInputGuardrailTripwireTriggered).result.output.outputInfo as GaitGuardrailInfo).decision?.verdict).toBe('block');
    expect(ran).toEqual([]);
  });

  it('gates an agent used as a tool (agent.asTool()): a refused call never runs the sub-agent', async () => {
    const reader = new ScriptedModel([]);
    const deleter = new ScriptedModel([]);
    const tools = gateTools([
      new Agent({ name: 'reader', model: reader }).asTool({ toolName: 'read_file', toolDescription: 'reads' }),
      new Agent({ name: 'deleter', model: deleter }).asTool({ toolName: 'delete_file', toolDescription: 'deletes' }),
    ], { gate });
    const model = new ScriptedModel([['read_file', '{"input":"README"}'], ['delete_file', '{"input":"data.db"}']]);
    await run(new Agent({ name: 'ops', model, tools }), 'go');
    expect(reader.requests).toHaveLength(1);
    expect(deleter.requests).toHaveLength(0);
    expect(model.toldTheModel()['call-1']).toEqual(text('gait: tool call "delete_file" was blocked by policy (reason codes: default_block); it was not executed'));
  });

  it('observe mode runs every call and reports what enforcement would have done', async () => {
    const { tools, ran } = recordingTools();
    const events: GateDecisionEvent<AgentsToolCall>[] = [];
    const model = new ScriptedModel([['delete_file', '{"path":"/tmp/x"}'], ['read_file', '{"path":"/tmp/y"}']]);
    await run(new Agent({ name: 'ops', model, tools: gateTools(tools, { gate, mode: 'observe', onDecision: (e) => void events.push(e) }) }), 'go');
    expect(ran.sort()).toEqual(['delete_file /tmp/x', 'read_file /tmp/y']);
    expect(events.map((e) => [e.call.tool, e.verdict, e.mode, e.executes]).sort()).toEqual([
      ['delete_file', 'block', 'observe', true],
      ['read_file', 'allow', 'observe', true],
    ]);
  });

  it('fails closed: arguments that are not a JSON object, a throwing context or a throwing onDecision never run the tool', async () => {
    // The runner refuses argument text its schema cannot parse before any guardrail sees it.
    const { tools, ran } = recordingTools();
    gateTools(tools, { gate, mode: 'observe' });
    const model = new ScriptedModel([['read_file', '["/a"]'], ['read_file', 'not json']]);
    await run(new Agent({ name: 'ops', model, tools }), 'go');
    expect(ran).toEqual([]);
    expect(Object.keys(model.toldTheModel())).toEqual(['call-0', 'call-1']);

    // The guardrail itself, given such text, refuses it (even in observe mode).
    const events: GateDecisionEvent<AgentsToolCall>[] = [];
    const guardrail = gaitToolInputGuardrail({ gate, mode: 'observe', onDecision: (e) => void events.push(e) });
    const agent = new Agent({ name: 'ops' });
    const refusals: string[] = [];
    for (const text of ['["/a"]', 'null', 'not json']) {
      const toolCall = { type: 'function_call' as const, callId: 'c', name: 'read_file', arguments: text };
      const output = await guardrail.run({ context: new RunContext(undefined), agent, toolCall });
      expect(output.behavior.type).toBe('rejectContent');
      expect(output.outputInfo).toMatchObject({ mode: 'observe', executes: false });
      refusals.push((output.behavior as { message: string }).message);
    }
    expect(refusals).toEqual([
      'gait: tool call "read_file" was not executed: gate evaluation failed: function call arguments must be a JSON object, got an array',
      'gait: tool call "read_file" was not executed: gate evaluation failed: function call arguments must be a JSON object, got null',
      expect.stringMatching(/^gait: tool call "read_file" was not executed: gate evaluation failed: function call arguments are not JSON: /),
    ]);
    expect(events.map((e) => [e.verdict, e.executes, e.call.args])).toEqual([[undefined, false, undefined], [undefined, false, undefined], [undefined, false, undefined]]);

    const throwingContext = recordingTools();
    gateTools(throwingContext.tools, { gate, context: () => { throw new Error('no user'); } });
    const m2 = new ScriptedModel([['read_file', '{"path":"/a"}']]);
    await run(new Agent({ name: 'ops', model: m2, tools: throwingContext.tools }), 'go');
    expect(throwingContext.ran).toEqual([]);
    expect(m2.toldTheModel()).toEqual({ 'call-0': text('gait: tool call "read_file" was not executed: gate evaluation failed: no user') });

    const failingAudit = recordingTools();
    gateTools(failingAudit.tools, { gate, onDecision: () => { throw new Error('log down'); } });
    const m3 = new ScriptedModel([['read_file', '{"path":"/a"}']]);
    await run(new Agent({ name: 'ops', model: m3, tools: failingAudit.tools }), 'go');
    expect(failingAudit.ran).toEqual([]);
    expect(m3.toldTheModel()).toEqual({ 'call-0': text('gait: tool call "read_file" was not executed: the decision could not be recorded: log down') });
  });

  it('refuses tools it cannot gate and bad options', () => {
    const { tools } = recordingTools();
    const shell = { type: 'shell', name: 'shell' } as never;
    expect(() => gateTools([...tools, shell], { gate })).toThrow('gateTools: cannot gate the shell tool "shell": only function tools take input guardrails');
    expect(tools[0]!.inputGuardrails).toEqual([]); // nothing attached when the list is refused
    expect(() => gaitToolInputGuardrail({ gate, onRefusal: 'ignore' as never })).toThrow("gaitToolInputGuardrail: options.onRefusal must be 'reject_content' or 'throw_exception', got ignore");
    expect(() => gaitToolInputGuardrail({ gate, mode: 'observe', proxy: { profile: 'oss-prod' } })).toThrow('gaitToolInputGuardrail: oss-prod profile does not allow observe mode');
    expect(() => gaitToolInputGuardrail({ gate, extra: 1 } as never)).toThrow('gaitToolInputGuardrail: unknown option "extra"');
  });
});
