// The Vercel AI SDK integration, driven through the real `ai` package: generateText with the SDK's
// mock language model scripted to emit tool calls (no network). Each tool's execute records its
// calls; the assertions are on that record (what really ran) and on what the model was told.
import { describe, expect, it } from 'vitest';
import { dynamicTool, generateText, stepCountIs, tool, type LanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';
import { createGate } from '../../bindings/load/node.js';
import { gateTools, ToolCallNotExecutedError, type GateDecisionEvent, type AiSdkToolCall } from '../../bindings/integrations/ai-sdk.js';
import { INTEGRATION_POLICY } from './policy.js';

const gate = createGate(INTEGRATION_POLICY);

const USAGE = {
  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 1, text: 1, reasoning: 0 },
};

/** A model that asks for the given tool calls in its first step, then answers "done". */
function scriptedModel(calls: [name: string, input: unknown][]): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: [
      {
        content: calls.map(([toolName, input], i) => ({ type: 'tool-call' as const, toolCallId: `call-${i}`, toolName, input: JSON.stringify(input) })),
        finishReason: { unified: 'tool-calls', raw: undefined },
        usage: USAGE,
        warnings: [],
      },
      { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: undefined }, usage: USAGE, warnings: [] },
    ],
  });
}

/** Five file/ops tools whose execute only records what it was asked to do. */
function recordingTools() {
  const ran: string[] = [];
  const pathInput = z.object({ path: z.string() });
  const tools = {
    read_file: tool({ description: 'read a file', inputSchema: pathInput, execute: async ({ path }) => (ran.push(`read_file ${path}`), `contents of ${path}`) }),
    write_file: tool({ description: 'write a file', inputSchema: pathInput, execute: async ({ path }) => (ran.push(`write_file ${path}`), 'written') }),
    delete_file: tool({ description: 'delete a file', inputSchema: pathInput, execute: async ({ path }) => (ran.push(`delete_file ${path}`), 'deleted') }),
    deploy: tool({ description: 'deploy', inputSchema: z.object({ env: z.string() }), execute: async ({ env }) => (ran.push(`deploy ${env}`), 'deployed') }),
    restart: tool({ description: 'restart a service', inputSchema: z.object({ service: z.string() }), execute: async ({ service }) => (ran.push(`restart ${service}`), 'restarted') }),
  };
  return { tools, ran };
}

async function run(model: MockLanguageModelV4, tools: Parameters<typeof generateText>[0]['tools']) {
  return generateText({ model: model as LanguageModel, tools, prompt: 'go', stopWhen: stepCountIs(2) });
}

/** The tool messages the model received in its second call: what it was told about each call. */
function toldTheModel(model: MockLanguageModelV4): Record<string, unknown> {
  const told: Record<string, unknown> = {};
  for (const message of model.doGenerateCalls[1]!.prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) if (part.type === 'tool-result') told[part.toolName] = part.output;
  }
  return told;
}

