/**
 * The decision-only fast path (bindings/core/encode-object.ts) against the full path it stands
 * in for: whenever it encodes an intent, the bytes must equal
 *   encodeIntent(stripContextClaims(normalizeIntent(decodeIntentValue(value))), compiled)
 * and the full path must not fail; and gate.verdict must say what gate.evaluate says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compilePolicy, type CompiledPolicy } from '../../bindings/core/compile.js';
import { encodeIntent } from '../../bindings/core/encode.js';
import { encodeIntentObject } from '../../bindings/core/encode-object.js';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { decodeIntentValue } from '../../bindings/intent/decode.js';
import { normalizeIntent, stripContextClaims } from '../../bindings/intent/normalize.js';
import { createEngineSync } from '../../bindings/load/node.js';
import { Gate } from '../../bindings/gate.js';
import { expectVerdictAgrees } from './verdict-agreement.js';
import { fixtureIntents, FULL, mutate, nest, rng, Thing, TYPICAL } from '../intent/inputs.js';

/** A policy that names every value the inputs below use, so their ids are not all 0. */
const WIDE_POLICY = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
fail_closed:
  enabled: true
  risk_classes: [high]
  required_fields: [targets, arg_provenance]
rules:
  - name: writes
    priority: 10
    effect: allow
    match:
      tool_names: [tool.write, tool.read, tool.exec]
      identities: [bench-user, u, alice]
      risk_classes: [high, low, medium]
      target_kinds: [path, url, host, other]
      target_values: [/tmp/out.txt, /tmp/x, https://example.com]
      endpoint_classes: [fs.write, fs.read, fs.delete, net.http, net.dns, proc.exec, other]
      provenance_sources: [user, tool_output, external, system]
      workspace_prefixes: [/tmp, /w]
      context_tool_names: [tool.write, wrkr-tool]
      context_data_classes: [pii, secret]
      context_endpoint_classes: [fs.write]
      context_autonomy_levels: [high, supervised]
    reason_codes: [ok]
  - name: domains
    priority: 20
    effect: block
    match:
      destination_values: [example.com, api.example.com]
      discovery_method: [mcp, static_mcp, unknown, dynamic_mcp]
    reason_codes: [blocked]
`;

const engine = createEngineSync();

interface Target {
  gate: Gate;
  compiled: CompiledPolicy;
}

function target(yaml: string): Target {
  const policy = parsePolicyYaml(yaml);
  return { gate: new Gate(engine, policy), compiled: compilePolicy(policy) };
}

/** The full path's bytes, or its error message. */
function fullPath(value: unknown, compiled: CompiledPolicy): Buffer | string {
  try {
    const normalized = normalizeIntent(decodeIntentValue(value), { digests: false });
    return Buffer.from(encodeIntent(stripContextClaims(normalized, { digests: false }), compiled));
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const stats = { fast: 0, full: 0 };

function check(value: unknown, t: Target, label: string): void {
  let fast: Buffer | undefined;
  expect(() => {
    const e = encodeIntentObject(value, t.compiled);
    // Copy at once: the encoder reuses its buffer on the next call.
    if (e) fast = Buffer.from(new Uint8Array(e.words.buffer, 0, e.byteLength));
  }, `${label}: the fast path never throws`).not.toThrow();
  if (fast === undefined) {
    stats.full++;
  } else {
    stats.fast++;
    const full = fullPath(value, t.compiled);
    expect(typeof full === 'string' ? full : full.toString('hex'), label).toBe(fast.toString('hex'));
  }
  expectVerdictAgrees(t.gate, value, label);
}

interface CorpusCase {
  id: string;
  policy?: string;
  intent?: string;
}

function corpusCases(): Array<{ id: string; policy: string; intent: unknown }> {
  const out: Array<{ id: string; policy: string; intent: unknown }> = [];
  const text = readFileSync(new URL('../../conformance/corpus.jsonl', import.meta.url), 'utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const c = JSON.parse(line) as CorpusCase;
    if (typeof c.policy !== 'string' || typeof c.intent !== 'string') continue;
    let intent: unknown;
    try {
      intent = JSON.parse(c.intent);
    } catch {
      continue; // not JSON: only the text decoder sees these
    }
    out.push({ id: c.id, policy: c.policy, intent });
  }
  return out;
}

describe('encodeIntentObject equals the full path', () => {
  const wide = target(WIDE_POLICY);

  test('the typical intent takes the fast path', () => {
    expect(encodeIntentObject(TYPICAL, wide.compiled)).toBeDefined();
    check(TYPICAL, wide, 'typical');
    // Scripts, delegation, skill provenance and relationships always take the full path.
    expect(encodeIntentObject(FULL, wide.compiled)).toBeUndefined();
    check(FULL, wide, 'full');
  });

  test('every conformance case, against its own policy', () => {
    const cases = corpusCases();
    expect(cases.length).toBeGreaterThan(500);
    const policies = new Map<string, Target>();
    const before = stats.fast;
    for (const c of cases) {
      let t = policies.get(c.policy);
      if (!t) {
        try {
          t = target(c.policy);
        } catch {
          continue; // a policy error case
        }
        policies.set(c.policy, t);
      }
      check(c.intent, t, c.id);
    }
    // Most corpus intents are plain single intents.
    expect(stats.fast - before).toBeGreaterThan(cases.length / 3);
  });

  test('every fixture intent', () => {
    for (const [path, intent] of fixtureIntents()) check(intent, wide, path);
  });

  test('seeded random mutations', () => {
    const bases: unknown[] = [TYPICAL, FULL, ...corpusCases().map((c) => c.intent), ...fixtureIntents().map(([, v]) => v)];
    const r = rng(20261126);
    const before = { ...stats };
    for (let i = 0; i < 3000; i++) {
      const base = bases[Math.floor(r() * bases.length)];
      check(mutate(base, r), wide, `mutation #${i}`);
    }
    // Both paths get real exercise.
    expect(stats.fast - before.fast).toBeGreaterThan(180);
    expect(stats.full - before.full).toBeGreaterThan(1000);
  });

  test('hand-picked edge cases', () => {
    const ctx = TYPICAL.context;
    const withAuth = (auth: unknown): unknown => ({ ...TYPICAL, context: { ...ctx, auth_context: auth } });
    const inherited = Object.create({ tool_name: 'tool.exec' }) as Record<string, unknown>;
    Object.assign(inherited, TYPICAL);
    const cases: Array<[string, unknown, boolean]> = [
      // [label, value, whether the fast path must take it]
      ['wrkr context', withAuth({ 'wrkr.tool_name': ' Tool.Write ', 'wrkr.data_class': 'PII', 'wrkr.endpoint_class': 'fs.write', 'wrkr.autonomy_level': 'Supervised' }), true],
      ['wrkr non-string', withAuth({ 'wrkr.tool_name': 5, 'wrkr.data_class': ['pii'] }), true],
      ['context age only (stripped)', withAuth({ context_age_seconds: 30 }), true],
      ['auth key needs trimming', withAuth({ ' wrkr.tool_name': 'tool.write' }), false],
      ['auth keys collide after trimming', withAuth({ 'wrkr.data_class': 'pii', 'wrkr.data_class ': 'secret' }), false],
      ['auth empty key', withAuth({ '': 1 }), false],
      ['auth lone surrogate value', withAuth({ 'wrkr.tool_name': 'tool\ud800' }), false],
      ['claims: digest and mode', { ...TYPICAL, context: { ...ctx, context_set_digest: 'A'.repeat(64), context_evidence_mode: ' Required ', context_refs: ['r'] } }, true],
      ['claims: bad digest', { ...TYPICAL, context: { ...ctx, context_set_digest: 'xyz' } }, false],
      ['claims: bad mode', { ...TYPICAL, context: { ...ctx, context_evidence_mode: 'sometimes' } }, false],
      ['plan phase', { ...TYPICAL, context: { ...ctx, phase: ' PLAN ' } }, true],
      ['bad phase', { ...TYPICAL, context: { ...ctx, phase: 'later' } }, false],
      ['windows workspace', { ...TYPICAL, context: { ...ctx, workspace: ' C:\\tmp\\work ' } }, true],
      ['no context', { ...TYPICAL, context: undefined }, false],
      ['blank identity', { ...TYPICAL, context: { ...ctx, identity: ' \u3000' } }, false],
      ['mixed-case tool', { ...TYPICAL, tool_name: '  TOOL.Write\t' }, true],
      ['non-ASCII tool', { ...TYPICAL, tool_name: 'TOOL.WRİTE' }, true],
      ['blank tool', { ...TYPICAL, tool_name: ' ' }, false],
      ['url target', { ...TYPICAL, targets: [{ kind: 'URL', value: 'https://API.Example.com:8443/x', operation: 'GET' }] }, true],
      ['host target', { ...TYPICAL, targets: [{ kind: 'host', value: 'http://example.com/a' }] }, true],
      ['duplicate targets', { ...TYPICAL, targets: [{ kind: 'path', value: '/tmp/x' }, { kind: 'path', value: '/tmp/x' }, { kind: 'path', value: '/a' }] }, true],
      ['hints and discovery', { ...TYPICAL, targets: [{ kind: 'path', value: '/tmp/x', destructive_hint: true, read_only_hint: true, discovery_method: 'Static-MCP' }] }, true],
      ['bad discovery', { ...TYPICAL, targets: [{ kind: 'path', value: '/tmp/x', discovery_method: 'carrier pigeon' }] }, false],
      ['bad endpoint class', { ...TYPICAL, targets: [{ kind: 'path', value: '/tmp/x', endpoint_class: 'fs.teleport' }] }, false],
      ['bad kind', { ...TYPICAL, targets: [{ kind: 'planet', value: 'mars' }] }, false],
      ['unicode target value', { ...TYPICAL, targets: [{ kind: 'path', value: '/tmp/ünï😀.txt' }] }, true],
      ['duplicate provenance', { ...TYPICAL, arg_provenance: [{ arg_path: '$.path', source: 'USER' }, { arg_path: '$.path', source: 'user' }] }, true],
      ['bad provenance digest', { ...TYPICAL, arg_provenance: [{ arg_path: '$.path', source: 'user', integrity_digest: 'nope' }] }, false],
      ['no targets or provenance', { ...TYPICAL, targets: [], arg_provenance: null }, true],
      ['created_at offset', { ...TYPICAL, created_at: '2026-02-05T10:00:00.5+05:30' }, true],
      ['created_at leap day', { ...TYPICAL, created_at: '2024-02-29T00:00:00Z' }, true],
      ['created_at not a leap day', { ...TYPICAL, created_at: '2026-02-29T00:00:00Z' }, false],
      ['created_at lenient form', { ...TYPICAL, created_at: '2026-02-05T00:00:00.Z' }, false],
      ['args deep', { ...TYPICAL, args: { a: nest(63) } }, false],
      ['args empty key', { ...TYPICAL, args: { ' ': 1 } }, false],
      ['args NaN', { ...TYPICAL, args: { n: NaN } }, false],
      ['args Date', { ...TYPICAL, args: { d: new Date(0) } }, false],
      ['args dropped members', { ...TYPICAL, args: { f: () => 1, u: undefined, list: [undefined, Symbol('s')] } }, true],
      ['unknown member', { ...TYPICAL, extra: 1 }, false],
      ['case variant member', { ...TYPICAL, Tool_Name: 'x' }, false],
      ['inherited member', inherited, false],
      ['class instance', new Thing(), false],
      ['null-prototype object', Object.assign(Object.create(null), TYPICAL), true],
      ['script null', { ...TYPICAL, script: null, delegation: null, skill_provenance: null, relationship: null }, true],
      ['delegation', { ...TYPICAL, delegation: { requester_identity: 'x' } }, false],
      ['not an object', 'tool.write', false],
    ];
    for (const [label, value, fast] of cases) {
      expect(encodeIntentObject(value, wide.compiled) !== undefined, `${label}: fast path taken`).toBe(fast);
      check(value, wide, label);
    }
  });
});
