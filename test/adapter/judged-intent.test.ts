// ToolAdapter runs exactly what the gate judged (issue 9, findings 1 and 5): the intent is read
// once, the executor receives that reading as a frozen value, and observe mode must be asked for
// by name.
import { describe, it, expect, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { instantiateSync, createGate, ToolAdapter, GateEnforcementError, GateEvaluationError, GaitError } from '../../bindings/index.js';

const engine = instantiateSync(readFileSync(new URL('../../dist/core.wasm', import.meta.url)));
const gate = createGate(engine, readFileSync(new URL('../../examples/gait/policy/base_high_risk.yaml', import.meta.url), 'utf8'));

const context = { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' };
const readIntent = () => ({
  tool_name: 'tool.read',
  args: { path: '/tmp/gait/safe.txt' },
  targets: [{ kind: 'path', value: '/tmp/gait/safe.txt', operation: 'read' }],
  context: { ...context, risk_class: 'low' },
});
const deleteIntent = () => ({
  tool_name: 'tool.delete',
  args: { path: '/etc/passwd' },
  targets: [{ kind: 'path', value: '/etc/passwd', operation: 'delete' }],
  context,
});

/** Runs the adapter; returns what the executor received (or undefined) and the outcome/error. */
async function run(intent: unknown, adapter = new ToolAdapter(gate)) {
  const received: unknown[] = [];
  const executor = vi.fn((i: unknown) => {
    received.push(i);
    return 'ran';
  });
  const outcome = await adapter.execute({ intent, executor }).catch((e: unknown) => e);
  return { received, outcome, calls: executor.mock.calls.length };
}

describe('ToolAdapter executes what it judged', () => {
  it('the policy blocks the delete and allows the read (the premise)', () => {
    expect(gate.verdict(deleteIntent()).verdict).toBe('block');
    expect(gate.verdict(readIntent()).verdict).toBe('allow');
  });

  it('case-variant keys: the executor sees the reading the gate judged (Go: last match wins)', async () => {
    const hostile = { ...deleteIntent(), TOOL_NAME: 'tool.read', TARGETS: readIntent().targets, ARGS: readIntent().args, CONTEXT: readIntent().context };
    const { received, outcome } = await run(hostile);
    expect(gate.verdict(hostile).verdict).toBe('allow');
    expect(outcome).toMatchObject({ executed: true });
    expect(received).toHaveLength(1);
    const seen = received[0] as { tool_name: string; args: { path: string }; targets: Array<{ value: string }> };
    expect(seen.tool_name).toBe('tool.read');
    expect(seen.args.path).toBe('/tmp/gait/safe.txt');
    expect(seen.targets.map((t) => t.value)).toEqual(['/tmp/gait/safe.txt']);
    expect((seen as Record<string, unknown>).TOOL_NAME).toBeUndefined();
  });

  it('a toJSON that describes a read: the executor gets the read, never the delete', async () => {
    const hostile = { ...deleteIntent(), toJSON: () => readIntent() };
    const { received } = await run(hostile);
    expect(received).toHaveLength(1);
    expect((received[0] as { tool_name: string }).tool_name).toBe('tool.read');
  });

  it('a getter that answers differently on each read is read once', async () => {
    let reads = 0;
    const hostile = {
      ...readIntent(),
      get targets() {
        reads++;
        return reads === 1 ? readIntent().targets : deleteIntent().targets;
      },
    };
    const { received, outcome } = await run(hostile);
    expect(reads).toBe(1);
    expect(outcome).toMatchObject({ executed: true });
    const seen = received[0] as { targets: Array<{ value: string }> };
    expect(seen.targets.map((t) => t.value)).toEqual(['/tmp/gait/safe.txt']);
  });

  it('a Proxy that changes its answers is read once and judged on that reading', async () => {
    let gets = 0;
    const target = readIntent() as Record<string, unknown>;
    const hostile = new Proxy(target, {
      get(t, key, r) {
        if (key === 'tool_name') return gets++ === 0 ? 'tool.read' : 'tool.delete';
        return Reflect.get(t, key, r);
      },
    });
    const { received } = await run(hostile);
    expect(gets).toBe(1);
    expect(received).toHaveLength(1);
    expect((received[0] as { tool_name: string }).tool_name).toBe('tool.read');
  });

  it('the executor receives a deeply frozen value, not the caller object', async () => {
    const intent = readIntent();
    const { received } = await run(intent);
    const seen = received[0] as { args: { path: string }; targets: object[] };
    expect(seen).not.toBe(intent);
    expect(Object.isFrozen(seen)).toBe(true);
    expect(Object.isFrozen(seen.args)).toBe(true);
    expect(Object.isFrozen(seen.targets)).toBe(true);
    expect(Object.isFrozen(seen.targets[0])).toBe(true);
    expect(() => {
      'use strict';
      (seen.args as { path: string }).path = '/etc/shadow';
    }).toThrow(TypeError);
  });

  it('re-judging what the executor received gives the verdict that let it run', async () => {
    const { received } = await run(readIntent());
    expect(gate.verdict(received[0]).verdict).toBe('allow');
  });

  it('a getter that throws is an evaluation error: nothing runs', async () => {
    const hostile = { ...readIntent(), get args() { throw new Error('boom'); } };
    const { outcome, calls } = await run(hostile);
    expect(outcome).toBeInstanceOf(GateEvaluationError);
    expect(calls).toBe(0);
  });
});

describe('observe mode is explicit', () => {
  it('{ simulate: true } is refused: it used to run blocked tools silently', () => {
    expect(() => new ToolAdapter(gate, { simulate: true } as never)).toThrow(GaitError);
    expect(() => new ToolAdapter(gate, { simulate: true } as never)).toThrow(/mode: 'observe'/);
  });

  it('unknown options and modes are refused', () => {
    expect(() => new ToolAdapter(gate, { mdoe: 'observe' } as never)).toThrow(/unknown ToolAdapter option "mdoe"/);
    expect(() => new ToolAdapter(gate, { mode: 'audit' } as never)).toThrow(/mode must be 'enforce' or 'observe'/);
  });

  it("mode: 'observe' runs a blocked tool and says so on the outcome and the decision", async () => {
    const adapter = new ToolAdapter(gate, { mode: 'observe' });
    expect(adapter.mode).toBe('observe');
    const { outcome, calls } = await run(deleteIntent(), adapter);
    expect(calls).toBe(1);
    expect(outcome).toMatchObject({ mode: 'observe', executed: true });
    const decision = (outcome as { decision: Record<string, unknown> }).decision;
    expect(decision).toMatchObject({ simulate_mode: true, would_have_blocked: true, simulated_verdict: 'block' });
  });

  it('enforce is the default and is reported too', async () => {
    const { outcome } = await run(readIntent());
    expect(outcome).toMatchObject({ mode: 'enforce', executed: true });
    const err = (await run(deleteIntent())).outcome;
    expect(err).toBeInstanceOf(GateEnforcementError);
  });

  it('observe mode is refused under the oss-prod profile, like --simulate', () => {
    expect(() => new ToolAdapter(gate, { mode: 'observe', profile: 'oss-prod' })).toThrow(/oss-prod profile does not allow observe mode/);
    expect(new ToolAdapter(gate, { profile: 'oss-prod' }).mode).toBe('enforce');
  });

  it('observe mode still never runs an intent it could not read', async () => {
    const adapter = new ToolAdapter(gate, { mode: 'observe' });
    const { outcome, calls } = await run({ tool_name: 'tool.delete', context: { ...context, risk_class: 'high' }, targets: 'nope' }, adapter);
    expect(calls).toBe(0);
    expect(outcome).toBeInstanceOf(Error);
  });
});
