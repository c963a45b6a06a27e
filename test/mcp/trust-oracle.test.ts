// `gait mcp verify` against Gait v1.3.6 itself for trust snapshots, policies, server
// descriptions and flags beyond the recorded fixtures: same exit code and same JSON (or text),
// correlation_id aside. Runs only with the oracle (GAIT_ORACLE, or ../shared/oracle/gait beside the
// repo); skipped otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGaitIn } from './fixture-cases.js';
import { REPO } from '../cli/run.js';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);

const ENTRY = { server_id: 'srv', publisher: 'acme', score: 0.9, status: 'trusted', updated_at: '2026-03-01T00:00:00Z' };
const SNAPSHOTS: Record<string, string> = {
  plain: JSON.stringify({ entries: [ENTRY, { server_name: 'Named', score: 0.95 }] }),
  null: 'null',
  entries_null: '{"entries":null}',
  fold_keys: '{"ENTRIES":[{"Server_ID":" SRV ","Publisher":" ACME ","SCORE":0.9,"Status":" Pass ","Updated_At":"2026-03-01T05:00:00+05:00","Registry_Verification":{"Signature_Verified":true,"publisher_allowed":true}}]}',
  score_string: '{"entries":[{"server_id":"srv","score":"x"}]}',
  score_huge: '{"entries":[{"server_id":"srv","score":1e400}]}',
  score_tiny: '{"entries":[{"server_id":"srv","score":1e-7}]}',
  score_equal: '{"entries":[{"server_id":"srv","score":0.5,"status":"allow"}]}',
  updated_empty: '{"entries":[{"server_id":"srv","updated_at":""}]}',
  updated_zero: '{"entries":[{"server_id":"srv","updated_at":"0001-01-01T00:00:00Z","score":0.9}]}',
  updated_future: '{"entries":[{"server_id":"srv","updated_at":"2099-01-01T00:00:00Z","score":0.9,"publisher":"acme","registry_verification":{"pin_present":false,"signature_verified":true,"publisher_allowed":true}}]}',
  created_bad: '{"created_at":"bad","entries":[]}',
  schema_spaced: '{"schema_id":" gait.mcp.trust_snapshot ","entries":[]}',
  version_upper: '{"schema_version":"1.0.0 ","entries":[]}',
  trailing: '{"entries":[]} x',
  duplicate_by_name: '{"entries":[{"server_name":"SRV"},{"server_id":"srv"}]}',
  revoked_evidence: '{"entries":[{"server_id":"srv","status":"Revoked","evidence_path":" ev/report.json ","source":" Snyk ","score":0.2}]}',
  pin_unverified: '{"entries":[{"server_id":"srv","publisher":"acme","score":0.9,"registry_verification":{"pin_present":true,"pin_verified":false,"signature_verified":true,"publisher_allowed":true}}]}',
};
const POLICIES: Record<string, string> = {
  high: 'default_verdict: allow\nmcp_trust:\n  snapshot: snap.json\n  required_risk_classes: [high]\n  min_score: 0.5\n',
  strict: 'default_verdict: allow\nmcp_trust:\n  snapshot: snap.json\n  required_risk_classes: [critical, high]\n  min_score: 0.8\n  max_age: 1h\n  publisher_allowlist: [ACME]\n  require_registry: true\n',
  approval_odd_classes: 'default_verdict: allow\nmcp_trust:\n  snapshot: " snap.json "\n  action: require_approval\n  required_risk_classes: [zeta, alpha]\n  max_age: 876000h\n',
  no_snapshot_file: 'default_verdict: allow\nmcp_trust:\n  snapshot: missing/snap.json\n',
  disabled: 'default_verdict: block\n',
};
const SERVERS: Record<string, string> = {
  id: '{"server_id":"srv","publisher":"Other","source":"X"}',
  id_upper: '{"SERVER_ID":" SRV "}',
  named: '{"server_name":" named "}',
  id_miss_name_hit: '{"server_id":"nope","server_name":"Named"}',
};

