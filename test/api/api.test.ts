// The library API: engine from any source, gates from text or objects, check(), ToolAdapter.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { instantiate, instantiateSync, createGate, ToolAdapter, GateEnforcementError, GateEvaluationError, GaitError, EngineError } from '../../bindings/index.js';
import { gait, FIXTURES } from '../cli/run.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const wasm = readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url)));
const engine = instantiateSync(wasm);
const fixture = (p: string) => readFileSync(FIXTURES + p, 'utf8');

describe('engine instantiation', () => {
  it('accepts a module, bytes or a Response', async () => {
    const module = new WebAssembly.Module(wasm);
    for (const source of [module, wasm, new Response(wasm, { headers: { 'content-type': 'application/wasm' } })]) {
      const e = await instantiate(source);
      expect(e.noop(7)).toBe(7);
    }
  });

  it('gives a typed error for a broken module or a failed fetch', async () => {
    await expect(instantiate(new Uint8Array([0, 97, 115, 109, 9, 9]))).rejects.toBeInstanceOf(EngineError);
    await expect(instantiate(new Response('nope', { status: 404 }))).rejects.toThrow(/HTTP 404/);
    expect(() => instantiateSync(new Uint8Array([1, 2, 3]))).toThrow(EngineError);
  });
});

describe('createGate and check()', () => {
  it('gives the same result object as gait gate eval --json (without trace fields)', async () => {
    const gate = createGate(engine, fixture('policy/base_high_risk.yaml'));
    const intentText = fixture('policy/intents/intent_tainted_egress.json');
    const fromText = gate.check(intentText);
    const fromObject = gate.check(JSON.parse(intentText));
    expect(fromObject).toEqual(fromText);
    const dir = mkdtempSync(path.join(tmpdir(), 'gait-api-'));
    const cli = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy/base_high_risk.yaml', '--intent', FIXTURES + 'policy/intents/intent_tainted_egress.json', '--json'], { cwd: dir });
    const { correlation_id, trace_id, trace_path, warnings, ...cliRest } = cli.json;
    expect(trace_id).toBeTruthy();
    expect(JSON.parse(JSON.stringify(fromText))).toEqual(cliRest);
    expect(fromText.verdict).toBe('block');
  });

  it('accepts a policy object and validates it like YAML', () => {
    const gate = createGate(engine, { default_verdict: 'block', rules: [{ name: 'r', effect: 'allow', match: { tool_names: ['Tool.Read'] } }] });
    expect(gate.check({ tool_name: 'tool.read', context: { identity: 'a', workspace: '/w', risk_class: 'low' } }).verdict).toBe('allow');
    expect(() => createGate(engine, { default_verdit: 'allow' })).toThrow(/unknown field "default_verdit"/);
    expect(() => createGate(engine, 'default_verdict: [')).toThrow(GaitError);
  });

  it('gives the same digests whichever of intent_digest and prepared is read first', () => {
    const gate = createGate(engine, fixture('policy/base_high_risk.yaml'));
    const intent = JSON.parse(fixture('policy/intents/intent_delegated_egress_valid.json'));
    const digestFirst = gate.evaluate(intent);
    const digest = digestFirst.intent_digest;
    const preparedFirst = gate.evaluate(intent).prepared!;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digestFirst.prepared).toEqual(preparedFirst);
    expect(preparedFirst.intent_digest).toBe(digest);
    expect(preparedFirst.args_digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('throws a GaitError on invalid intents, never a verdict', () => {
    const gate = createGate(engine, 'default_verdict: allow\n');
    expect(() => gate.check('{not json')).toThrow(GaitError);
    expect(() => gate.check({})).toThrow(/normalize intent: tool_name is required/);
  });
});

describe('ToolAdapter (cli.md §11.2)', () => {
  const policy = `default_verdict: allow
rules:
  - name: block
    effect: block
    match: { tool_names: [tool.block] }
    reason_codes: [blocked_tool]
  - name: approval
    effect: require_approval
    match: { tool_names: [tool.approval] }
    reason_codes: [approval_required]
  - name: dry
    effect: dry_run
    match: { tool_names: [tool.dry] }
    reason_codes: [dry_run_selected]
`;
  const gate = createGate(engine, policy);
  const intent = (tool: string) => ({ tool_name: tool, args: { path: '/tmp/x' }, context: { identity: 'alice', workspace: '/w', risk_class: 'low' } });

  it('executes on allow', async () => {
    const executor = vi.fn(() => 'written');
    const out = await new ToolAdapter(gate).execute({ intent: intent('tool.write'), executor });
    expect(out).toMatchObject({ executed: true, result: 'written' });
    expect(out.decision.reason_codes).toEqual(['default_allow']);
    expect(executor).toHaveBeenCalledTimes(1);
  });

  it('returns without executing on dry_run', async () => {
    const executor = vi.fn();
    const out = await new ToolAdapter(gate).execute({ intent: intent('tool.dry'), executor });
    expect(out).toMatchObject({ executed: false, result: undefined });
    expect(out.decision.verdict).toBe('dry_run');
    expect(executor).not.toHaveBeenCalled();
  });

  it('throws with the decision on block and require_approval', async () => {
    for (const [tool, verdict] of [['tool.block', 'block'], ['tool.approval', 'require_approval']]) {
      const executor = vi.fn();
      const err = await new ToolAdapter(gate).execute({ intent: intent(tool!), executor }).catch((e) => e);
      expect(err).toBeInstanceOf(GateEnforcementError);
      expect(err.decision.verdict).toBe(verdict);
      expect(err.message).toMatch(new RegExp(`^execution blocked by gate verdict=${verdict} reasons=`));
      expect(executor).not.toHaveBeenCalled();
    }
  });

  it('fails closed on evaluation errors and passes decisions to the trace sink', async () => {
    const executor = vi.fn();
    const sink = vi.fn();
    const adapter = new ToolAdapter(gate, { traceSink: sink });
    await expect(adapter.execute({ intent: { tool_name: '' }, executor })).rejects.toBeInstanceOf(GateEvaluationError);
    expect(executor).not.toHaveBeenCalled();
    await adapter.execute({ intent: intent('tool.write'), executor: () => 1 });
    expect(sink).toHaveBeenCalledTimes(1);
    expect(sink.mock.calls[0]![0].verdict).toBe('allow');
  });

  it('observe mode never blocks the caller but marks the decision', async () => {
    const out = await new ToolAdapter(gate, { mode: 'observe' }).execute({ intent: intent('tool.block'), executor: () => 'ran' });
    expect(out.executed).toBe(true);
    expect(out.mode).toBe('observe');
    expect(out.decision.would_have_blocked).toBe(true);
  });
});
