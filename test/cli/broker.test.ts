// Credential brokers and the oss-prod profile (cli.md §2.2, §2.3 steps 6, 12, 19; §2.10; §12.3 v17).
import { mkdtempSync, writeFileSync, readFileSync, chmodSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gait-broker-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const BROKER_POLICY = file('broker.yaml', `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
    broker_reference: egress
    broker_scopes: [export]
    match:
      tool_names: [tool.write]
      risk_classes: [high]
`);
const INTENT = FIXTURES + 'policy-test/intent.json';

/** Neither the secret nor any hex prefix of its SHA-256 (8+ chars) is in stdout, stderr or any file written to `cwd`. */
function expectNoSecret(secret: string, r: { stdout: string; stderr: string }, cwd: string, except: string[] = []) {
  const digest = createHash('sha256').update(secret).digest('hex');
  const outputs: [string, string][] = [['stdout', r.stdout], ['stderr', r.stderr]];
  for (const f of readdirSync(cwd)) if (!except.includes(f)) outputs.push([f, readFileSync(path.join(cwd, f), 'utf8')]);
  for (const [where, text] of outputs) {
    expect(text, where).not.toContain(secret);
    expect(text, where).not.toContain(digest.slice(0, 8));
  }
}

const evalArgs = (...extra: string[]) => ['gate', 'eval', '--policy', BROKER_POLICY, '--intent', INTENT, '--json', ...extra];

describe('credential brokers', () => {
  it('off: blocks with broker_credential_required', async () => {
    const r = await gait(evalArgs(), { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toEqual(['broker_credential_required', 'matched_rule_brokered_write']);
    expect(r.json.violations).toEqual(['broker_credential_missing']);
  });

  it('stub: allows and records a credential reference', async () => {
    const evidence = path.join(dir, 'evidence.json');
    const r = await gait(evalArgs('--credential-broker', 'stub', '--credential-evidence-out', evidence), { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json.reason_codes).toEqual(['broker_credential_present', 'matched_rule_brokered_write']);
    expect(r.json.credential_ref).toMatch(/^stub:[0-9a-f]{24}$/);
    expect(r.json.credential_issuer).toBe('stub');
    expect(r.json.credential_evidence_path).toBe(evidence);
    const record = JSON.parse(readFileSync(evidence, 'utf8'));
    expect(record).toMatchObject({ schema_id: 'gait.gate.broker_credential_record', broker: 'stub', reference: 'egress', scope: ['export'], ttl_seconds: 300 });
    expect('credential_source' in record || 'credential_access_type' in record).toBe(false); // the August 2026 line's fields, not Gait 1.3.6's
  });

  it('env: issues only when the variable is set, and never prints its value', async () => {
    const missing = await gait(evalArgs('--credential-broker', 'env'), { cwd: dir, env: { GAIT_BROKER_TOKEN_EGRESS: undefined } });
    expect(missing.exit).toBe(3);
    expect(missing.json.reason_codes).toContain('broker_credential_missing');
    const set = await gait(evalArgs('--credential-broker', 'env'), { cwd: dir, env: { GAIT_BROKER_TOKEN_EGRESS: 'super-secret-value' } });
    expect(set.exit).toBe(0);
    expect(set.json.credential_ref).toBe('env:GAIT_BROKER_TOKEN_EGRESS');
    expect(set.stdout).not.toContain('super-secret-value');
  });

  // Finding S12: an empty reference made the env broker read the variable named exactly the prefix.
  it('env: an empty reference never yields a credential (S12), whatever variables are set', async () => {
    const noRef = file('broker-noref.yaml', `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
    match:
      tool_names: [tool.write]
`);
    const noRefArgs = (...extra: string[]) => ['gate', 'eval', '--policy', noRef, '--intent', INTENT, '--json', '--credential-broker', 'env', ...extra];
    const env = { GAIT_BROKER_TOKEN_: 'tok-value', GAIT_BROKER_TOKEN_DEFAULT: 'tok-value', GAIT_BROKER_TOKEN_TOOL_WRITE: 'tok-value' };
    const cwd = mkdtempSync(path.join(dir, 'noref-'));
    for (const extra of [[], ['--credential-ref', ' '], ['--credential-ref', '--'], ['--credential-ref', '_']]) {
      const r = await gait(noRefArgs(...extra), { cwd, env });
      expect(r.exit, JSON.stringify(extra)).toBe(3);
      expect(r.json.verdict).toBe('block');
      expect(r.json.reason_codes).toEqual(['broker_credential_missing', 'matched_rule_brokered_write']);
      expect(r.json.violations).toEqual(['broker_credential_missing']);
      expect(r.json.credential_ref).toBeUndefined();
      expect(r.json.credential_evidence_path).toBeUndefined();
      expect(r.stdout + r.stderr).not.toContain('tok-value');
    }
    expect(readdirSync(cwd).filter((f) => f.startsWith('credential_evidence'))).toEqual([]);
  });

  it('env: an empty --credential-env-prefix falls back to the default prefix, never to bare variable names', async () => {
    // With an empty prefix the reference `path` would name $PATH, which is always set.
    const r = await gait(evalArgs('--credential-broker', 'env', '--credential-env-prefix', '', '--credential-ref', 'path'), { cwd: dir, env: { GAIT_BROKER_TOKEN_PATH: undefined } });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toContain('broker_credential_missing');
    const set = await gait(evalArgs('--credential-broker', 'env', '--credential-env-prefix', ' ', '--credential-ref', 'path'), { cwd: dir, env: { GAIT_BROKER_TOKEN_PATH: 'v' } });
    expect(set.exit).toBe(0);
    expect(set.json.credential_ref).toBe('env:GAIT_BROKER_TOKEN_PATH');
  });

  it('env: references normalise like Gait (upper case, runs of other characters as one _, no edge _)', async () => {
    const r = await gait(evalArgs('--credential-broker', 'env', '--credential-ref', ' _egress.v2-x!! '), { cwd: dir, env: { GAIT_BROKER_TOKEN_EGRESS_V2_X: 'v' } });
    expect(r.exit).toBe(0);
    expect(r.json.credential_ref).toBe('env:GAIT_BROKER_TOKEN_EGRESS_V2_X');
  });

  it('stub: an empty reference still issues, as in Gait (the stub checks nothing and holds no secret)', async () => {
    const noRef = file('broker-noref-stub.yaml', `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
    match:
      tool_names: [tool.write]
`);
    const r = await gait(['gate', 'eval', '--policy', noRef, '--intent', INTENT, '--json', '--credential-broker', 'stub'], { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json.reason_codes).toEqual(['broker_credential_present', 'matched_rule_brokered_write']);
    expect(r.json.credential_ref).toMatch(/^stub:[0-9a-f]{24}$/);
  });

  it('command: a failing command blocks and its secret output is never echoed (e2e v17)', async () => {
    const script = file('broker-fail.sh', '#!/bin/sh\necho "token=secret-broker-token" >&2\necho "token=secret-broker-token"\nexit 2\n');
    chmodSync(script, 0o755);
    const evidence = path.join(dir, 'never.json');
    const r = await gait(evalArgs('--credential-broker', 'command', '--credential-command', script, '--credential-evidence-out', evidence), { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toContain('broker_credential_missing');
    expect(r.json.credential_evidence_path).toBeUndefined();
    expect(r.stdout + r.stderr).not.toContain('secret-broker-token');
    expect(existsSync(evidence)).toBe(false);
    // Gait's protocol: the command answers with a JSON response naming the credential_ref.
    const ok = file('broker-ok.sh', '#!/bin/sh\necho "{\\"credential_ref\\":\\"lease:$GAIT_CREDENTIAL_REFERENCE\\",\\"token\\":\\"cred-egress\\"}"\n');
    chmodSync(ok, 0o755);
    const good = await gait(evalArgs('--credential-broker', 'command', '--credential-command', ok), { cwd: dir });
    expect(good.exit).toBe(0);
    expect(good.json.credential_ref).toBe('lease:egress');
    expect(good.stdout).not.toContain('cred-egress');
  });

  // Finding: the command broker's credential_ref was cmd:<24 hex of sha256(stdout)>, an unsalted hash
  // of the secret that can be guessed offline. Gait takes the reference from the broker's JSON answer.
  it('command: the reference is the one the broker returns, never derived from the secret; the request comes on stdin', async () => {
    const secret = 's3cr3t-VALUE-9';
    const cwd = mkdtempSync(path.join(dir, 'cmd-ok-'));
    const request = path.join(cwd, 'request.json');
    const script = file('broker-json.sh', `#!/bin/sh\ncat > "$1"\necho '{"credential_ref":"vault:lease/42","issued_by":"vault","token":"${secret}"}'\n`);
    chmodSync(script, 0o755);
    const evidence = path.join(cwd, 'evidence.json');
    const r = await gait(evalArgs('--credential-broker', 'command', '--credential-command', script, '--credential-command-args', request,
      '--credential-evidence-out', evidence, '--trace-out', path.join(cwd, 'trace.json')), { cwd });
    expect(r.exit).toBe(0);
    expect(r.json.reason_codes).toEqual(['broker_credential_present', 'matched_rule_brokered_write']);
    expect(r.json.credential_ref).toBe('vault:lease/42');
    expect(r.json.credential_issuer).toBe('vault');
    expect(JSON.parse(readFileSync(evidence, 'utf8'))).toMatchObject({ broker: 'vault', reference: 'egress', credential_ref: 'vault:lease/42', scope: ['export'] });
    expect(JSON.parse(readFileSync(request, 'utf8'))).toEqual({
      ToolName: 'tool.write', Identity: 'example-user', Workspace: '/tmp/workspace', SessionID: '', RequestID: '', Reference: 'egress', Scope: ['export'],
    });
    expectNoSecret(secret, r, cwd, ['request.json']);
  });

  it('command: anything but a well-formed JSON response from a clean exit gives no credential, and nothing of it is echoed', async () => {
    const secret = 's3cr3t-plain-7';
    const answers: [string, string][] = [
      ['plain secret', `echo ${secret}`],
      ['empty credential_ref', `echo '{"credential_ref":"  ","token":"${secret}"}'`],
      ['credential_ref with a tab', `printf '{"credential_ref":"a\\\\tb","token":"${secret}"}'`],
      ['credential_ref too long', `printf '{"credential_ref":"%0257d","token":"${secret}"}' 0`],
      ['credential_ref not a string', `echo '{"credential_ref":42,"token":"${secret}"}'`],
      ['issued_by not a string', `echo '{"credential_ref":"r:1","issued_by":5,"token":"${secret}"}'`],
      ['an array', `echo '[{"credential_ref":"r:1","token":"${secret}"}]'`],
      ['null', `echo null; echo ${secret} >&2; exit 0`],
      ['trailing text', `echo '{"credential_ref":"r:1"} ${secret}'`],
      ['a warning on stderr', `echo 'warning ${secret}' >&2; echo '{"credential_ref":"r:1"}'`],
      ['non-zero exit', `echo '{"credential_ref":"r:1","token":"${secret}"}'; exit 1`],
    ];
    for (const [name, body] of answers) {
      const cwd = mkdtempSync(path.join(dir, 'cmd-bad-'));
      const script = file('broker-bad.sh', `#!/bin/sh\n${body}\n`);
      chmodSync(script, 0o755);
      const r = await gait(evalArgs('--credential-broker', 'command', '--credential-command', script), { cwd });
      expect(r.exit, name).toBe(3);
      expect(r.json.reason_codes, name).toEqual(['broker_credential_missing', 'matched_rule_brokered_write']);
      expect(r.json.credential_ref, name).toBeUndefined();
      expect(readdirSync(cwd).filter((f) => f.startsWith('credential_evidence')), name).toEqual([]);
      expectNoSecret(secret, r, cwd);
    }
  });

  it('command: with an empty reference the broker decides (as Gait: it gets Reference "")', async () => {
    const noRef = file('broker-noref-cmd.yaml', `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
    match:
      tool_names: [tool.write]
`);
    const args = (script: string) => ['gate', 'eval', '--policy', noRef, '--intent', INTENT, '--json', '--credential-broker', 'command', '--credential-command', script];
    const refuses = file('broker-refuse.sh', '#!/bin/sh\ngrep -q \'"Reference":""\' && exit 1\necho \'{"credential_ref":"r:1"}\'\n');
    chmodSync(refuses, 0o755);
    const r = await gait(args(refuses), { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toContain('broker_credential_missing');
    const issues = file('broker-issue.sh', '#!/bin/sh\necho \'{"credential_ref":"r:any"}\'\n');
    chmodSync(issues, 0o755);
    const ok = await gait(args(issues), { cwd: dir });
    expect(ok.exit).toBe(0);
    expect(ok.json.credential_ref).toBe('r:any');
  });

  it('env: the value and no hash of it appear in any output (Gait appends sha256(value)[:16]; we do not)', async () => {
    const secret = 'env-s3cr3t-5';
    const cwd = mkdtempSync(path.join(dir, 'env-'));
    const r = await gait(evalArgs('--credential-broker', 'env', '--trace-out', path.join(cwd, 'trace.json'), '--credential-evidence-out', path.join(cwd, 'ev.json')),
      { cwd, env: { GAIT_BROKER_TOKEN_EGRESS: secret } });
    expect(r.exit).toBe(0);
    expect(r.json.credential_ref).toBe('env:GAIT_BROKER_TOKEN_EGRESS');
    expect(readdirSync(cwd).sort()).toEqual(['ev.json', 'trace.json']);
    expectNoSecret(secret, r, cwd);
  });

  it('rejects bad broker configuration with exit 6', async () => {
    expect((await gait(evalArgs('--credential-broker', 'vault'), { cwd: dir })).json.error).toBe('unsupported credential broker: vault');
    expect((await gait(evalArgs('--credential-broker', 'command'), { cwd: dir })).json.error).toBe('command broker requires --credential-command');
    const r = await gait(evalArgs('--credential-broker', 'command', '--credential-command', '/bin/true'), { cwd: dir, env: { GAIT_CREDENTIAL_COMMAND_ALLOWLIST: '/bin/echo' } });
    expect(r.json.error).toBe('command broker command is not in allowlist GAIT_CREDENTIAL_COMMAND_ALLOWLIST');
  });
});

describe('oss-prod profile (TestGateEvalOSSProdProfile)', () => {
  const keyDir = mkdtempSync(path.join(tmpdir(), 'gait-keys-'));
  it('enforces its preconditions in order', async () => {
    await gait(['keys', 'init', '--out-dir', keyDir, '--json']);
    const key = path.join(keyDir, 'gait_private.key');
    const allow = FIXTURES + 'policy-test/allow.yaml';
    const base = ['gate', 'eval', '--intent', INTENT, '--profile', 'oss-prod', '--json'];
    const cases: [string[], number, string | RegExp][] = [
      [['--policy', allow, '--simulate', '--key-mode', 'prod', '--private-key', key], 6, 'oss-prod profile does not allow --simulate'],
      [['--policy', allow], 6, 'oss-prod profile requires --key-mode prod'],
      [['--policy', allow, '--key-mode', 'prod'], 6, 'oss-prod profile requires --private-key or --private-key-env'],
      [['--policy', FIXTURES + 'policy/base_high_risk.yaml', '--key-mode', 'prod', '--private-key', key, '--credential-broker', 'stub'], 6, /require_broker_credential/],
      [['--policy', BROKER_POLICY, '--key-mode', 'prod', '--private-key', key], 6, 'oss-prod profile requires --credential-broker for high-risk policies'],
      [['--policy', BROKER_POLICY, '--key-mode', 'prod', '--private-key', key, '--credential-broker', 'stub'], 0, ''],
    ];
    for (const [extra, exit, error] of cases) {
      const r = await gait([...base, ...extra], { cwd: dir });
      expect(r.exit, JSON.stringify(r.json)).toBe(exit);
      if (error) expect(r.json.error).toMatch(error);
      else expect(r.json.profile).toBe('oss-prod');
    }
    expect((await gait([...base, '--policy', allow, '--profile', 'strict'], { cwd: dir })).exit).toBe(6);
  });
});
