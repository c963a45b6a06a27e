// `gait gate eval` (cli.md §2, §12.1, §12.3; intent.md §9). The scenario script intents' context
// fields are not in the spec, so their intent digests are not asserted; their script_hash is.
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'gait-eval-'));
}

function write(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

const INTEGRATION_INTENT = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-02-05T00:00:00Z',
  producer_version: 'test',
  tool_name: 'tool.write',
  args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'host', value: 'api.external.com' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
};

const SCRIPT_INTENT = {
  tool_name: 'script',
  args: {},
  script: {
    steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write' }] },
    ],
  },
  context: { identity: 'alice', workspace: '/tmp/workspace', risk_class: 'medium' },
};

describe('gate eval: block, signed trace, verify (TestCLIGateEval)', () => {
  it('blocks, writes a trace that verifies, and detects tampering', async () => {
    const dir = tempDir();
    const keys = await gait(['keys', 'init', '--out-dir', dir, '--prefix', 'k', '--json']);
    expect(keys.exit).toBe(0);
    const policy = write(dir, 'policy.yaml', `default_verdict: allow
fail_closed:
  enabled: true
  risk_classes: [high]
  required_fields: [targets, arg_provenance]
rules:
  - name: block-external-host
    priority: 10
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host]
      target_values: [api.external.com]
    reason_codes: [blocked_external]
    violations: [external_target]
`);
    const intent = write(dir, 'intent.json', INTEGRATION_INTENT);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--key-mode', 'prod', '--private-key', path.join(dir, 'k_private.key'), '--json'], { cwd: dir });
    expect(r.exit, r.stdout + r.stderr).toBe(3);
    expect(r.json.ok).toBe(true);
    expect(r.json.verdict).toBe('block');
    expect(r.json.reason_codes).toEqual(['blocked_external']);
    expect(r.json.violations).toEqual(['external_target']);
    expect(r.json.intent_digest).toBe('74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
    expect(r.json.phase).toBe('apply');
    expect(r.json.profile).toBe('standard');
    expect(r.json.matched_rule).toBe('block-external-host');
    const tracePath = path.resolve(dir, r.json.trace_path);
    expect(existsSync(tracePath)).toBe(true);
    expect(r.json.trace_path).toBe(`trace_${r.json.trace_id}.json`);

    const ok = await gait(['trace', 'verify', tracePath, '--public-key', path.join(dir, 'k_public.key'), '--json']);
    expect(ok.exit).toBe(0);
    expect(ok.json.signature_status).toBe('verified');
    expect(ok.json.verdict).toBe('block');

    const trace = JSON.parse(readFileSync(tracePath, 'utf8'));
    trace.verdict = 'allow';
    const tampered = write(dir, 'tampered.json', trace);
    const bad = await gait(['trace', 'verify', tampered, '--public-key', path.join(dir, 'k_public.key'), '--json']);
    expect(bad.exit).toBe(2);
    expect(bad.json.ok).toBe(false);
    expect(bad.json.signature_status).toBe('failed');

    const missing = await gait(['gate', 'eval', '--policy', policy, '--json'], { cwd: dir });
    expect(missing.exit).toBe(6);
    expect(missing.json.error).toBe('both --policy and --intent are required');
    expect(missing.json.error_code).toBe('invalid_input');
  });

  it('the integration golden: policy digest and trace id (cli.md §10)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', `default_verdict: allow
rules:
  - name: block-external-host
    priority: 10
    effect: block
    match:
      tool_names: [tool.write]
      target_kinds: [host]
      target_values: [api.external.com]
    reason_codes: [blocked_external]
    violations: [external_target]
`);
    const intent = write(dir, 'intent.json', INTEGRATION_INTENT);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(r.json.policy_digest).toBe('f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c');
    expect(r.json.trace_id).toBe('9a714d67a491c4bd98dd7983');
    expect(r.json.warnings).toEqual(['dev mode: ephemeral keypair generated; signatures will not verify across machines']);
  });
});

