// The hook against Gait itself: for every Claude Code payload of the mcp fixtures, Gait's
// `gait mcp proxy --adapter claude_code` verdict (or error) must give the hook decision that
// `gait claude-code hook` prints (allow → allow, block → deny, require_approval → ask,
// dry_run → deny, error → deny), with the same reason codes. Runs when the oracle is there
// (GAIT_ORACLE, or ../shared/oracle/gait from the repo root); skipped otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LOCAL_ORACLE = path.join(REPO, '../shared/oracle/gait');
const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(LOCAL_ORACLE) ? LOCAL_ORACLE : undefined);
const BIN = path.join(REPO, 'bin/gait.js');
const MCP = path.join(REPO, 'test/fixtures/gait/mcp');
const CALLS = path.join(MCP, 'calls/claude_code');
const POLICIES = [path.join(MCP, 'policies/rules.yaml'), path.join(MCP, 'policies/allow.yaml'), fileURLToPath(new URL('./fixtures/hook-policy.yaml', import.meta.url))];
const EXPECTED: Record<string, string> = { allow: 'allow', block: 'deny', require_approval: 'ask', dry_run: 'deny' };

describe.skipIf(!ORACLE)('gait claude-code hook agrees with Gait (mcp proxy --adapter claude_code)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'gait-hook-oracle-'));
  const payloads = readdirSync(CALLS).filter((f) => f.endsWith('.json'));

  it.each(POLICIES.flatMap((p) => payloads.map((c) => [path.basename(p), c, p] as const)))('%s / %s', (_p, call, policy) => {
    const payload = readFileSync(path.join(CALLS, call));
    const gait = spawnSync(ORACLE!, ['mcp', 'proxy', '--policy', policy, '--call', '-', '--adapter', 'claude_code', '--trace-out', path.join(out, 'trace.json'), '--json'], {
      input: payload,
      encoding: 'utf8',
    });
    const reference = JSON.parse(gait.stdout);
    const hook = spawnSync(process.execPath, [BIN, 'claude-code', 'hook', '--policy', policy], { input: payload, encoding: 'utf8' });
    expect(hook.status).toBe(0);
    const { permissionDecision, permissionDecisionReason } = JSON.parse(hook.stdout).hookSpecificOutput;
    if (reference.ok) {
      expect(permissionDecision).toBe(EXPECTED[reference.verdict]);
      expect(permissionDecisionReason).toContain(`gait verdict=${reference.verdict} reason_codes=${(reference.reason_codes ?? []).join(', ')}`);
      expect(permissionDecisionReason).toContain(`trace_id=${reference.trace_id}`);
    } else {
      expect(permissionDecision).toBe('deny');
      expect(permissionDecisionReason).toContain(reference.error);
    }
  });
});
