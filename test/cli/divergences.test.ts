// Issue 10: `gate eval` and `trace verify` cases where gait-wasm disagreed with Gait v1.3.6.
// Each case under test/fixtures/gait/divergences/<case>/ holds Gait's own output (reference.json:
// the stdout JSON and the written trace); we run the same policy and intent and compare, with the
// fields that differ on every run masked. test/fixtures/gait-written/ holds traces Gait signed with
// the scenario key, which must verify here. With GAIT_ORACLE set (a Gait v1.3.6 binary), traces
// are also exchanged with the real binary in both directions.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestJson } from '../../bindings/canonical/sha256.js';
import { projectTraceRecord } from '../../bindings/crypto/trace.js';
import { withoutSignature } from '../../bindings/crypto/signed-json.js';
import { gait, FIXTURES } from './run.js';

const ORACLE = process.env['GAIT_ORACLE'];
const CASES = path.join(FIXTURES, 'divergences');
const WRITTEN = path.join(FIXTURES, '..', 'gait-written');
const PRIVATE_KEY = path.join(FIXTURES, 'scenarios/keys/approval_private.key');
const PUBLIC_KEY = path.join(FIXTURES, 'scenarios/keys/approval_public.key');
const KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';

/** A fresh working folder with `.gait-out/` (Gait's first rate-limited run fails without it). */
function workDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-divergence-'));
  mkdirSync(path.join(dir, '.gait-out'));
  return dir;
}

interface Reference {
  exit: number;
  stdout: Record<string, any>;
  trace: Record<string, any>;
}

const reference = (name: string): Reference => JSON.parse(readFileSync(path.join(CASES, name, 'reference.json'), 'utf8'));

/** Members that differ on every run (clock, random correlation id, signing key) or by producer (its version). */
function maskStdout(out: Record<string, any>): Record<string, any> {
  const { correlation_id: _c, ...rest } = out;
  return rest;
}

function maskTrace(trace: Record<string, any>): Record<string, any> {
  const { observed_at: _o, event_id: _e, correlation_id: _c, latency_ms: _l, signature: _s, producer_version: _p, ...rest } = trace;
  return rest;
}

async function runCase(name: string, extra: string[] = []) {
  const dir = workDir();
  const r = await gait(
    [
      'gate', 'eval', '--policy', path.join(CASES, name, 'policy.yaml'), '--intent', path.join(CASES, name, 'intent.json'),
      '--json', '--key-mode', 'prod', '--private-key', PRIVATE_KEY, '--trace-out', 'trace.json', ...extra,
    ],
    { cwd: dir },
  );
  const trace = JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'));
  return { dir, exit: r.exit, stdout: r.json, trace, text: readFileSync(path.join(dir, 'trace.json'), 'utf8') };
}

/** Gait's signed_digest is over the trace as Go re-marshals it: our projection must give the same bytes. */
function expectProjectionKeepsDigest(trace: Record<string, any>) {
  expect(digestJson(withoutSignature(projectTraceRecord(trace)))).toBe(trace['signature'].signed_digest);
}

