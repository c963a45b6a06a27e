// Every shipped fixture policy parses strictly, with the shape the spec describes for it; the
// divergence cases whose policy Gait rejects fail with Gait's message.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { FIXTURES, expectInvalid, fixturePolicyFiles, fixtureText, invalidFixturePolicyFiles } from './helpers.js';

describe('fixture policies', () => {
  const files = fixturePolicyFiles();

  it('covers policy*, integrations/*, policy_templates/*, prompt-injection, skills and endpoint', () => {
    for (const prefix of ['policy/', 'policy-test/', 'integrations/', 'policy_templates/', 'prompt-injection/', 'policy/skills/', 'policy/endpoint/']) {
      expect(files.some((f) => f.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it.each(invalidFixturePolicyFiles())('%s is rejected with Gait\'s message', (file) => {
    const ref = JSON.parse(fixtureText(file.replace(/policy\.ya?ml$/, 'reference.json'))) as { stdout: { error: string } };
    expectInvalid(() => parsePolicyYaml(fixtureText(file)), ref.stdout.error);
  });

  it.each(files)('%s parses', (file) => {
    const p = parsePolicyYaml(fixtureText(file));
    expect(p.schema_id).toBe('gait.gate.policy');
    expect(p.schema_version).toBe('1.0.0');
  });

  it('every `policy validate` expectation in EXPECTED.jsonl (exit 0) holds', () => {
    const lines = readFileSync(join(FIXTURES, 'EXPECTED.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const policies = new Set(lines.map((l) => JSON.parse(l) as { policy: string }).map((e) => e.policy));
    expect(policies.size).toBeGreaterThan(5);
    for (const file of policies) expect(() => parsePolicyYaml(fixtureText(file)), file).not.toThrow();
  });

  it.each([
    ['policy/base_high_risk.yaml', 'block', 7],
    ['policy/base_medium_risk.yaml', null, 3],
    ['policy/base_low_risk.yaml', null, 3],
    ['policy/knowledge_worker_safe.yaml', 'block', 4],
    ['prompt-injection/policy.yaml', 'allow', 1],
    ['integrations/mcp_trust/policy.yaml', 'allow', 0],
    ['policy/skills/block_untrusted.yaml', 'allow', 1],
  ])('%s: default %s, %i rules', (file, verdict, count) => {
    const p = parsePolicyYaml(fixtureText(file));
    if (verdict !== null) expect(p.default_verdict).toBe(verdict);
    expect(p.rules).toHaveLength(count as number);
  });

  it('base_high_risk.yaml normalizes as the spec traces it (rule order, defaults, budget guard)', () => {
    const p = parsePolicyYaml(fixtureText('policy/base_high_risk.yaml'));
    expect(p.rules.map((r) => `${r.priority}:${r.name}`)).toEqual([
      '10:block-destructive-tool-delete', '12:block-tainted-egress-write', '15:allow-delegated-egress-write',
      '16:block-undelegated-egress-write', '18:destructive-budget-guard', '20:require-approval-tool-write',
      '30:allow-safe-tool-read',
    ]);
    expect(p.fail_closed).toEqual({ enabled: true, risk_classes: ['critical'], required_fields: ['arg_provenance', 'targets'] });
    const guard = p.rules[4]!;
    expect(guard.endpoint.action).toBe('block'); // open question 2: defaulted, then combined most-restrictively
    expect(guard.endpoint.destructive_action).toBe('require_approval');
    expect(guard.destructive_budget).toEqual({ requests: 3, window: 'hour', scope: 'identity' });
    expect(p.rules[2]!.match.max_delegation_depth).toBe(2);
    expect(p.rules[5]!.require_distinct_approvers).toBe(true);
  });

  it('mcp_trust integration policy is configured with defaults', () => {
    const p = parsePolicyYaml(fixtureText('integrations/mcp_trust/policy.yaml'));
    expect(p.mcp_trust).toEqual({
      enabled: true, snapshot: './examples/integrations/mcp_trust/trust_snapshot.json', action: 'block',
      required_risk_classes: ['high'], min_score: 0.8, max_age: '', publisher_allowlist: [], require_registry: false,
    });
  });
});
