// A legacy policy (Gait's proposal fields) through `mcp proxy`: the error envelope carries the
// migration guide and its hint, as Gait prints it (found by the differential runner, seed
// 20261203 cases 723 and 897) — the same details `gate eval` reports, plus `executed:false`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGaitIn } from './fixture-cases.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gait-mcp-legacy-'));
writeFileSync(path.join(dir, 'policy.yaml'), 'unknown_server: block\n');
writeFileSync(path.join(dir, 'call.json'), '{"name":"tool.read"}');
writeFileSync(path.join(dir, 'intent.json'), '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"low"}}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mcp proxy: a legacy policy', () => {
  it('prints the migration guide and hint in the error envelope (exit 6)', async () => {
    const proxy = await runGaitIn(dir, ['mcp', 'proxy', '--policy', 'policy.yaml', '--call', 'call.json', '--json']);
    const gate = await runGaitIn(dir, ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json']);
    expect(proxy.exit).toBe(6);
    const p = JSON.parse(proxy.stdout);
    const g = JSON.parse(gate.stdout);
    expect(p.migration).toEqual({ kind: 'policy_fields', deprecated_fields: ['unknown_server'], field_replacements: [{ field: 'unknown_server', replacement_fields: ['mcp_trust.action'], note: 'enforce unknown servers through local snapshot coverage and a fail-closed action' }] });
    expect(p.hint).toMatch(/^use the repo-root `.gait.yaml` contract/);
    const { correlation_id: _a, executed, ...proxyRest } = p;
    const { correlation_id: _b, ...gateRest } = g;
    expect(executed).toBe(false);
    expect(proxyRest).toEqual(gateRest);
  });
});