describe('issue 10, traces: empty violations are omitted (case 05, S01)', () => {
  const NAME = '05-trace-empty-violations';

  it('gate eval writes no `violations` member when there are none, as Gait does', async () => {
    const ref = reference(NAME);
    const ours = await runCase(NAME);
    expect(ours.exit).toBe(ref.exit);
    expect(maskStdout(ours.stdout)).toEqual(maskStdout(ref.stdout));
    expect('violations' in ours.trace).toBe(false);
    expect(ours.text).not.toContain('"violations"');
    expectProjectionKeepsDigest(ref.trace);
  });

  it('a Gait-written trace without violations verifies here (the re-read adds no `violations: []`)', async () => {
    for (const name of ['trace_allow_no_violations.json', 'trace_session_delegation.json', 'trace_require_approval.json']) {
      const file = path.join(WRITTEN, name);
      const trace = JSON.parse(readFileSync(file, 'utf8'));
      expectProjectionKeepsDigest(trace);
      const r = await gait(['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json']);
      expect(r.json, name).toMatchObject({ ok: true, signature_status: 'verified', key_id: KEY_ID, trace_id: trace.trace_id });
      expect(r.exit, name).toBe(0);
    }
  });

  it.skipIf(!ORACLE)('both directions against the Gait oracle', async () => {
    const policy = path.join(WRITTEN, 'allow.yaml');
    const intent = path.join(WRITTEN, 'intent_read.json');
    const args = ['gate', 'eval', '--policy', policy, '--intent', intent, '--json', '--key-mode', 'prod', '--private-key', PRIVATE_KEY, '--trace-out', 'trace.json'];
    const refDir = workDir();
    const g = spawnSync(ORACLE!, args, { cwd: refDir, encoding: 'utf8', timeout: 30_000 });
    expect(g.status).toBe(0);
    const candDir = workDir();
    expect((await gait(args, { cwd: candDir })).exit).toBe(0);
    for (const dir of [refDir, candDir]) {
      const file = path.join(dir, 'trace.json');
      expect(readFileSync(file, 'utf8')).not.toContain('"violations"');
      const byGait = spawnSync(ORACLE!, ['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json'], { encoding: 'utf8', timeout: 30_000 });
      expect(byGait.status, `Gait verifies ${file}: ${byGait.stdout}`).toBe(0);
      const byUs = await gait(['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json']);
      expect(byUs.exit, `we verify ${file}: ${byUs.stdout}`).toBe(0);
    }
  });
});

describe('issue 10, traces: relationship.related_entity_ids (case 04)', () => {
  const NAME = '04-trace-related-entity-ids';

  it('the trace equals Gait\'s, run-dependent members aside, related_entity_ids included', async () => {
    const ref = reference(NAME);
    const ours = await runCase(NAME);
    expect(ours.exit).toBe(ref.exit);
    expect(maskStdout(ours.stdout)).toEqual(maskStdout(ref.stdout));
    expect(maskTrace(ours.trace)).toEqual(maskTrace(ref.trace));
    expect(Object.keys(ours.trace)).toEqual(Object.keys(ref.trace));
    expect(Object.keys(ours.trace['relationship'])).toEqual(Object.keys(ref.trace['relationship']));
    expectProjectionKeepsDigest(ref.trace);
  });

  it('only the entity refs\' ids, de-duplicated: not the session parent, the delegation chain or the intent\'s own relationship', async () => {
    // Gait wrote this trace from an intent with a session id, a delegation chain and a
    // relationship block of its own (which Gait ignores), with identity != tool name.
    const written = JSON.parse(readFileSync(path.join(WRITTEN, 'trace_session_delegation.json'), 'utf8'));
    const dir = workDir();
    const r = await gait(
      ['gate', 'eval', '--policy', path.join(WRITTEN, 'allow.yaml'), '--intent', path.join(WRITTEN, 'intent_session_delegation.json'),
        '--json', '--key-mode', 'prod', '--private-key', PRIVATE_KEY, '--trace-out', 'trace.json'],
      { cwd: dir },
    );
    expect(r.exit).toBe(0);
    const ours = JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'));
    expect(maskTrace(ours)).toEqual(maskTrace(written));
    // Identity equal to the tool name: one id for two refs (checked against Gait v1.3.6).
    const same = path.join(dir, 'same.json');
    writeFileSync(same, JSON.stringify({ tool_name: 'tool.read', args: {}, targets: [], context: { identity: 'tool.read', workspace: '/repo', risk_class: 'low' } }));
    await gait(['gate', 'eval', '--policy', path.join(WRITTEN, 'allow.yaml'), '--intent', same, '--json', '--trace-out', 'same_trace.json'], { cwd: dir });
    const rel = JSON.parse(readFileSync(path.join(dir, 'same_trace.json'), 'utf8'))['relationship'];
    expect(rel.related_entity_ids).toEqual([
      '5bfa18dd01652f249c1f239c', '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f', 'tool.read',
    ]);
  });
});

describe('issue 10, gate eval: rate_limit_key is the scope key (case 02)', () => {
  const NAME = '02-gate-rate-limit-key-format';

  it('prints Gait\'s output and trace', async () => {
    const ref = reference(NAME);
    const ours = await runCase(NAME);
    expect(ours.exit).toBe(ref.exit);
    expect(maskStdout(ours.stdout)).toEqual(maskStdout(ref.stdout));
    expect(maskTrace(ours.trace)).toEqual(maskTrace(ref.trace));
    // The stored counter key stays the full one.
    const state = JSON.parse(readFileSync(path.join(ours.dir, '.gait-out', 'gate_rate_limits.json'), 'utf8'));
    expect(state.counters).toHaveLength(1);
    expect(state.counters[0].key).toMatch(/^minute\|tool_identity\|\d{4}-\d\d-\d\dT\d\d:\d\d:00Z\|tool\.delete\|alice$/);
  });
});

