// The smallest failing cases the fuzz properties found, pinned as plain examples (fast, and
// readable in a bug report). Each `it` fails until the bug it names is fixed; do not relax them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantiateSync, createGate, GaitError, ToolAdapter, normalizeIntent, intentDigest, parsePolicyYaml, formatPolicy } from '../../bindings/index.js';
import { ROOT } from './arbitraries.js';

const engine = instantiateSync(readFileSync(join(ROOT, 'dist/core.wasm')));
const ALLOW_READ_ONLY = 'default_verdict: block\nrules:\n  - {name: allow-read, effect: allow, match: {tool_names: [tool.read]}}\n';
const ctx = () => ({ identity: 'alice', workspace: '/repo/gait', risk_class: 'low' });

/** Runs the adapter; returns what the executor saw (undefined when it did not run). */
async function executorSees(policy: string, intent: unknown): Promise<unknown> {
  let seen: unknown;
  await new ToolAdapter(createGate(engine, policy)).execute({ intent, executor: (r) => void (seen = r) }).catch(() => undefined);
  return seen;
}

/** The error `run` throws, described; '' when it returns or throws a GaitError. */
function escapes(run: () => unknown): string {
  try {
    run();
    return '';
  } catch (err) {
    return err instanceof GaitError ? '' : `${err instanceof Error ? err.constructor.name : typeof err}: ${String(err)}`;
  }
}

describe('regression: ToolAdapter gives the executor what the gate judged (found by "adapter re-judge *")', () => {
  it('case-variant key: the gate judges TOOL_NAME (folded, last wins), the tool reads tool_name', async () => {
    const seen = (await executorSees(ALLOW_READ_ONLY, { tool_name: 'tool.delete', TOOL_NAME: 'tool.read', context: ctx() })) as { tool_name?: string } | undefined;
    if (seen !== undefined) expect(seen.tool_name).toBe('tool.read');
  });

  it('case-variant key with Unicode folding: riſK_claſs (ſ U+017F, K U+212A) overrides risk_class for the gate only', async () => {
    const policy = 'default_verdict: block\nrules:\n  - {name: allow-low, effect: allow, match: {risk_classes: [low]}}\n';
    const intent = { tool_name: 'tool.read', context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'critical', 'ri\u017f\u212a_cla\u017f\u017f': 'low' } };
    const seen = (await executorSees(policy, intent)) as { context?: { risk_class?: string } } | undefined;
    if (seen !== undefined) expect(seen.context?.risk_class).toBe('low');
  });

  it('lying toJSON: the gate judges toJSON(), the tool reads the object', async () => {
    const intent = { tool_name: 'tool.delete', context: ctx(), toJSON: () => ({ tool_name: 'tool.read', context: ctx() }) };
    const seen = (await executorSees(ALLOW_READ_ONLY, intent)) as { tool_name?: string } | undefined;
    if (seen !== undefined) expect(seen.tool_name).toBe('tool.read');
  });

  it('getter that changes: the gate reads tool.read, the tool reads tool.delete', async () => {
    let reads = 0;
    const intent = { get tool_name() { return reads++ === 0 ? 'tool.read' : 'tool.delete'; }, context: ctx() };
    const seen = (await executorSees(ALLOW_READ_ONLY, intent)) as { tool_name?: string } | undefined;
    if (seen !== undefined) expect(seen.tool_name).toBe('tool.read');
  });

  it('plain intent: the executor gets an immutable value, not the caller\'s mutable object', async () => {
    const intent = { tool_name: 'tool.read', context: ctx() };
    const seen = await executorSees(ALLOW_READ_ONLY, intent);
    expect(seen).toBeDefined();
    expect(seen).not.toBe(intent);
    expect(Object.isFrozen(seen) && Object.isFrozen((seen as { context: object }).context)).toBe(true);
  });
});

describe('regression: only GaitError escapes the library (found by property 1)', () => {
  const gate = createGate(engine, 'default_verdict: allow\n');
  const base = () => ({ tool_name: 'tool.read', context: ctx() });

  it('createGate(null | undefined), a BigInt or a cycle in a policy object', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['rules'] = [cyclic];
    for (const [label, p] of [['null', null], ['undefined', undefined], ['bigint', { default_verdict: 1n }], ['cycle', cyclic]] as const) {
      expect(escapes(() => createGate(engine, p as never)), label).toBe('');
    }
  });

  it('an intent whose getter, Proxy trap or toJSON throws (the caller\'s error escapes as is)', () => {
    const { proxy, revoke } = Proxy.revocable(base(), {});
    revoke();
    const cases: Array<[string, () => unknown]> = [
      ['getter throws', () => Object.defineProperty(base(), 'tool_name', { get() { throw new Error('boom'); }, enumerable: true })],
      ['toJSON throws', () => Object.assign(base(), { toJSON() { throw new Error('boom'); } })],
      ['ownKeys trap throws', () => new Proxy(base(), { ownKeys() { throw new Error('boom'); } })],
      ['revoked Proxy', () => proxy],
    ];
    for (const [label, make] of cases) {
      expect(escapes(() => gate.evaluate(make())), `evaluate: ${label}`).toBe('');
      expect(escapes(() => gate.verdict(make())), `verdict: ${label}`).toBe('');
      expect(escapes(() => gate.decide(make())), `decide: ${label}`).toBe('');
    }
  });

  it('normalizeIntent and intentDigest on a plain intent object (what a caller has)', () => {
    expect(escapes(() => normalizeIntent(base() as never))).toBe('');
    expect(escapes(() => intentDigest(base() as never))).toBe('');
  });

  it('parsePolicyYaml(null) and formatPolicy of a non-parsed policy', () => {
    expect(escapes(() => parsePolicyYaml(null as never))).toBe('');
    expect(escapes(() => formatPolicy(null as never))).toBe('');
    expect(escapes(() => formatPolicy({ default_verdict: 'allow' } as never))).toBe('');
  });
});