describe('gate eval: simulate (cli.md §2.5)', () => {
  it('dry-run-no-side-effects scenario', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', 'default_verdict: allow\n');
    const intent = write(dir, 'intent.json', { ...INTEGRATION_INTENT, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] });
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--simulate', '--json'], { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json.verdict).toBe('allow');
    expect(r.json.simulate_mode).toBe(true);
    expect(r.json.reason_codes).toEqual(['default_allow', 'simulate_mode_non_enforcing']);
    expect(r.json.would_have_blocked).toBeUndefined();
    expect(r.json.simulated_verdict).toBe('allow');
  });

  it('a block becomes allow with simulated_block and no violations', async () => {
    const dir = tempDir();
    const policy = FIXTURES + 'policy/base_high_risk.yaml';
    const intent = FIXTURES + 'policy/intents/intent_tainted_egress.json';
    const enforced = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(enforced.exit).toBe(3);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--simulate', '--json'], { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json.verdict).toBe('allow');
    expect(r.json.would_have_blocked).toBe(true);
    expect(r.json.simulated_verdict).toBe('block');
    expect(r.json.simulated_reason_codes).toEqual(['blocked_tainted_egress']);
    expect(r.json.reason_codes).toEqual(['blocked_tainted_egress', 'simulate_mode_non_enforcing', 'simulated_block']);
    expect(r.json.violations).toBeUndefined();
    expect(r.json.trace_id).not.toBe(enforced.json.trace_id);
  });
});

describe('gate eval: post-evaluation stages without tokens', () => {
  it('require_approval without a token (E6)', async () => {
    const dir = tempDir();
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy-test/require_approval.yaml', '--intent', FIXTURES + 'policy-test/intent.json', '--json'], { cwd: dir });
    expect(r.exit).toBe(4);
    expect(r.json.reason_codes).toEqual(['approval_token_missing', 'default_require_approval']);
    expect(r.json.violations).toEqual(['approval_not_granted']);
    expect(r.json.required_approvals).toBe(1);
    expect(r.json.trace_id).toBe('9619f3b8927b7e6b8c039a25');
  });

  it('a rule requiring delegation blocks without delegation tokens (E7)', async () => {
    const dir = tempDir();
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy/base_high_risk.yaml', '--intent', FIXTURES + 'policy/intents/intent_delegated_egress_valid.json', '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toContain('delegation_token_missing');
    expect(r.json.violations).toContain('delegation_not_granted');
    expect(r.json.delegation_required).toBe(true);
  });

  it('a broker-requiring allow blocks when no broker is configured', async () => {
    const dir = tempDir();
    const policy = write(dir, 'p.yaml', 'default_verdict: block\nrules:\n  - name: brokered\n    effect: allow\n    require_broker_credential: true\n    match:\n      tool_names: [tool.write]\n');
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy-test/intent.json', '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toEqual(['broker_credential_required', 'matched_rule_brokered']);
    expect(r.json.violations).toEqual(['broker_credential_missing']);
  });
});

describe('gate eval: scripts (cli.md §12.1, intent.md §9 E10)', () => {
  const cases: [string, string, number, string, string[], string[]][] = [
    ['max_steps', 'scripts:\n  max_steps: 1\ndefault_verdict: allow\n', 3, 'block', ['default_allow', 'script_max_steps_exceeded'], ['script_max_steps_exceeded']],
    ['mixed risk', 'scripts:\n  block_mixed_risk: true\ndefault_verdict: allow\n', 3, 'block', ['default_allow', 'script_mixed_risk_blocked'], ['script_mixed_risk']],
    ['threshold', 'scripts:\n  require_approval_above: 1\ndefault_verdict: allow\n', 4, 'require_approval', ['approval_token_missing', 'default_allow', 'script_step_threshold_approval'], ['approval_not_granted']],
  ];
  for (const [name, yaml, exit, verdict, reasons, violations] of cases) {
    it(name, async () => {
      const dir = tempDir();
      const policy = write(dir, 'policy.yaml', yaml);
      const intent = write(dir, 'intent.json', SCRIPT_INTENT);
      const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
      expect(r.exit).toBe(exit);
      expect(r.json.verdict).toBe(verdict);
      expect(r.json.reason_codes).toEqual(reasons);
      expect(r.json.violations).toEqual(violations);
      expect(r.json.script).toBe(true);
      expect(r.json.step_count).toBe(2);
      expect(r.json.composite_risk_class).toBe('medium');
      expect(r.json.script_hash).toBe('4a132cd1a51cc226c73b0cbae9528905fbbaa80b7fe06bb632a62d9647001c11');
      expect(r.json.step_verdicts).toEqual([
        { index: 0, tool_name: 'tool.read', verdict: 'allow', reason_codes: ['default_allow'] },
        { index: 1, tool_name: 'tool.write', verdict: 'allow', reason_codes: ['default_allow'] },
      ]);
      const again = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
      expect(again.stdout).toBe(r.stdout);
    });
  }
});