describe('issue 10, gate eval: required_approvals and the approval audit follow the evaluation\'s minimum approvals (case 01)', () => {
  const NAME = '01-gate-approval-audit-when-verdict-not-require-approval';

  function audit(dir: string, out: Record<string, any>) {
    expect(out['approval_audit_path']).toBeDefined();
    return JSON.parse(readFileSync(path.join(dir, out['approval_audit_path']), 'utf8'));
  }

  it('a script blocked by block_mixed_risk still reports its steps\' minimum and writes the audit', async () => {
    const ref = reference(NAME);
    const ours = await runCase(NAME);
    expect(ours.exit).toBe(ref.exit);
    expect(maskStdout(ours.stdout)).toEqual(maskStdout(ref.stdout));
    expect(maskTrace(ours.trace)).toEqual(maskTrace(ref.trace));
    expect(audit(ours.dir, ours.stdout)).toMatchObject({ required_approvals: 1, valid_approvals: 0, approved: false, trace_id: ref.stdout['trace_id'] });
  });

  // Outputs of Gait v1.3.6 for these policies (read.json / a delegated intent, no tokens).
  const READ = { tool_name: 'tool.read', args: {}, context: { identity: 'alice', workspace: '/repo', risk_class: 'low' } };
  const DELEGATED = { ...READ, delegation: { requester_identity: 'alice', chain: [{ delegator_identity: 'lead', delegate_identity: 'alice' }] } };
  const cases: [string, string, object, string[], Record<string, unknown>][] = [
    ['require_delegation without a token (min_approvals 2)', `rules:
  - name: d
    effect: require_approval
    min_approvals: 2
    match:
      tool_names: [tool.read]
      require_delegation: true
`, DELEGATED, [], { verdict: 'block', required_approvals: 2, reason_codes: ['delegation_token_missing', 'matched_rule_d'], violations: ['delegation_not_granted'], delegation_required: true }],
    ['require_delegation without a token (min_approvals unset: 1)', `rules:
  - name: d
    effect: require_approval
    match:
      tool_names: [tool.read]
      require_delegation: true
`, DELEGATED, [], { verdict: 'block', required_approvals: 1 }],
    ['the same under --simulate', `rules:
  - name: d
    effect: require_approval
    min_approvals: 2
    match:
      tool_names: [tool.read]
      require_delegation: true
`, DELEGATED, ['--simulate'], { verdict: 'allow', required_approvals: 2, simulated_verdict: 'block', would_have_blocked: true }],
  ];
  it.each(cases)('%s', async (_name, policyText, intent, extra, expected) => {
    const dir = workDir();
    writeFileSync(path.join(dir, 'p.yaml'), policyText);
    writeFileSync(path.join(dir, 'i.json'), JSON.stringify(intent));
    const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', ...extra], { cwd: dir });
    expect(r.json).toMatchObject(expected);
    expect(audit(dir, r.json)).toMatchObject({ required_approvals: expected['required_approvals'], valid_approvals: 0, approved: false });
  });

  it('a rate-limited require_approval rule (min_approvals 3), blocked by its limit', async () => {
    const dir = workDir();
    writeFileSync(path.join(dir, 'p.yaml'), `rules:
  - name: r
    effect: require_approval
    min_approvals: 3
    match:
      tool_names: [tool.read]
    rate_limit:
      requests: 1
`);
    writeFileSync(path.join(dir, 'i.json'), JSON.stringify(READ));
    const run = () => gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', '--evaluation-time', '2026-12-03T11:00:00Z'], { cwd: dir });
    expect((await run()).json).toMatchObject({ verdict: 'require_approval', required_approvals: 3 });
    const blocked = await run();
    expect(blocked.exit).toBe(3);
    expect(blocked.json).toMatchObject({ verdict: 'block', required_approvals: 3, reason_codes: ['matched_rule_r', 'rate_limit_exceeded'], violations: ['rate_limit_exceeded'] });
    expect(audit(dir, blocked.json)).toMatchObject({ required_approvals: 3, valid_approvals: 0, approved: false });
  });

  it('an allow rule with min_approvals asks for none (Gait v1.3.6)', async () => {
    const dir = workDir();
    writeFileSync(path.join(dir, 'p.yaml'), `rules:
  - name: a
    effect: allow
    min_approvals: 2
    match:
      tool_names: [tool.read]
`);
    writeFileSync(path.join(dir, 'i.json'), JSON.stringify(READ));
    const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json'], { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json['required_approvals']).toBeUndefined();
    expect(r.json['approval_audit_path']).toBeUndefined();
  });
});

