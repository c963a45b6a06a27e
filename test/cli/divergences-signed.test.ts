// Issue 10, signed artifacts (S05-S09) and text-mode errors: cases where gait-wasm disagreed with
// Gait v1.3.6. Expected values are what the real binary printed or wrote for the same input
// (shared/fixtures/gait/divergences/signed/repro.sh and the commands noted beside each case).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

/** A fresh working folder with `.gait-out/`, holding the named files. */
function workDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-divergence-signed-'));
  mkdirSync(path.join(dir, '.gait-out'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const intent = (context: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ tool_name: 'tool.read', args: {}, targets: [], ...extra, context: { identity: 'alice', workspace: '/repo', risk_class: 'low', ...context } });
const READ = intent({});
const brokerPolicy = (reference: string, scopes = '') =>
  `rules:\n- name: b\n  effect: allow\n  require_broker_credential: true\n${reference ? `  broker_reference: ${reference}\n` : ''}${scopes ? `  broker_scopes: [${scopes}]\n` : ''}  match:\n    tool_names: [tool.read]\n`;

async function evalBroker(policy: string, intentText: string, extra: string[], env: Record<string, string> = {}) {
  const dir = workDir({ 'p.yaml': policy, 'i.json': intentText });
  const r = await gait(
    ['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', '--credential-evidence-out', 'ev.json', ...extra],
    { cwd: dir, env },
  );
  const text = readFileSync(path.join(dir, 'ev.json'), 'utf8');
  return { r, text, record: JSON.parse(text) as Record<string, any> };
}

describe('issue 10, S06: the stub broker\'s credential_ref is a digest of the request', () => {
  // Gait: stub:<first 24 hex of SHA-256("tool|identity|workspace|session|request|reference|scopes")>,
  // the same for the same request; nothing secret goes in (the stub has none).
  const cases: [string, string, string, string[], string][] = [
    ['rule reference', brokerPolicy('egress'), READ, [], 'stub:4b701fe1061fbf0408c1fa2e'],
    ['another identity', brokerPolicy('egress'), intent({ identity: 'bob' }), [], 'stub:1774b020390a12ef22c90c70'],
    ['another workspace', brokerPolicy('egress'), intent({ workspace: '/other' }), [], 'stub:f8952d5e119545daa981c4fe'],
    ['session and request ids', brokerPolicy('egress'), intent({ session_id: 's1', request_id: 'r1' }, { args: { a: 1 } }), [], 'stub:a00b0e96b1e0e9fe973369cd'],
    ['the intent time does not count', brokerPolicy('egress'), intent({}, { created_at: '2026-01-01T00:00:00Z' }), [], 'stub:4b701fe1061fbf0408c1fa2e'],
    ['--credential-ref (trimmed)', brokerPolicy('egress'), READ, ['--credential-ref', ' x '], 'stub:46934010ad0b1a41f0ded4ef'],
    ['--credential-scopes (sorted, unique)', brokerPolicy('egress'), READ, ['--credential-scopes', ' b,a,a'], 'stub:44d832d778f91ab9f788bcec'],
    ['rule scopes and flag scopes', brokerPolicy('egress', 'zz, mm'), READ, ['--credential-scopes', 'b'], 'stub:5b15c366623fb37f4d6c88af'],
    ['no reference', brokerPolicy(''), READ, [], 'stub:8430a23b844f4073ccb42645'],
  ];
  it.each(cases)('%s', async (_name, policy, intentText, extra, expected) => {
    for (const evaluationTime of ['2026-12-03T11:00:00Z', '2027-01-01T00:00:00Z']) {
      const { r, record } = await evalBroker(policy, intentText, ['--credential-broker', 'stub', '--evaluation-time', evaluationTime, ...extra]);
      expect(r.exit, r.stdout).toBe(0);
      expect(r.json['credential_ref']).toBe(expected);
      expect(record['credential_ref']).toBe(expected);
    }
  });
});

describe('issue 10, S07: the broker credential record as Gait v1.3.6 writes it', () => {
  const ORDER = ['schema_id', 'schema_version', 'created_at', 'producer_version', 'trace_id', 'tool_name', 'identity', 'broker', 'reference', 'scope', 'credential_ref', 'issued_at', 'expires_at', 'ttl_seconds'];
  const ordered = (record: Record<string, any>) => Object.keys(record).every((k, i, keys) => i === 0 || ORDER.indexOf(keys[i - 1]!) < ORDER.indexOf(k));

  it('stub: created_at is the intent\'s time, no credential_source/access_type, empty reference and scope omitted, expiry 300 s after issue', async () => {
    const { r, text, record } = await evalBroker(brokerPolicy(''), READ, ['--credential-broker', 'stub', '--evaluation-time', '2026-12-03T11:55:13.853621036Z']);
    expect(r.exit).toBe(0);
    const { producer_version: _p, ...rest } = record;
    expect(rest).toEqual({
      schema_id: 'gait.gate.broker_credential_record', schema_version: '1.0.0', created_at: '1980-01-01T00:00:00Z',
      trace_id: '15f6ecf2f5d8e80e4934d1f2', tool_name: 'tool.read', identity: 'alice', broker: 'stub',
      credential_ref: 'stub:8430a23b844f4073ccb42645',
      issued_at: '2026-12-03T11:55:13.853621036Z', expires_at: '2026-12-03T12:00:13.853621036Z', ttl_seconds: 300,
    });
    expect(ordered(record), text).toBe(true);
  });

  it('stub with a reference and scopes; the intent\'s own created_at', async () => {
    const { record } = await evalBroker(brokerPolicy('egress', 'zz, mm'), intent({}, { created_at: '2026-01-01T00:00:00Z' }), ['--credential-broker', 'stub', '--evaluation-time', '2026-12-03T11:00:00Z']);
    expect(record).toMatchObject({ created_at: '2026-01-01T00:00:00Z', reference: 'egress', scope: ['mm', 'zz'], issued_at: '2026-12-03T11:00:00Z', expires_at: '2026-12-03T11:05:00Z', ttl_seconds: 300 });
    expect(ordered(record)).toBe(true);
  });

  it('command: zero issued_at and expires_at, ttl_seconds only when the command gave one', async () => {
    const dir = workDir();
    const script = (name: string, answer: string) => {
      const p = path.join(dir, name);
      writeFileSync(p, `#!/bin/sh\ncat >/dev/null\necho '${answer}'\n`, { mode: 0o755 });
      return p;
    };
    const withTtl = await evalBroker(brokerPolicy('egress', 'zz, mm'), intent({}, { created_at: '2026-01-01T00:00:00Z' }), ['--credential-broker', 'command', '--credential-command', script('a.sh', '{"credential_ref":"lease-1","ttl_seconds":60,"issued_by":"vault"}')]);
    const { producer_version: _p, ...rest } = withTtl.record;
    expect(rest).toEqual({
      schema_id: 'gait.gate.broker_credential_record', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z',
      trace_id: '7172f3c514df67b7cc593550', tool_name: 'tool.read', identity: 'alice', broker: 'vault', reference: 'egress',
      scope: ['mm', 'zz'], credential_ref: 'lease-1', issued_at: '0001-01-01T00:00:00Z', expires_at: '0001-01-01T00:00:00Z', ttl_seconds: 60,
    });
    expect(ordered(withTtl.record)).toBe(true);
    const noTtl = await evalBroker(brokerPolicy('egress', 'zz, mm'), intent({}, { created_at: '2026-01-01T00:00:00Z' }), ['--credential-broker', 'command', '--credential-command', script('b.sh', '{"credential_ref":"lease-2"}')]);
    expect(noTtl.record).toMatchObject({ broker: 'command', credential_ref: 'lease-2', issued_at: '0001-01-01T00:00:00Z', expires_at: '0001-01-01T00:00:00Z' });
    expect('ttl_seconds' in noTtl.record).toBe(false);
  });

  it('env: zero times, no ttl_seconds; the reference stays ours (env:<VAR>, S08)', async () => {
    const { record } = await evalBroker(brokerPolicy('egress'), READ, ['--credential-broker', 'env'], { GAIT_BROKER_TOKEN_EGRESS: 'value' });
    const { producer_version: _p, ...rest } = record;
    expect(rest).toEqual({
      schema_id: 'gait.gate.broker_credential_record', schema_version: '1.0.0', created_at: '1980-01-01T00:00:00Z',
      trace_id: 'b9d2c1dcbc53401870b419ea', tool_name: 'tool.read', identity: 'alice', broker: 'env', reference: 'egress',
      credential_ref: 'env:GAIT_BROKER_TOKEN_EGRESS', issued_at: '0001-01-01T00:00:00Z', expires_at: '0001-01-01T00:00:00Z',
    });
  });
});

describe('issue 10, S09: delegation audit entries keep the tokens\' raw token_id and identities, and sort by them', () => {
  const DIR = path.join(path.dirname(FIXTURES.replace(/\/$/, '')), 'gait-written', 'delegation');
  const KEYS = path.join(FIXTURES, 'scenarios', 'keys');

  it('the audit equals Gait\'s (producer_version aside): used and unused tokens, blank and empty fields', async () => {
    const dir = workDir();
    const r = await gait(
      ['gate', 'eval', '--policy', path.join(DIR, 'deleg.yaml'), '--intent', path.join(DIR, 'intent.json'), '--json', '--key-mode', 'prod',
        '--private-key', path.join(KEYS, 'approval_private.key'), '--trace-out', 'trace.json',
        '--delegation-token', path.join(DIR, 'token_used.json'),
        '--delegation-token-chain', ['token_alice.json', 'token_zed.json', 'token_blank.json'].map((f) => path.join(DIR, f)).join(','),
        '--delegation-public-key', path.join(KEYS, 'approval_public.key'), '--delegation-audit-out', 'audit.json'],
      { cwd: dir },
    );
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json['delegation_ref']).toBe('6ec1f739791df761de693d35');
    const { producer_version: _a, ...ours } = JSON.parse(readFileSync(path.join(dir, 'audit.json'), 'utf8'));
    const { producer_version: _b, ...theirs } = JSON.parse(readFileSync(path.join(DIR, 'audit_gait.json'), 'utf8'));
    expect(ours['entries']).toEqual(theirs['entries']);
    expect(ours).toEqual(theirs);
  });
});

