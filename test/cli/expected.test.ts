// Every case of the fixtures' EXPECTED.jsonl, through the CLI, plus the exact outcomes the spec
// derives for the same fixtures (policy.md §11.2, intent.md §9 E6/E7/E13).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

interface Expected {
  cmd: string;
  policy: string;
  intent?: string;
  exit: number;
  verdict?: string;
  reason_codes_include?: string[];
  violations_include?: string[];
}

const cases: Expected[] = readFileSync(FIXTURES + 'EXPECTED.jsonl', 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));

describe('EXPECTED.jsonl through the CLI', () => {
  it('has the 21 cases', () => expect(cases).toHaveLength(21));
  for (const c of cases) {
    const name = `${c.cmd} ${c.policy}${c.intent ? ' ' + c.intent : ''}`;
    it(name, async () => {
      const args = c.cmd === 'policy test'
        ? ['policy', 'test', FIXTURES + c.policy, FIXTURES + c.intent, '--json']
        : ['policy', 'validate', FIXTURES + c.policy, '--json'];
      const r = await gait(args);
      expect(r.exit, r.stdout + r.stderr).toBe(c.exit);
      expect(r.json.ok).toBe(true);
      if (c.verdict) expect(r.json.verdict).toBe(c.verdict);
      for (const code of c.reason_codes_include ?? []) expect(r.json.reason_codes).toContain(code);
      for (const v of c.violations_include ?? []) expect(r.json.violations).toContain(v);
    });
  }
});

// [policy, intent, verdict, exit, reason_codes, violations, matched_rule]
const exact: [string, string, string, number, string[], string[], string | undefined][] = [
  ['policy-test/allow.yaml', 'policy-test/intent.json', 'allow', 0, ['default_allow'], [], undefined],
  ['policy-test/block.yaml', 'policy-test/intent.json', 'block', 3, ['default_block'], [], undefined],
  ['policy-test/require_approval.yaml', 'policy-test/intent.json', 'require_approval', 4, ['default_require_approval'], [], undefined],
  ['policy/base_low_risk.yaml', 'policy/intents/intent_read.json', 'allow', 0, ['safe_read_allowed'], [], 'allow-safe-tool-read'],
  ['policy/base_medium_risk.yaml', 'policy/intents/intent_write.json', 'require_approval', 4, ['approval_required_for_write'], ['approval_required'], 'require-approval-tool-write'],
  ['policy/base_low_risk.yaml', 'policy/intents/intent_write.json', 'require_approval', 4, ['approval_required_for_write'], ['approval_required'], 'require-approval-tool-write'],
  ['policy/base_high_risk.yaml', 'policy/intents/intent_delete.json', 'block', 3, ['destructive_apply_requires_approval', 'destructive_tool_blocked'], ['destructive_operation'], 'block-destructive-tool-delete'],
  ['policy/base_low_risk.yaml', 'policy/intents/intent_delete.json', 'block', 3, ['destructive_apply_requires_approval', 'destructive_tool_blocked'], ['destructive_operation'], 'block-destructive-tool-delete'],
  ['policy/base_high_risk.yaml', 'policy/intents/intent_tainted_egress.json', 'block', 3, ['blocked_tainted_egress'], ['tainted_data_exfiltration'], 'block-tainted-egress-write'],
  ['policy/base_low_risk.yaml', 'policy/intents/intent_tainted_egress.json', 'require_approval', 4, ['approval_required_for_write'], ['approval_required'], 'require-approval-tool-write'],
  ['policy/base_high_risk.yaml', 'policy/intents/intent_delegated_egress_valid.json', 'allow', 0, ['delegated_egress_write_allowed'], [], 'allow-delegated-egress-write'],
  ['policy/base_high_risk.yaml', 'policy/intents/intent_delegated_egress_invalid.json', 'block', 3, ['delegation_required_for_egress_write'], ['missing_or_invalid_delegation'], 'block-undelegated-egress-write'],
  ['policy/base_high_risk.yaml', 'policy/intents/intent_write.json', 'require_approval', 4, ['destructive_budget_guard'], ['destructive_operation'], 'destructive-budget-guard'],
  ['policy/endpoint/allow_safe_endpoints.yaml', 'policy/endpoint/fixtures/intent_allow.json', 'allow', 0, ['matched_rule_endpoint_safe_allow'], [], 'endpoint-safe-allow'],
  ['policy/endpoint/allow_safe_endpoints.yaml', 'policy/endpoint/fixtures/intent_block.json', 'block', 3, ['endpoint_path_not_allowlisted', 'endpoint_policy_violation', 'matched_rule_endpoint_safe_allow'], ['endpoint_path_not_allowlisted', 'endpoint_policy_violation'], 'endpoint-safe-allow'],
  ['policy/endpoint/block_denied_endpoints.yaml', 'policy/endpoint/fixtures/intent_block.json', 'block', 3, ['endpoint_path_denied', 'endpoint_policy_violation', 'matched_rule_endpoint_deny'], ['endpoint_path_denied', 'endpoint_policy_violation'], 'endpoint-deny'],
  ['policy/endpoint/require_approval_destructive.yaml', 'policy/endpoint/fixtures/intent_destructive.json', 'require_approval', 4, ['destructive_apply_requires_approval', 'endpoint_destructive_guard', 'endpoint_destructive_operation', 'matched_rule_endpoint_destructive_approval'], ['destructive_operation', 'endpoint_destructive_guard'], 'endpoint-destructive-approval'],
  ['prompt-injection/policy.yaml', 'prompt-injection/intent_injected.json', 'block', 3, ['blocked_prompt_injection'], ['prompt_injection_egress_attempt'], 'block-network-egress'],
];

describe('exact outcomes for the shipped fixtures (policy.md §11.2, intent.md §9)', () => {
  for (const [policy, intent, verdict, exit, reasons, violations, matched] of exact) {
    it(`${policy} × ${intent}`, async () => {
      const r = await gait(['policy', 'test', FIXTURES + policy, FIXTURES + intent, '--json']);
      expect(r.exit).toBe(exit);
      expect(r.json.verdict).toBe(verdict);
      expect(r.json.reason_codes ?? []).toEqual(reasons);
      expect(r.json.violations ?? []).toEqual(violations);
      expect(r.json.matched_rule).toBe(matched);
    });
  }

  it('reports the spec digests for the policy-test trio (intent.md §9 E6)', async () => {
    const r = await gait(['policy', 'test', FIXTURES + 'policy-test/allow.yaml', FIXTURES + 'policy-test/intent.json', '--json']);
    expect(r.json.intent_digest).toBe('dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e');
    expect(r.json.policy_digest).toBe('65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f');
    expect(r.json.created_at).toBe('2026-02-05T00:00:00Z');
    expect(r.json.summary).toBe('policy test verdict=allow reasons=default_allow violations=none');
    expect(r.json.schema_id).toBe('gait.policytest.result');
  });

  it('prints byte-identical JSON for identical runs (cli.md §12.3)', async () => {
    const args = ['policy', 'test', FIXTURES + 'policy-test/allow.yaml', FIXTURES + 'policy-test/intent.json', '--json'];
    const a = await gait(args);
    const b = await gait(args);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.endsWith('\n')).toBe(true);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    expect(a.json.correlation_id).toMatch(/^[0-9a-f]{24}$/);
  });
});