describe('issue 10, gate eval: a script blocked by the fail-closed checks (case 03)', () => {
  const NAME = '03-fail-closed-script-gate-fields';

  it('prints no script fields; the trace still has script, step_count and script_hash from the intent', async () => {
    const ref = reference(NAME);
    const ours = await runCase(NAME);
    expect(ours.exit).toBe(ref.exit);
    // The stored reference.json was recorded from an earlier form of intent.json: its intent
    // digest (hence trace id) is not the one Gait v1.3.6 gives for the stored intent today
    // (6fb3a7ae…, as here). Everything else is compared.
    const ids = (o: Record<string, any>) => {
      const { intent_digest: _i, trace_id: _t, ...rest } = maskStdout(o);
      return rest;
    };
    expect(ids(ours.stdout)).toEqual(ids(ref.stdout));
    expect(ours.stdout['intent_digest']).toBe('6fb3a7ae98cd983b3bbf6e702f27ee53d412cff552e365a2fc8299bfb086a60d');
    expect(Object.keys(ours.trace)).toEqual(Object.keys(ref.trace));
    for (const k of ['tool_name', 'args_digest', 'policy_digest', 'verdict', 'script', 'step_count', 'script_hash', 'violations']) {
      expect(ours.trace[k], k).toEqual(ref.trace[k]);
    }
    expect(ours.trace).toMatchObject({ script: true, step_count: 1, script_hash: '3740d0f294a1b473f6f3f8739556a76b2780924ad5b121ce497813eb96603905' });
    expect(ours.trace['composite_risk_class']).toBeUndefined();
    expect(ours.trace['step_verdicts']).toBeUndefined();
  });
});

describe('issue 10, S03: an approval audit without tokens has `entries: null`', () => {
  it('require_approval with no token (Gait v1.3.6 writes "entries": null)', async () => {
    const dir = workDir();
    const r = await gait(
      ['gate', 'eval', '--policy', path.join(WRITTEN, 'require_approval.yaml'), '--intent', path.join(WRITTEN, 'intent_read.json'),
        '--json', '--trace-out', 'trace.json', '--approval-audit-out', 'audit.json'],
      { cwd: dir },
    );
    expect(r.exit).toBe(4);
    const text = readFileSync(path.join(dir, 'audit.json'), 'utf8');
    expect(text).toContain('\n  "entries": null\n}\n');
    expect(JSON.parse(text)).toMatchObject({ required_approvals: 1, valid_approvals: 0, approved: false, entries: null });
  });
});