const dir = mkdtempSync(path.join(tmpdir(), 'gait-mcp-verify-oracle-'));
let n = 0;

function workDir(snapshot: string, policy: string, srv: string): string {
  const d = path.join(dir, String(n++));
  spawnSync('mkdir', ['-p', d]);
  writeFileSync(path.join(d, 'snap.json'), snapshot);
  writeFileSync(path.join(d, 'policy.yaml'), policy);
  writeFileSync(path.join(d, 'server.json'), srv);
  return d;
}

/** Ours through the CLI dispatch (`gait mcp verify …`). */
const ours = (cwd: string, args: string[]) => runGaitIn(cwd, ['mcp', 'verify', ...args]);

const masked = (stdout: string) => stdout.replace(/"correlation_id":"[0-9a-f]+",?/, '');

async function compare(cwd: string, args: string[]): Promise<void> {
  const ref = spawnSync(ORACLE!, ['mcp', 'verify', ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  const got = await ours(cwd, args);
  expect({ exit: got.exit, stdout: masked(got.stdout) }).toEqual({ exit: ref.status, stdout: masked(ref.stdout) });
}

const base = ['--policy', 'policy.yaml', '--server', 'server.json', '--json'];

describe.skipIf(!ORACLE)('mcp verify vs Gait v1.3.6', () => {
  for (const [snapName, snapshot] of Object.entries(SNAPSHOTS)) {
    it(`snapshot ${snapName} under every policy and server`, async () => {
      for (const policy of Object.values(POLICIES)) {
        for (const srv of Object.values(SERVERS)) await compare(workDir(snapshot, policy, srv), base);
      }
    });
  }

  it('risk-class flags', async () => {
    for (const risk of [' LOW ', '  ', 'Zeta', 'critical']) {
      for (const policy of Object.values(POLICIES)) await compare(workDir(SNAPSHOTS['plain']!, policy, SERVERS['id']!), [...base, '--risk-class', risk]);
    }
  });

  it('human output', async () => {
    for (const policy of Object.values(POLICIES)) await compare(workDir(SNAPSHOTS['plain']!, policy, SERVERS['id']!), base.slice(0, -1));
  });

  it('bad server descriptions and flags', async () => {
    const d = workDir(SNAPSHOTS['plain']!, POLICIES['high']!, '{"server_id":"srv"} x');
    writeFileSync(path.join(d, 'arr.json'), '[]');
    writeFileSync(path.join(d, 'null.json'), 'null');
    writeFileSync(path.join(d, 'type.json'), '{"server_name":["x"]}');
    for (const args of [
      base,
      ['--policy', 'policy.yaml', '--server', 'arr.json', '--json'],
      ['--policy', 'policy.yaml', '--server', 'null.json', '--json'],
      ['--policy', 'policy.yaml', '--server', 'type.json'],
      ['--policy', 'policy.yaml', '--server', ' nope.json ', '--json'],
      ['--policy', 'policy.yaml', '--server', '.', '--json'],
      ['--policy', 'nope.yaml', '--server', 'arr.json', '--json'],
      ['--policy', '  ', '--server', 'arr.json', '--json'],
      ['--policy', 'policy.yaml', '--server', 'arr.json', 'extra', '--json'],
      ['policy.yaml', '--server', 'arr.json', '--json'],
      ['--policy', 'policy.yaml', '--bogus', '--json'],
      ['--json', '--policy', 'policy.yaml', '--bogus'],
      ['--json', '--policy'],
      ['--json', '-json=x'],
      ['--json=false', '--policy', 'policy.yaml', '--server', 'null.json'],
      ['--json', '--risk-class'],
      ['--help'],
      ['--explain', '--json'],
      ['--json', '--explain=false', '--policy', 'policy.yaml', '--server', 'arr.json'],
      ['--policy', 'policy.yaml', '--help', '--json'],
    ]) await compare(d, args);
  });
});