describe('gate eval: Wrkr inventory (intent.md §5, §9 E11/E12)', () => {
  const inventory = [
    { tool_name: 'tool.read', data_class: 'public', endpoint_class: 'fs.read', autonomy_level: 'assist' },
    { tool_name: 'tool.write', data_class: 'secret', endpoint_class: 'fs.write', autonomy_level: 'assist' },
  ];
  const policyYaml = `default_verdict: allow
scripts:
  max_steps: 8
rules:
  - name: block_wrkr_secret_write
    priority: 1
    effect: block
    match:
      tool_names: [tool.write]
      context_data_classes: [secret]
    reason_codes: [wrkr_secret_write_blocked]
    violations: [wrkr_secret_write_blocked]
  - name: require_write_approval
    priority: 10
    effect: require_approval
    match:
      tool_names: [tool.write]
    reason_codes: [approval_required_write]
`;

  it('enriches each script step separately (E11)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', policyYaml);
    const inv = write(dir, 'inventory.json', { items: inventory });
    const intent = write(dir, 'intent.json', { ...SCRIPT_INTENT, context: { ...SCRIPT_INTENT.context, risk_class: 'high' } });
    const without = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(without.json.policy_digest).toBe('81c1d90755953fa758e3bc1695c3cefc4affc966cb71334ce17ac8f4f9ef4b23');
    expect(without.exit).toBe(4);
    expect(without.json.reason_codes).toEqual(['approval_required_write', 'approval_token_missing', 'default_allow']);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--wrkr-inventory', inv, '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toEqual(['default_allow', 'wrkr_secret_write_blocked']);
    expect(r.json.violations).toEqual(['wrkr_secret_write_blocked']);
    expect(r.json.context_source).toBe(inv);
    expect(r.json.step_verdicts[1].verdict).toBe('block');
    // Scripts are never enriched at top level: the digest does not change.
    expect(r.json.intent_digest).toBe(without.json.intent_digest);
  });

  it('changes the reported digest of a single intent (E12)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', policyYaml);
    const inv = write(dir, 'inventory.json', inventory);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', FIXTURES + 'policy/intents/intent_write.json', '--wrkr-inventory', inv, '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toEqual(['wrkr_secret_write_blocked']);
    expect(r.json.intent_digest).toBe('ffa9f542695945ced6a8a1d8949f4d814ca5c365b45c53a8c0fab7e87942e98a');
  });

  it('fails closed for high risk when the inventory is missing, warns for low risk', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', 'default_verdict: allow\n');
    const high = write(dir, 'high.json', { ...SCRIPT_INTENT, script: { steps: [SCRIPT_INTENT.script.steps[0]] }, context: { ...SCRIPT_INTENT.context, risk_class: 'high' } });
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', high, '--wrkr-inventory', path.join(dir, 'missing_wrkr_inventory.json'), '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.ok).toBe(false);
    expect(r.json.error).toContain('wrkr inventory unavailable in fail-closed mode');
    expect(r.json.error_code).toBe('policy_blocked');
    expect(readdirSync(dir).filter((f) => f.startsWith('trace_'))).toEqual([]);
    const low = write(dir, 'low.json', { ...SCRIPT_INTENT, context: { ...SCRIPT_INTENT.context, risk_class: 'low' } });
    const w = await gait(['gate', 'eval', '--policy', policy, '--intent', low, '--wrkr-inventory', path.join(dir, 'missing.json'), '--json'], { cwd: dir });
    expect(w.exit).toBe(0);
    expect(w.json.warnings).toContain('wrkr inventory unavailable; continuing without context enrichment');
  });
});
