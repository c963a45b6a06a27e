// `gait gate eval --context-envelope` (cli.md §2.2/§2.3 step 10, intent.md §4.2, policy.md row 16b).
// The expectations are Gait v1.3.6's; with the oracle present (GAIT_ORACLE, or ../shared/oracle/gait
// beside the repo) every case also runs through it and must give the same exit, the same JSON
// (correlation_id aside) and the same trace (clock, ids and signature aside), and each side's trace
// must verify with the other's `trace verify`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, gaitProcess, FIXTURES, REPO } from './run.js';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);
const PRIVATE_KEY = path.join(FIXTURES, 'scenarios/keys/approval_private.key');
const PUBLIC_KEY = path.join(FIXTURES, 'scenarios/keys/approval_public.key');

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
const intent = (context: Record<string, unknown> = {}) => ({
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-05T00:00:00Z', producer_version: 'test',
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo', risk_class: 'high', ...context },
});
// Retrieved in the future: age 0 on both sides whenever they run, so intent digests compare.
const FUTURE = '2099-01-01T00:00:00Z';
const record = (ref = 'r1', retrievedAt = FUTURE) => ({
  ref_id: ref, source_type: 'doc', source_locator: 'file:///a', query_digest: 'a'.repeat(64), content_digest: 'b'.repeat(64),
  retrieved_at: retrievedAt, redaction_mode: 'none',
});
const envelope = (extra: Record<string, unknown> = {}) => ({ context_set_id: 'set-1', evidence_mode: 'required', records: [record('r2'), record('r1')], ...extra });
const ENVELOPE_DIGEST = '76ce86afe4a6c79b17292df83ee786f133161bc66b9dd465772b751e01c2ae28';

interface Case {
  policy?: string;
  intent?: unknown;
  /** Written as `envelope.json` (a string as it is). */
  envelope?: unknown;
  args?: string[];
  /** Approve the intent's script for the policy in `registry.json` first (fast path). */
  registry?: boolean;
}

interface Run {
  exit: number;
  json: Record<string, any>;
  trace: Record<string, any> | undefined;
  dir: string;
}

function setUp(c: Case): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-envelope-'));
  mkdirSync(path.join(dir, '.gait-out'));
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'policy.yaml'), c.policy ?? POLICY);
  writeFileSync(path.join(dir, 'intent.json'), JSON.stringify(c.intent ?? intent()));
  if (c.envelope !== undefined) writeFileSync(path.join(dir, 'envelope.json'), typeof c.envelope === 'string' ? c.envelope : JSON.stringify(c.envelope));
  if (c.registry) {
    const approved = gaitProcess(['approve-script', '--policy', 'policy.yaml', '--intent', 'intent.json', '--registry', 'registry.json', '--approver', 'secops', '--key-mode', 'prod', '--private-key', PRIVATE_KEY, '--json'], { cwd: dir });
    expect(approved.exit, approved.stdout).toBe(0);
  }
  writeFileSync(path.join(dir, 'inventory.json'), JSON.stringify({ items: [{ tool_name: 'tool.write', data_class: 'pii', endpoint_class: 'fs.write', autonomy_level: 'high' }] }));
  return dir;
}

function argv(c: Case): string[] {
  return [
    'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', PRIVATE_KEY,
    '--trace-out', 'trace.json', ...(c.args ?? ['--context-envelope', 'envelope.json']),
  ];
}

