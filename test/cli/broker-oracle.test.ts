// Differential check of the credential brokers against Gait itself. Runs only when GAIT_ORACLE
// names a Gait v1.3.6 binary (e.g. GAIT_ORACLE=/work/shared/oracle/gait); skipped otherwise.
// Same input to both: same exit code, verdict, reason codes and violations, except the
// deliberate fail-closed divergences asserted at the end.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

const ORACLE = process.env['GAIT_ORACLE'];
const dir = mkdtempSync(path.join(tmpdir(), 'gait-broker-oracle-'));
const file = (name: string, content: string, mode = 0o644) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, mode);
  return p;
};
const policy = (reference: string) => file(`rule-${reference || 'none'}.yaml`, `default_verdict: block
rules:
  - name: brokered-write
    effect: allow
    require_broker_credential: true
${reference ? `    broker_reference: ${reference}\n` : ''}    match:
      tool_names: [tool.write]
`);
const INTENT = FIXTURES + 'policy-test/intent.json';
const SECRET = 'oracle-s3cr3t-1';

interface Outcome { exit: number; verdict: string; reason_codes: string[]; violations: string[]; credential_ref?: string; text: string }

async function both(args: string[], env: Record<string, string> = {}): Promise<{ ref: Outcome; cand: Outcome }> {
  const full = ['gate', 'eval', '--intent', INTENT, '--json', '--trace-out', 'trace.json', ...args];
  const cwd = (who: string) => {
    const d = mkdtempSync(path.join(dir, `${who}-`));
    mkdirSync(path.join(d, '.gait-out'));
    return d;
  };
  const r = spawnSync(ORACLE!, full, { cwd: cwd('ref'), env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  const c = await gait(full, { cwd: cwd('cand'), env });
  const pick = (exit: number, stdout: string, stderr: string): Outcome => {
    const j = JSON.parse(stdout.trim());
    return { exit, verdict: j.verdict, reason_codes: j.reason_codes ?? [], violations: j.violations ?? [], credential_ref: j.credential_ref, text: stdout + stderr };
  };
  return { ref: pick(r.status ?? -1, r.stdout, r.stderr), cand: pick(c.exit, c.stdout, c.stderr) };
}

function expectSame({ ref, cand }: { ref: Outcome; cand: Outcome }, name: string) {
  const view = (o: Outcome) => ({ exit: o.exit, verdict: o.verdict, reason_codes: o.reason_codes, violations: o.violations, issued: o.credential_ref !== undefined });
  expect(view(cand), name).toEqual(view(ref));
  expect(cand.text, name).not.toContain(SECRET);
}

describe.skipIf(!ORACLE)('credential brokers against the Gait oracle', () => {
  const script = (name: string, body: string) => file(name, `#!/bin/sh\n${body}\n`, 0o755);

  it('empty references: env (S12) blocks, stub issues, command lets the broker decide', async () => {
    const none = policy('');
    expectSame(await both(['--policy', none, '--credential-broker', 'env'], { GAIT_BROKER_TOKEN_: SECRET }), 'S12');
    expectSame(await both(['--policy', none, '--credential-broker', 'env', '--credential-ref', ' '], { GAIT_BROKER_TOKEN_: SECRET }), 'blank --credential-ref');
    expectSame(await both(['--policy', none, '--credential-broker', 'stub']), 'stub');
    const answers = script('answers.sh', `cat >/dev/null\necho '{"credential_ref":"lease:1","issued_by":"vault"}'`);
    const pair = await both(['--policy', none, '--credential-broker', 'command', '--credential-command', answers]);
    expectSame(pair, 'command');
    expect(pair.cand.credential_ref).toBe(pair.ref.credential_ref);
  });

  it('command answers: same verdicts, same references, the secret never echoed', async () => {
    const egress = policy('egress');
    const bodies = [
      `echo ${SECRET}`,
      `echo ${SECRET} >&2; exit 2`,
      `echo '{"credential_ref":"lease:2","token":"${SECRET}"}'`,
      `echo '{"credential_ref":"lease:2"}'; exit 1`,
      `echo 'warn' >&2; echo '{"credential_ref":"lease:2"}'`,
      `echo '{"credential_ref":"  "}'`,
      `echo '{"credential_ref":"lease:2","issued_by":7}'`,
      `echo '{"credential_ref":"lease:2","ttl_seconds":1.5}'`,
      `printf '{"credential_ref":"%0257d"}' 0`,
      `head -c 17000 /dev/zero | tr '\\0' a`,
    ];
    for (const [i, body] of bodies.entries()) {
      const cmd = script(`answer-${i}.sh`, body);
      const pair = await both(['--policy', egress, '--credential-broker', 'command', '--credential-command', cmd]);
      expectSame(pair, body);
      expect(pair.cand.credential_ref, body).toBe(pair.ref.credential_ref);
    }
  });

  it('deliberate fail-closed divergences (spec README proposal): env ref suffix, tool-name fallback', async () => {
    // Gait appends sha256(value)[:16] to the env reference; we never derive anything from the secret.
    const egress = await both(['--policy', policy('egress'), '--credential-broker', 'env'], { GAIT_BROKER_TOKEN_EGRESS: SECRET });
    expectSame(egress, 'env egress');
    expect(egress.ref.credential_ref).toMatch(/^env:GAIT_BROKER_TOKEN_EGRESS:[0-9a-f]{16}$/);
    expect(egress.cand.credential_ref).toBe('env:GAIT_BROKER_TOKEN_EGRESS');
    // With no reference Gait reads <prefix><TOOL_NAME>; we issue nothing.
    const fallback = await both(['--policy', policy(''), '--credential-broker', 'env'], { GAIT_BROKER_TOKEN_TOOL_WRITE: SECRET });
    expect(fallback.ref.verdict).toBe('allow');
    expect(fallback.cand).toMatchObject({ exit: 3, verdict: 'block', reason_codes: ['broker_credential_missing', 'matched_rule_brokered_write'] });
  });
});
