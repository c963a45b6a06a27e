// Gate with a context envelope (intent.md §4.2, policy.md §3.4 and test row 16/16b): verified
// evidence replaces the intent's claims; claims alone never satisfy a context-evidence rule.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instantiateSync, createGate, parseContextEnvelope, GaitError, ToolAdapter, GateEnforcementError } from '../../bindings/index.js';
import { parseRfc3339 } from '../../bindings/time.js';

const engine = instantiateSync(readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url))));
const POLICY = `default_verdict: block
rules:
  - name: allow-with-context-proof
    priority: 10
    effect: allow
    require_context_evidence: true
    max_context_age_seconds: 30
    match:
      tool_names: [tool.write]
`;
const FAIL_CLOSED = POLICY.replace('rules:', 'fail_closed:\n  enabled: true\n  risk_classes: [high]\nrules:');
const now = parseRfc3339('2026-03-12T12:00:00Z');
const intent = (context: Record<string, unknown> = {}) => ({
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-05T00:00:00Z', producer_version: 'test',
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo', risk_class: 'high', ...context },
});
const record = (retrievedAt: string, ref = 'r1') => ({
  ref_id: ref, source_type: 'doc', source_locator: 'file:///a', query_digest: 'a'.repeat(64), content_digest: 'b'.repeat(64),
  retrieved_at: retrievedAt, redaction_mode: 'none',
});
const envelopeJson = (retrievedAt = '2026-03-12T11:59:55Z', mode = 'required') =>
  JSON.stringify({ context_set_id: 'set-1', evidence_mode: mode, records: [record(retrievedAt), record(retrievedAt, 'r0')] });