function traceIn(dir: string): Record<string, any> | undefined {
  const file = path.join(dir, 'trace.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

async function ours(c: Case): Promise<Run> {
  const dir = setUp(c);
  const r = await gait(argv(c), { cwd: dir });
  return { exit: r.exit, json: r.json, trace: traceIn(dir), dir };
}

function theirs(c: Case): Run {
  const dir = setUp(c);
  const r = spawnSync(ORACLE!, argv(c), { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { exit: r.status ?? -1, json: JSON.parse(r.stdout.trim()), trace: traceIn(dir), dir };
}

const maskJson = ({ correlation_id: _c, ...rest }: Record<string, any>) => rest;
const maskTrace = (t: Record<string, any> | undefined) => {
  if (!t) return t;
  const { observed_at: _o, event_id: _e, correlation_id: _c, latency_ms: _l, signature: _s, producer_version: _p, ...rest } = t;
  if (rest['pre_approved']) delete rest['created_at']; // the fast path's result is stamped with the clock
  return rest;
};

/** Runs the case here and, when the oracle is present, there too; compares and cross-verifies. */
async function run(c: Case, { sameDigests = true } = {}): Promise<Run> {
  const mine = await ours(c);
  if (!ORACLE) return mine;
  const ref = theirs(c);
  const digestFree = (o: Record<string, any> | undefined) => {
    if (!o || sameDigests) return o;
    const { intent_digest: _i, trace_id: _t, relationship: _r, ...rest } = o;
    return rest;
  };
  expect(mine.exit).toBe(ref.exit);
  expect(digestFree(maskJson(mine.json))).toEqual(digestFree(maskJson(ref.json)));
  expect(digestFree(maskTrace(mine.trace))).toEqual(digestFree(maskTrace(ref.trace)));
  if (mine.trace && ref.trace) {
    for (const dir of [mine.dir, ref.dir]) {
      const file = path.join(dir, 'trace.json');
      const byGait = spawnSync(ORACLE, ['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json'], { encoding: 'utf8', timeout: 30_000 });
      expect(byGait.status, `Gait verifies ${file}: ${byGait.stdout}`).toBe(0);
      const byUs = await gait(['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json']);
      expect(byUs.exit, `we verify ${file}: ${byUs.stdout}`).toBe(0);
    }
  }
  return mine;
}

const errorOf = (r: Run) => {
  expect(r.exit).toBe(6);
  expect(r.json).toMatchObject({ ok: false, error_code: 'invalid_input' });
  expect(r.trace).toBeUndefined();
  return r.json['error'];
};

describe('gate eval --context-envelope', () => {
  it('row 16b: a verified envelope allows a context-evidence rule; output and trace carry the evidence', async () => {
    const r = await run({ envelope: envelope() });
    expect(r.exit).toBe(0);
    expect(r.json).toMatchObject({
      ok: true, verdict: 'allow', matched_rule: 'allow-with-context-proof', reason_codes: ['matched_rule_allow_with_context_proof'],
      context_source: 'context_envelope', context_set_digest: ENVELOPE_DIGEST, context_evidence_mode: 'required', context_ref_count: 2, phase: 'apply',
    });
    expect(r.trace).toMatchObject({ context_source: 'context_envelope', context_set_digest: ENVELOPE_DIGEST, context_evidence_mode: 'required', context_ref_count: 2, verdict: 'allow' });
    const verified = await gait(['trace', 'verify', path.join(r.dir, 'trace.json'), '--public-key', PUBLIC_KEY, '--json']);
    expect(verified.exit).toBe(0);
  });

  it('row 16: without the flag (or with a blank one) claims are stripped and the rule blocks', async () => {
    for (const args of [[], ['--context-envelope', '  ']]) {
      const r = await run({ intent: intent({ context_set_digest: ENVELOPE_DIGEST, context_evidence_mode: 'required', auth_context: { context_age_seconds: 1 } }), args });
      expect(r.exit).toBe(3);
      expect(r.json['reason_codes']).toEqual(['context_evidence_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded', 'context_set_digest_missing', 'matched_rule_allow_with_context_proof']);
      expect(r.json['context_source']).toBeUndefined();
      expect(r.trace!['context_set_digest']).toBeUndefined();
    }
  });

  it('a stale, best-effort or record-less envelope blocks with the rule\'s reasons', async () => {
    const stale = await run({ envelope: envelope({ records: [record('r1', '2020-01-01T00:00:00Z')] }) }, { sameDigests: false });
    expect(stale.exit).toBe(3);
    expect(stale.json['reason_codes']).toEqual(['context_freshness_exceeded', 'matched_rule_allow_with_context_proof']);
    const bestEffort = await run({ envelope: envelope({ evidence_mode: '' }) });
    expect(bestEffort.json['reason_codes']).toEqual(['context_evidence_mode_mismatch', 'matched_rule_allow_with_context_proof']);
    expect(bestEffort.json['context_evidence_mode']).toBe('best_effort');
    const noRecords = await run({ envelope: { context_set_id: 's', evidence_mode: 'required', created_at: FUTURE } });
    expect(noRecords.exit).toBe(0);
    expect(noRecords.json['context_ref_count']).toBeUndefined();
  });

  it('--evaluation-time (gait-wasm only) measures the age', async () => {
    const at = async (time: string) => (await ours({ envelope: envelope({ records: [record('r1', '2026-03-12T11:59:30Z')] }), args: ['--context-envelope', 'envelope.json', '--evaluation-time', time] })).json;
    expect((await at('2026-03-12T12:00:00Z'))['verdict']).toBe('allow');
    expect((await at('2026-03-12T12:00:01Z'))['reason_codes']).toEqual(['context_freshness_exceeded', 'matched_rule_allow_with_context_proof']);
  });

  it('claims that agree are replaced; claims that disagree are invalid input, or a fail-closed block', async () => {
    const agree = await run({ envelope: envelope(), intent: intent({ context_set_digest: ENVELOPE_DIGEST.toUpperCase(), context_evidence_mode: 'REQUIRED', context_refs: ['zz'], auth_context: { context_age_seconds: 99999 } }) });
    expect(agree.exit).toBe(0);
    expect(agree.json['context_ref_count']).toBe(2);
    expect(errorOf(await run({ envelope: envelope(), intent: intent({ context_set_digest: 'c'.repeat(64) }) })))
      .toBe('normalize intent: context envelope digest does not match context.context_set_digest');
    expect(errorOf(await run({ envelope: envelope(), intent: intent({ context_evidence_mode: 'best_effort' }) })))
      .toBe('normalize intent: context envelope evidence mode does not match context.context_evidence_mode');
    const blocked = await run({ policy: FAIL_CLOSED, envelope: envelope(), intent: intent({ context_evidence_mode: 'best_effort' }) });
    expect(blocked.exit).toBe(3);
    expect(blocked.json).toMatchObject({ verdict: 'block', reason_codes: ['fail_closed_intent_invalid'], violations: ['intent_not_evaluable'], context_evidence_mode: 'best_effort' });
    expect(blocked.json['phase']).toBeUndefined();
    expect(blocked.json['context_source']).toBeUndefined();
    // With a phase in the intent, Gait prints it as written (not normalized) when the envelope did
    // not bind (found by the differential runner; checked on the binary: `APPLY` stays `APPLY`).
    for (const phase of ['plan', 'APPLY']) {
      const withPhase = await run({ policy: FAIL_CLOSED, envelope: envelope(), intent: intent({ context_evidence_mode: 'best_effort', phase }) });
      expect(withPhase.json).toMatchObject({ verdict: 'block', reason_codes: ['fail_closed_intent_invalid'], phase });
    }
  });

  it('joins the Wrkr source: context_source is sorted', async () => {
    const r = await run({ envelope: envelope(), args: ['--context-envelope', 'envelope.json', '--wrkr-inventory', 'inventory.json'] });
    expect(r.json['context_source']).toBe('context_envelope,inventory.json');
  });

  it('binds to script intents too', async () => {
    const script = { ...intent(), tool_name: 'script', args: {}, targets: [], script: { steps: [{ tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: intent().targets }] } };
    const r = await run({ envelope: envelope(), intent: script });
    expect(r.exit).toBe(0);
    expect(r.json).toMatchObject({ script: true, context_source: 'context_envelope', context_ref_count: 2 });
  });

  it('the approved-script fast path ignores the envelope and prints the intent\'s own claims', async () => {
    const script = {
      ...intent({ context_set_digest: 'A'.repeat(64), context_evidence_mode: 'required', context_refs: ['x', 'y'] }),
      tool_name: 'script', args: {}, targets: [], script: { steps: [{ tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: intent().targets }] },
    };
    const r = await run({
      policy: 'default_verdict: block\nfail_closed:\n  enabled: true\n  risk_classes: [high]\n', intent: script, registry: true,
      envelope: envelope({ evidence_mode: 'best_effort' }),
      args: ['--context-envelope', 'envelope.json', '--approved-script-registry', 'registry.json', '--approved-script-public-key', PUBLIC_KEY],
    });
    expect(r.exit).toBe(0);
    expect(r.json).toMatchObject({
      verdict: 'allow', pre_approved: true, phase: 'apply', context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', context_ref_count: 2,
    });
    expect(r.json['context_source']).toBeUndefined();
  });

  it.each([
    ['../envelope.json', 'context envelope path must be a local filesystem path'],
    ['sub/../../envelope.json', 'context envelope path must be a local filesystem path'],
    ['missing.json', 'read context envelope: open missing.json: no such file or directory'],
    ['./sub//missing.json', 'read context envelope: open sub/missing.json: no such file or directory'],
    ['sub', 'read context envelope: read sub: is a directory'],
    ['.', 'read context envelope: read .: is a directory'],
  ])('path %j: %s', async (given, message) => {
    expect(errorOf(await run({ envelope: envelope(), args: ['--context-envelope', given] }))).toBe(message);
  });

  it('accepts local paths that stay inside, absolute paths, and spaces around them', async () => {
    for (const given of ['sub/../envelope.json', ' envelope.json ', './envelope.json']) {
      expect((await run({ envelope: envelope(), args: ['--context-envelope', given] })).exit).toBe(0);
    }
    const mine = await ours({ envelope: envelope(), args: [] });
    const absolute = await gait([...argv({ args: ['--context-envelope', path.join(mine.dir, 'envelope.json')] })], { cwd: mine.dir });
    expect(absolute.exit).toBe(0);
  });

  it.each([
    ['', 'parse context envelope: EOF'],
    ['[]', 'parse context envelope: json: cannot unmarshal array into Go value of type context.Envelope'],
    [JSON.stringify({ ...envelope(), extra: 1 }), 'parse context envelope: json: unknown field "extra"'],
    [JSON.stringify({ ...envelope(), created_at: 'yesterday' }), 'parse context envelope: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    [JSON.stringify({ ...envelope(), context_set_id: '' }), 'context_set_id is required'],
    [JSON.stringify({ ...envelope(), context_set_digest: 'c'.repeat(64) }), 'context_set_digest mismatch'],
    [JSON.stringify({ ...envelope(), records: [{ ...record(), query_digest: 'x' }] }), 'context record digests must be sha256 hex'],
    [JSON.stringify({ ...envelope(), schema_id: 'gait.other' }), 'unsupported context envelope schema_id: gait.other'],
    [JSON.stringify({ context_set_id: 's', producer_version: 'x'.repeat(1048576) }), 'context envelope exceeds size limit (1048576 bytes)'],
  ])('malformed envelope %#', async (text, message) => {
    expect(errorOf(await run({ envelope: text }))).toBe(message);
  });

  it('reads only the first JSON value, as Gait does', async () => {
    expect((await run({ envelope: JSON.stringify(envelope()) + ' trailing' })).exit).toBe(0);
  });

  it('is in the usage text', async () => {
    expect((await gait(['gate', 'eval', '--help'])).stdout).toContain('[--context-envelope <context_envelope.json>]');
  });
});