describe('gait-wasm/ai-sdk gateTools', () => {
  it('runs an allowed call and stops block, require_approval and dry_run calls before execute', async () => {
    const { tools, ran } = recordingTools();
    const decisions: string[] = [];
    const model = scriptedModel([
      ['read_file', { path: '/srv/app/README.md' }],
      ['delete_file', { path: '/srv/app/data.db' }],
      ['write_file', { path: '/srv/app/config.yaml' }],
      ['deploy', { env: 'prod' }],
    ]);
    const result = await run(model, gateTools(tools, { gate, onDecision: (e) => void decisions.push(`${e.call.tool}=${e.verdict}:${e.executes}`) }));

    expect(ran).toEqual(['read_file /srv/app/README.md']);
    expect(decisions.sort()).toEqual(['delete_file=block:false', 'deploy=dry_run:false', 'read_file=allow:true', 'write_file=require_approval:false']);

    const parts = result.steps[0]!.content.filter((p) => p.type === 'tool-result' || p.type === 'tool-error');
    const byTool = Object.fromEntries(parts.map((p) => [p.toolName, p]));
    expect(byTool.read_file).toMatchObject({ type: 'tool-result', output: 'contents of /srv/app/README.md' });
    for (const [name, verdict] of [['delete_file', 'block'], ['write_file', 'require_approval'], ['deploy', 'dry_run']] as const) {
      const part = byTool[name]!;
      expect(part.type).toBe('tool-error');
      const error = (part as { error: unknown }).error;
      expect(error).toBeInstanceOf(ToolCallNotExecutedError);
      expect((error as ToolCallNotExecutedError).verdict).toBe(verdict);
      expect((error as ToolCallNotExecutedError).result?.output.executed).toBe(false);
    }

    // The model is told, in words, that the call did not run and why (the SDK sends String(error)).
    const told = toldTheModel(model);
    expect(told.read_file).toEqual({ type: 'text', value: 'contents of /srv/app/README.md' });
    expect(told.delete_file).toEqual({ type: 'error-text', value: 'ToolCallNotExecutedError: gait: tool call "delete_file" was blocked by policy (reason codes: default_block); it was not executed' });
    expect(told.write_file).toEqual({ type: 'error-text', value: 'ToolCallNotExecutedError: gait: tool call "write_file" requires approval (reason codes: write_needs_approval); it was not executed' });
    expect(told.deploy).toEqual({ type: 'error-text', value: 'ToolCallNotExecutedError: gait: tool call "deploy" is a dry run (reason codes: deploy_rehearsal); it was not executed' });
    expect(result.text).toBe('done');
  });

  it('sends the policy context: identity from options.context, targets from describe', async () => {
    const { tools, ran } = recordingTools();
    const seen: AiSdkToolCall[] = [];
    const gated = gateTools(tools, {
      gate,
      context: (call) => (seen.push(call), { identity: 'ops-bot', workspace: '/srv/app', session_id: 'sess-1' }),
      describe: ({ tool: name, args }) => (name === 'read_file' ? { targets: [{ kind: 'path', value: String(args.path), operation: 'read' }] } : {}),
    });
    const model = scriptedModel([
      ['restart', { service: 'api' }],
      ['read_file', { path: '/etc/shadow' }],
      ['read_file', { path: '/srv/app/a.txt' }],
    ]);
    await run(model, gated);
    // ops-bot may restart; /etc/shadow is blocked by its target; the other read runs.
    expect(ran.sort()).toEqual(['read_file /srv/app/a.txt', 'restart api']);
    expect(seen.map((c) => c.toolCallId).sort()).toEqual(['call-0', 'call-1', 'call-2']);
    expect(seen[0]!.options.messages.length).toBeGreaterThan(0);

    // Without the identity the same restart is blocked by default.
    const plain = recordingTools();
    await run(scriptedModel([['restart', { service: 'api' }]]), gateTools(plain.tools, { gate }));
    expect(plain.ran).toEqual([]);
  });

  it('observe mode runs every call and reports what enforcement would have done', async () => {
    const { tools, ran } = recordingTools();
    const events: GateDecisionEvent<AiSdkToolCall>[] = [];
    const model = scriptedModel([['delete_file', { path: '/tmp/x' }], ['read_file', { path: '/tmp/y' }]]);
    await run(model, gateTools(tools, { gate, mode: 'observe', onDecision: (e) => void events.push(e) }));
    expect(ran.sort()).toEqual(['delete_file /tmp/x', 'read_file /tmp/y']);
    expect(events.map((e) => [e.call.tool, e.verdict, e.mode, e.executes]).sort()).toEqual([
      ['delete_file', 'block', 'observe', true],
      ['read_file', 'allow', 'observe', true],
    ]);
  });

  it('fails closed: an evaluation error, a throwing context or a throwing onDecision never runs the tool', async () => {
    // A tool whose input is not an object cannot be a ToolCall's args: evaluation fails.
    const ran: string[] = [];
    const echo = tool({ description: 'echo', inputSchema: z.string(), execute: async (s) => (ran.push(s), s) });
    const model = scriptedModel([['read_file', 'just a string']]);
    const events: GateDecisionEvent<AiSdkToolCall>[] = [];
    const result = await run(model, gateTools({ read_file: echo }, { gate, mode: 'observe', onDecision: (e) => void events.push(e) }));
    expect(ran).toEqual([]);
    const part = result.steps[0]!.content.find((p) => p.type === 'tool-error') as { error: ToolCallNotExecutedError };
    expect(part.error).toBeInstanceOf(ToolCallNotExecutedError);
    expect(part.error.verdict).toBeUndefined();
    expect(part.error.message).toMatch(/^gait: tool call "read_file" was not executed: gate evaluation failed: /);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ verdict: undefined, executes: false });

    const throwingContext = recordingTools();
    await run(scriptedModel([['read_file', { path: '/a' }]]), gateTools(throwingContext.tools, { gate, context: () => { throw new Error('no user'); } }));
    expect(throwingContext.ran).toEqual([]);

    const failingAudit = recordingTools();
    const audited = await run(scriptedModel([['read_file', { path: '/a' }]]), gateTools(failingAudit.tools, { gate, onDecision: () => { throw new Error('log down'); } }));
    expect(failingAudit.ran).toEqual([]);
    const refused = audited.steps[0]!.content.find((p) => p.type === 'tool-error') as { error: ToolCallNotExecutedError };
    expect(refused.error.message).toBe('gait: tool call "read_file" was not executed: the decision could not be recorded: log down');
    expect(refused.error.result?.output.verdict).toBe('allow');
  });

  it('keeps a streaming tool streaming, and leaves tools without execute alone', async () => {
    const ran: string[] = [];
    const progress = tool({
      description: 'read in chunks',
      inputSchema: z.object({ path: z.string() }),
      async *execute({ path }) {
        ran.push(path);
        yield 'half';
        yield 'all';
      },
    });
    const clientSide = tool({ description: 'runs in the browser', inputSchema: z.object({}) });
    const gated = gateTools({ read_file: progress, write_file: clientSide }, { gate });
    expect(gated.write_file).toBe(clientSide);
    const result = await run(scriptedModel([['read_file', { path: '/a' }]]), gated);
    expect(ran).toEqual(['/a']);
    expect(result.steps[0]!.content.find((p) => p.type === 'tool-result')).toMatchObject({ output: 'all' });

    // A dynamic tool (e.g. from an MCP client) is gated like any other.
    const dynamicRan: string[] = [];
    const dynamic = dynamicTool({ description: 'mcp tool', inputSchema: z.object({}), execute: async () => (dynamicRan.push('ran'), 'ok') });
    await run(scriptedModel([['delete_file', {}]]), gateTools({ delete_file: dynamic }, { gate }));
    expect(dynamicRan).toEqual([]);

    const blocked: string[] = [];
    const stream = tool({ description: 'x', inputSchema: z.object({}), async *execute() { blocked.push('ran'); yield 1; } });
    await run(scriptedModel([['delete_file', {}]]), gateTools({ delete_file: stream }, { gate }));
    expect(blocked).toEqual([]);
  });

  it('passes proxy options to evaluateToolCall: run id, trace sink, profile', async () => {
    const { tools, ran } = recordingTools();
    const traces: string[] = [];
    const events: GateDecisionEvent<AiSdkToolCall>[] = [];
    const gated = gateTools(tools, {
      gate,
      proxy: { runId: 'nightly build #7', traceSink: (trace) => (traces.push(trace.trace_id), `traces/${trace.trace_id}.json`) },
      onDecision: (e) => void events.push(e),
    });
    await run(scriptedModel([['read_file', { path: '/a' }]]), gated);
    expect(ran).toEqual(['read_file /a']);
    expect(events[0]!.result!.output).toMatchObject({ run_id: 'run_nightly_build_7', verdict: 'allow', executed: false, trace_path: `traces/${traces[0]}.json` });

    // oss-prod without a signing key is refused by the proxy: every call fails closed.
    const strict = recordingTools();
    const strictEvents: GateDecisionEvent<AiSdkToolCall>[] = [];
    await run(scriptedModel([['read_file', { path: '/a' }]]), gateTools(strict.tools, {
      gate, proxy: { profile: 'oss-prod' }, context: { identity: 'a', workspace: '/w', session_id: 's' }, onDecision: (e) => void strictEvents.push(e),
    }));
    expect(strict.ran).toEqual([]);
    expect((strictEvents[0]!.error as Error).message).toBe('oss-prod profile requires --key-mode prod');
  });

  it('rejects bad options when the tools are wrapped', () => {
    const { tools } = recordingTools();
    expect(() => gateTools(tools, {} as never)).toThrow('gateTools: options.gate must be a Gate (createGate)');
    expect(() => gateTools(tools, { gate, mode: 'audit' as never })).toThrow("gateTools: options.mode must be 'enforce' or 'observe', got audit");
    expect(() => gateTools(tools, { gate, simulate: true } as never)).toThrow('gateTools: unknown option "simulate"');
    expect(() => gateTools(tools, { gate, proxy: { adapter: 'openai' } as never })).toThrow('gateTools: options.proxy.adapter cannot be set');
    expect(() => gateTools(tools, { gate, mode: 'observe', proxy: { profile: 'oss-prod' } })).toThrow('gateTools: oss-prod profile does not allow observe mode');
  });
});