describe('issue 10, S04: --approval-token-ref is trimmed and always echoed', () => {
  // Gait v1.3.6: approval_ref (and the trace's approval_token_ref) is the trimmed flag value,
  // whatever the verdict, unless signed approvals granted (then the valid token ids).
  const policies: Record<string, string> = {
    allow: 'default_verdict: allow\n',
    block: 'default_verdict: block\n',
    require_approval: 'default_verdict: require_approval\n',
  };
  const cases: [string, string, string, string[], string | undefined, number][] = [
    ['allow', 'allow', ' T1 ', [], 'T1', 0],
    ['block', 'block', ' T1 ', [], 'T1', 3],
    ['require_approval without a token', 'require_approval', ' T1 ', [], 'T1', 4],
    ['require_approval under --simulate', 'require_approval', ' T1 ', ['--simulate'], 'T1', 0],
    ['require_approval with a token that fails (another key)', 'require_approval', ' T1 ', ['--approval-token', path.join(FIXTURES, 'signed/approval_token_valid.json'), '--approval-public-key', path.join(FIXTURES, 'signed/delegation_public.key')], 'T1', 4],
    ['a granted approval: the valid token ids', 'require_approval', ' T1 ', ['--approval-token', path.join(FIXTURES, 'signed/approval_token_valid.json'), '--approval-public-key', PUBLIC_KEY], 'ec44f8948261811d131eb04a', 0],
    ['a blank value is no value', 'allow', '   ', [], undefined, 0],
  ];
  // scenarios/gait/approval-token-valid/intent.json, which approval_token_valid.json approves.
  const INTENT = {
    schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
    tool_name: 'tool.write', args: { path: '/tmp/approve-valid.txt' },
    targets: [{ kind: 'path', value: '/tmp/approve-valid.txt', operation: 'write', endpoint_class: 'fs.write' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'agent.scenario', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-tier11' },
  };
  it.each(cases)('%s', async (_name, policy, ref, extra, expected, exit) => {
    const dir = workDir();
    writeFileSync(path.join(dir, 'p.yaml'), policies[policy]!);
    writeFileSync(path.join(dir, 'i.json'), JSON.stringify(INTENT));
    const r = await gait(
      ['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--key-mode', 'prod', '--private-key', PRIVATE_KEY,
        '--trace-out', 'trace.json', '--approval-token-ref', ref, ...extra],
      { cwd: dir },
    );
    expect(r.exit, r.stdout).toBe(exit);
    expect(r.json['approval_ref']).toBe(expected);
    expect(JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'))['approval_token_ref']).toBe(expected);
  });
});

describe('issue 10, S10/S11/S02: trace verify failures as Gait v1.3.6 reports them', () => {
  // Variants of a Gait-written trace (with violations, so that S01 cannot interfere).
  const base = () => JSON.parse(readFileSync(path.join(WRITTEN, 'trace_require_approval.json'), 'utf8'));
  const TRACE_ID = 'b84b36084acedb4291258283';
  const variant = (name: string, change: (t: Record<string, any>) => void): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gait-divergence-verify-'));
    const t = base();
    change(t);
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(t, null, 2));
    return file;
  };
  const verify = (file: string, json = true) => gait(['trace', 'verify', file, '--public-key', PUBLIC_KEY, ...(json ? ['--json'] : [])]);
  const ENVELOPE = { error_category: 'verification_failed', error_code: 'verification_failed', hint: 're-run verify after checking artifact integrity', retryable: false };

  it('S10: no signature: "trace signature missing", no key_id', async () => {
    for (const change of [(t: Record<string, any>) => delete t['signature'], (t: Record<string, any>) => (t['signature'] = null)]) {
      const file = variant('nosig.json', change);
      const r = await verify(file);
      expect(r.exit).toBe(2);
      const { correlation_id: _c, ...out } = r.json;
      expect(out).toEqual({ ok: false, path: file, trace_id: TRACE_ID, verdict: 'require_approval', signature_status: 'failed', error: 'trace signature missing', ...ENVELOPE });
      const text = await verify(file, false);
      expect(text.exit).toBe(2);
      expect(text.stdout).toBe('trace verify error: trace signature missing\n');
    }
  });

  it('S11: a well-formed wrong signature: ok:false with key_id, no error and no envelope', async () => {
    const file = variant('badsig.json', (t) => {
      const sig: string = t['signature'].sig;
      t['signature'].sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    });
    const r = await verify(file);
    expect(r.exit).toBe(2);
    const { correlation_id: _c, ...out } = r.json;
    expect(out).toEqual({ ok: false, path: file, trace_id: TRACE_ID, verdict: 'require_approval', signature_status: 'failed', key_id: KEY_ID });
    const text = await verify(file, false);
    expect(text.exit).toBe(2);
    expect(text.stdout).toBe(`trace verify failed: ${file}\nsignature status: failed\n`);
  });

  it('S02: every other failure: the error and its envelope, no key_id (it is printed only once the signature check is reached)', async () => {
    const cases: [string, (t: Record<string, any>) => void, string][] = [
      ['tampered.json', (t) => (t['verdict'] = 'allow'), 'signed_digest mismatch'],
      ['notb64.json', (t) => (t['signature'].sig = '!!!'), 'decode sig: illegal base64 data at input byte 0'],
      ['shortsig.json', (t) => (t['signature'].sig = 'AAAA'), 'invalid signature length: 3'],
      ['nodigest.json', (t) => delete t['signature'].signed_digest, 'missing signed_digest'],
      ['badalg.json', (t) => (t['signature'].alg = 'rsa'), 'unsupported alg: rsa'],
      ['badkeyid.json', (t) => (t['signature'].key_id = '00'.repeat(32)), 'key id mismatch'],
      ['emptysig.json', (t) => (t['signature'] = {}), 'missing signed_digest'],
    ];
    for (const [name, change, error] of cases) {
      const file = variant(name, change);
      const r = await verify(file);
      expect(r.exit, name).toBe(2);
      const { correlation_id: _c, ...out } = r.json;
      expect(out, name).toEqual({
        ok: false, path: file, trace_id: TRACE_ID, verdict: name === 'tampered.json' ? 'allow' : 'require_approval',
        signature_status: 'failed', error, ...ENVELOPE,
      });
      expect((await verify(file, false)).stdout, name).toBe(`trace verify error: ${error}\n`);
    }
    // Another key: key id mismatch, no key_id either.
    const other = await gait(['trace', 'verify', path.join(WRITTEN, 'trace_require_approval.json'), '--public-key', path.join(FIXTURES, 'signed/delegation_public.key'), '--json']);
    expect(other.exit).toBe(2);
    expect(other.json).toMatchObject({ ok: false, error: 'key id mismatch', signature_status: 'failed' });
    expect(other.json['key_id']).toBeUndefined();
  });
});

describe('trace verify: unreadable or unparseable records use Gait v1.3.6\'s prefixes', () => {
  it('"read trace record: …" and "parse trace record: …" (the rest of the wording may differ: Go library text)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gait-divergence-verify-'));
    const run = (file: string) => gait(['trace', 'verify', file, '--public-key', PUBLIC_KEY, '--json']);
    const missing = await run(path.join(dir, 'missing.json'));
    expect(missing.exit).toBe(6);
    expect(missing.json['error']).toMatch(/^read trace record: /);
    for (const [name, text] of [['truncated.json', '{'], ['array.json', '[]'], ['time.json', '{"created_at":"yesterday"}'], ['type.json', '{"step_count":"2"}']]) {
      writeFileSync(path.join(dir, name!), text!);
      const r = await run(path.join(dir, name!));
      expect(r.exit, name).toBe(6);
      expect(r.json['error'], name).toMatch(/^parse trace record: /);
      expect(r.json['error_code'], name).toBe('invalid_input');
    }
  });
});