describe('issue 10, S05: a registry with no verified entries disables the fast path (no registry_reason, no context-evidence warning)', () => {
  const PUBLIC_KEY = path.join(FIXTURES, 'scenarios', 'keys', 'approval_public.key');
  const script = (risk: string) => JSON.stringify({
    tool_name: 'script', args: {}, context: { identity: 'alice', workspace: '/repo', risk_class: risk },
    script: { steps: [{ tool_name: 'tool.read', args: {} }] },
  });
  const ALLOW = 'default_verdict: allow\n';
  const EVIDENCE = 'default_verdict: allow\nrules:\n- name: ce\n  effect: allow\n  require_context_evidence: true\n  match:\n    tool_names: [nothing]\n';
  const FAIL_CLOSED = 'default_verdict: allow\nfail_closed:\n  enabled: true\n  risk_classes: [high]\n';
  const registries: Record<string, string | undefined> = { missing: undefined, empty: '', 'empty array': '[]', 'no entries': '{"entries":[]}' };

  async function run(policy: string, intentText: string, registry: string | undefined, extra: string[] = []) {
    const files: Record<string, string> = { 'p.yaml': policy, 'i.json': intentText };
    if (registry !== undefined) files['registry.json'] = registry;
    const dir = workDir(files);
    const r = await gait(
      ['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json',
        '--approved-script-registry', 'registry.json', '--approved-script-public-key', PUBLIC_KEY, ...extra],
      { cwd: dir },
    );
    let trace: Record<string, any> = {};
    try {
      trace = JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'));
    } catch {
      // no trace on an error
    }
    return { r, trace };
  }

  for (const [name, registry] of Object.entries(registries)) {
    it(`${name}: low and high risk scripts, a plain intent, oss-prod`, async () => {
      for (const [intentText, extra] of [[script('low'), []], [script('high'), []], [READ, []], [script('low'), ['--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', path.join(FIXTURES, 'scenarios', 'keys', 'approval_private.key')]]] as [string, string[]][]) {
        const { r, trace } = await run(ALLOW, intentText, registry, extra);
        expect(r.exit, r.stdout).toBe(0);
        expect(r.json).toMatchObject({ ok: true, verdict: 'allow', reason_codes: ['default_allow'] });
        expect('registry_reason' in r.json, r.stdout).toBe(false);
        expect('pre_approved' in r.json).toBe(false);
        expect('registry_reason' in trace).toBe(false);
        expect(r.json['warnings'] ?? []).not.toContain('approved script fast-path disabled because policy requires authenticated context evidence');
      }
    });
  }

  it('no context-evidence warning when there is nothing to match', async () => {
    const { r } = await run(EVIDENCE, script('low'), '[]');
    expect(r.exit).toBe(0);
    expect(r.json['warnings']).toEqual(['dev mode: ephemeral keypair generated; signatures will not verify across machines']);
  });

  it('the fail-closed checks before it still hold: no verify key at high risk or under oss-prod is exit 3', async () => {
    for (const extra of [[], ['--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', path.join(FIXTURES, 'scenarios', 'keys', 'approval_private.key')]]) {
      const dir = workDir({ 'p.yaml': ALLOW, 'i.json': script(extra.length ? 'low' : 'high'), 'registry.json': '[]' });
      const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', '--approved-script-registry', 'registry.json', ...extra], { cwd: dir });
      expect(r.exit).toBe(3);
      expect(r.json['error']).toBe('approved script registry verification unavailable in fail-closed mode: verify key required');
    }
    const bad = await run(ALLOW, script('high'), '{"entries":5}');
    expect(bad.r.exit).toBe(3);
    expect(bad.r.json['error']).toMatch(/^approved script registry unavailable in fail-closed mode/);
  });

  it('an intent that cannot be normalized at a fail-closed risk class is still blocked (spec decision 2)', async () => {
    const { r } = await run(FAIL_CLOSED, JSON.stringify({ tool_name: '', args: {}, context: { identity: 'alice', workspace: '/repo', risk_class: 'high' } }), undefined);
    expect(r.exit).toBe(3);
    expect(r.json).toMatchObject({ verdict: 'block', reason_codes: ['fail_closed_intent_invalid'] });
  });
});