describe('Gate with a context envelope', () => {
  const gate = createGate(engine, POLICY);

  it('row 16: claims in the intent alone are stripped and block', () => {
    const e = gate.evaluate(intent({ context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', auth_context: { context_age_seconds: 1 } }), { now });
    expect(e.result.verdict).toBe('block');
    expect(e.result.reason_codes).toEqual(['context_evidence_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded', 'context_set_digest_missing', 'matched_rule_allow_with_context_proof']);
    expect(e.context_source).toBe('');
  });

  it('row 16b: a verified envelope retrieved 5 s before now allows, whatever form it is passed in', () => {
    const text = envelopeJson();
    for (const contextEnvelope of [text, new TextEncoder().encode(text), JSON.parse(text), parseContextEnvelope(text)]) {
      const e = gate.evaluate(intent(), { contextEnvelope, now });
      expect(e.result.verdict).toBe('allow');
      expect(e.result.reason_codes).toEqual(['matched_rule_allow_with_context_proof']);
      expect(e.context_source).toBe('context_envelope');
      const ctx = e.prepared!.context;
      expect(ctx.context_set_digest).toBe(parseContextEnvelope(text).context_set_digest);
      expect(ctx.context_evidence_mode).toBe('required');
      expect(ctx.context_refs).toEqual(['r0', 'r1']);
      expect(ctx.auth_context).toEqual({ context_age_seconds: 5 });
    }
    expect(gate.verdict(intent(), { contextEnvelope: text, now }).verdict).toBe('allow');
    expect(gate.check(intent(), { contextEnvelope: text, now })).toMatchObject({
      verdict: 'allow', context_source: 'context_envelope', context_evidence_mode: 'required', context_ref_count: 2, phase: 'apply',
    });
  });

  it('the bound evidence is digested: the intent digest changes with the age', () => {
    const at = (t: string) => gate.evaluate(intent(), { contextEnvelope: envelopeJson(), now: parseRfc3339(t) }).intent_digest;
    expect(at('2026-03-12T12:00:00Z')).not.toBe(at('2026-03-12T12:00:01Z'));
    expect(at('2026-03-12T12:00:00Z')).toBe(at('2026-03-12T12:00:00.999Z'));
  });

  it('a stale or best-effort envelope blocks with the rule\'s context reasons', () => {
    expect(gate.evaluate(intent(), { contextEnvelope: envelopeJson('2026-03-12T11:59:29Z'), now }).result.reason_codes)
      .toEqual(['context_freshness_exceeded', 'matched_rule_allow_with_context_proof']);
    expect(gate.evaluate(intent(), { contextEnvelope: envelopeJson('2026-03-12T11:59:30Z'), now }).result.verdict).toBe('allow'); // age == max passes
    expect(gate.evaluate(intent(), { contextEnvelope: envelopeJson(undefined, 'best_effort'), now }).result.reason_codes)
      .toEqual(['context_evidence_mode_mismatch', 'matched_rule_allow_with_context_proof']);
  });

  it('claims that agree with the envelope are fine; claims that disagree make the intent unevaluable', () => {
    const digest = parseContextEnvelope(envelopeJson()).context_set_digest;
    expect(gate.evaluate(intent({ context_set_digest: digest.toUpperCase(), context_evidence_mode: 'Required', context_refs: ['x'], auth_context: { context_age_seconds: 0, k: 'v' } }), { contextEnvelope: envelopeJson(), now }).prepared!.context)
      .toMatchObject({ context_refs: ['r0', 'r1'], auth_context: { context_age_seconds: 5, k: 'v' } });
    const thrown = (context: Record<string, unknown>, contextEnvelope: unknown = envelopeJson()) => {
      try {
        gate.evaluate(intent(context), { contextEnvelope: contextEnvelope as string, now });
      } catch (err) {
        expect(err).toBeInstanceOf(GaitError);
        return (err as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(thrown({ context_set_digest: 'c'.repeat(64) })).toBe('normalize intent: context envelope digest does not match context.context_set_digest');
    expect(thrown({ context_evidence_mode: 'best_effort' })).toBe('normalize intent: context envelope evidence mode does not match context.context_evidence_mode');
    expect(thrown({}, '{"records":[]}')).toBe('normalize intent: verify context envelope: context_set_id is required');
    expect(thrown({}, { context_set_id: 's', extra: 1 })).toBe('normalize intent: verify context envelope: parse context envelope: json: unknown field "extra"');
  });

  it('under fail-closed, an envelope that does not bind blocks; the evaluation keeps the intent\'s own claims', () => {
    const fc = createGate(engine, FAIL_CLOSED);
    const e = fc.evaluate(intent({ context_evidence_mode: 'best_effort' }), { contextEnvelope: envelopeJson(), now });
    expect(e.result.verdict).toBe('block');
    expect(e.result.reason_codes).toEqual(['fail_closed_intent_invalid']);
    expect(e.result.violations).toEqual(['intent_not_evaluable']);
    expect(e.context_binding_error).toBe('context envelope evidence mode does not match context.context_evidence_mode');
    expect(e.context_source).toBe('');
    expect(e.prepared!.context.context_evidence_mode).toBe('best_effort');
    const payload = fc.check(intent({ context_evidence_mode: 'best_effort' }), { contextEnvelope: envelopeJson(), now });
    expect(payload.phase).toBeUndefined();
    expect(payload.context_evidence_mode).toBe('best_effort');
  });

  it('joins the envelope and Wrkr sources, sorted', () => {
    const inventory = new Map([['tool.write', { tool_name: 'tool.write', data_class: 'pii', endpoint_class: 'fs.write', autonomy_level: 'high' }]]);
    const e = gate.evaluate(intent(), { contextEnvelope: envelopeJson(), now, wrkrInventory: inventory, wrkrSource: 'inv.json' });
    expect(e.context_source).toBe('context_envelope,inv.json');
    expect(e.prepared!.context.auth_context).toMatchObject({ context_age_seconds: 5, 'wrkr.tool_name': 'tool.write' });
  });

  it('evaluateNormalized binds a copy and leaves the caller\'s intent alone', () => {
    const first = gate.evaluate(intent({ context_evidence_mode: 'required' }), { contextEnvelope: envelopeJson(), now });
    const mine = structuredClone(first.prepared!);
    const before = JSON.stringify(mine);
    expect(gate.evaluateNormalized(mine, { contextEnvelope: envelopeJson(), now }).result.verdict).toBe('allow');
    expect(JSON.stringify(mine)).toBe(before);
  });

  it('ToolAdapter takes the envelope: the tool runs only with verified evidence', async () => {
    const executor = (judged: { context: { context_refs: string[] } }) => judged.context.context_refs;
    const withEnvelope = new ToolAdapter(gate, { contextEnvelope: parseContextEnvelope(envelopeJson()), now });
    expect((await withEnvelope.execute({ intent: intent(), executor })).result).toEqual(['r0', 'r1']);
    await expect(new ToolAdapter(gate, { now }).execute({ intent: intent(), executor })).rejects.toBeInstanceOf(GateEnforcementError);
  });
});