describe('gate eval: a relative --rate-limit-state must stay below the working folder (Gait v1.3.6)', () => {
  const POLICY = `rules:
  - name: r
    effect: require_approval
    match:
      tool_names: [tool.read]
    rate_limit:
      requests: 2
`;
  const INTENT = { tool_name: 'tool.read', args: {}, context: { identity: 'alice', workspace: '/repo', risk_class: 'low' } };

  it.each([
    ['../state.json', false],
    ['sub/../../state.json', false],
    ['sub/../state.json', true],
    ['./state.json', true],
  ])('%s (accepted: %s)', async (state, accepted) => {
    const parent = mkdtempSync(path.join(tmpdir(), 'gait-divergence-state-'));
    const dir = path.join(parent, 'work');
    mkdirSync(path.join(dir, '.gait-out'), { recursive: true });
    writeFileSync(path.join(dir, 'p.yaml'), POLICY);
    writeFileSync(path.join(dir, 'i.json'), JSON.stringify(INTENT));
    const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', '--rate-limit-state', state], { cwd: dir });
    if (accepted) {
      expect(r.exit, r.stdout).toBe(4);
      expect(r.json['rate_limit_used']).toBe(1);
      return;
    }
    expect(r.exit).toBe(6);
    expect(r.json).toMatchObject({ ok: false, error: 'write rate limit state: path must be local relative or absolute', error_code: 'invalid_input' });
    // Nothing written, nothing counted.
    expect(() => readFileSync(path.join(dir, 'trace.json'))).toThrow();
    expect(() => readFileSync(path.join(parent, 'state.json'))).toThrow();
  });
});