describe('text mode: command errors are printed on stdout, as Gait v1.3.6 prints them', () => {
  // gait <command …> without --json: `<command> error: <message>` on stdout, nothing on stderr.
  const cases: [string[], number, string][] = [
    [['gate', 'eval'], 6, 'gate eval error: both --policy and --intent are required\n'],
    [['trace', 'verify'], 6, 'trace verify error: expected trace path\n'],
    [['policy', 'validate', 'nofile.yaml'], 6, 'policy validate error: read policy: open nofile.yaml: no such file or directory\n'],
    [['policy', 'test', 'nofile.yaml', 'y.json'], 6, 'policy test error: read policy: open nofile.yaml: no such file or directory\n'],
    [['policy', 'init'], 6, 'policy init error: expected <template>, one of: baseline-lowrisk, baseline-mediumrisk, baseline-highrisk\n'],
    [['approve', '--intent-digest', 'x'], 6, 'approve error: invalid --ttl, expected positive duration\n'],
    [['delegate', 'mint'], 6, 'delegate error: invalid --ttl, expected positive duration\n'],
    [['approve-script', '--policy', 'x'], 6, 'approve-script error: --policy, --intent, --registry, and --approver are required\n'],
    [['list-scripts'], 6, 'list-scripts error: --registry is required\n'],
    [['demo', '--policy', '--bogus'], 6, 'demo error: flag provided but not defined: -bogus\n'],
  ];
  it.each(cases)('%j', async (args, exit, stdout) => {
    const r = await gait(args, { cwd: workDir() });
    expect(r.exit).toBe(exit);
    expect(r.stdout).toBe(stdout);
    expect(r.stderr).toBe('');
  });

  it('the legacy-policy error: the message alone (Gait prints no hint line in text mode)', async () => {
    const dir = workDir({ 'legacy.yaml': 'version: 1\nrules: []\n' });
    const r = await gait(['policy', 'validate', 'legacy.yaml'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.stdout).toBe('policy validate error: parse policy yaml: legacy policy proposal fields are not supported [version]: version->schema_id|schema_version (set schema_id=gait.gate.policy and schema_version=1.0.0)\n');
    expect(r.stderr).toBe('');
  });

  it('a delegation token that fails verification', async () => {
    const dir = workDir();
    const token = path.join(path.dirname(FIXTURES.replace(/\/$/, '')), 'gait-written', 'delegation', 'token_used.json');
    const r = await gait(['delegate', 'verify', '--token', token, '--public-key', path.join(FIXTURES, 'signed', 'delegation_public.key')], { cwd: dir });
    expect(r.exit).toBe(2);
    expect(r.stdout).toBe('delegate error: delegation_token_signature_invalid: key id mismatch\n');
    expect(r.stderr).toBe('');
  });

  it('an unknown command: `error: unknown command: <name>` and the usage, on stdout', async () => {
    const r = await gait(['bogus'], { cwd: workDir() });
    expect(r.exit).toBe(6);
    expect(r.stdout.startsWith('error: unknown command: bogus\n')).toBe(true);
    expect(r.stdout).toContain('Usage:');
    expect(r.stderr).toBe('');
  });
});
