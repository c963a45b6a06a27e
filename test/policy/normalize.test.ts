// Accepted normalizations (policy.md §11.3 "Accepted normalizations", §2, §3, §5).
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { normalizePolicy } from '../../bindings/policy/normalize.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { fixtureText } from './helpers.js';

const one = (ruleYaml: string) => parsePolicyYaml(`rules:\n  - ${ruleYaml}\n`).rules[0]!;

describe('policy.md §11.3 accepted normalizations', () => {
  it('tool_names are lower-cased', () => {
    expect(one('{name: r, effect: allow, match: {tool_names: ["Tool.Read"]}}').match.tool_names).toEqual(['tool.read']);
  });

  it('workspace_prefixes are trimmed (case kept)', () => {
    expect(one('{name: r, effect: allow, match: {workspace_prefixes: [" /repo ", /Repo]}}').match.workspace_prefixes).toEqual(['/Repo', '/repo']);
  });

  it('rules sort by priority then name', () => {
    const p = parsePolicyYaml('rules:\n  - {name: allow-read, priority: 20, effect: allow}\n  - {name: block-external, priority: 10, effect: block}\n');
    expect(p.rules.map((r) => r.name)).toEqual(['block-external', 'allow-read']);
  });

  it('fail_closed enabled alone gets [critical, high]; verdict defaults to require_approval', () => {
    const p = parsePolicyYaml('fail_closed: {enabled: true}');
    expect(p.fail_closed).toEqual({ enabled: true, risk_classes: ['critical', 'high'], required_fields: [] });
    expect(p.default_verdict).toBe('require_approval');
  });

  it('default_action fills default_verdict and keeps its raw text', () => {
    const p = parsePolicyYaml('default_action: " Block "');
    expect(p.default_verdict).toBe('block');
    expect(p.default_action).toBe(' Block ');
  });

  it('rule action fills effect and keeps its raw text', () => {
    const r = one('{name: r, action: BLOCK}');
    expect(r.effect).toBe('block');
    expect(r.action).toBe('BLOCK');
  });

  it('tool_name folds into tool_names (raw field kept)', () => {
    const m = one('{name: r, effect: allow, match: {tool_name: "Postgres_Query"}}').match;
    expect(m.tool_names).toEqual(['postgres_query']);
    expect(m.tool_name).toBe('Postgres_Query');
  });

  it('endpoint_class folds into endpoint_classes (raw list kept)', () => {
    const m = one('{name: r, effect: allow, match: {endpoint_class: [proc.exec, fs.delete]}}').match;
    expect(m.endpoint_classes).toEqual(['fs.delete', 'proc.exec']);
    expect(m.endpoint_class).toEqual(['proc.exec', 'fs.delete']);
  });

  it('discovery_method is sorted', () => {
    expect(one('{name: r, effect: allow, match: {discovery_method: [webmcp, dynamic_mcp]}}').match.discovery_method).toEqual(['dynamic_mcp', 'webmcp']);
  });

  it('configured mcp_trust gets enabled, action block, default risk classes, lower-cased allowlist', () => {
    const p = parsePolicyYaml('mcp_trust: {snapshot: ./trust_snapshot.json, min_score: 0.8, publisher_allowlist: [Acme], require_registry: true}');
    expect(p.mcp_trust).toEqual({
      enabled: true, snapshot: './trust_snapshot.json', action: 'block', required_risk_classes: ['critical', 'high'],
      min_score: 0.8, max_age: '', publisher_allowlist: ['acme'], require_registry: true,
    });
  });
});

describe('defaults materialized only when a block is configured', () => {
  it('empty document -> all defaults, require_approval', () => {
    const p = parsePolicyYaml('');
    expect(p.schema_id).toBe('gait.gate.policy');
    expect(p.schema_version).toBe('1.0.0');
    expect(p.default_verdict).toBe('require_approval');
    expect(p.default_action).toBe('');
    expect(p.rules).toEqual([]);
    expect(p.mcp_trust.enabled).toBe(false);
    expect(p.mcp_trust.action).toBe('');
    expect(p.fail_closed.risk_classes).toEqual([]);
  });

  it('min_approvals > 1 forces distinct approvers; 1 does not', () => {
    expect(one('{name: r, effect: require_approval, min_approvals: 2}').require_distinct_approvers).toBe(true);
    expect(one('{name: r, effect: require_approval, min_approvals: 1}').require_distinct_approvers).toBe(false);
    expect(one('{name: r, effect: require_approval, min_approvals: 3, require_distinct_approvers: false}').require_distinct_approvers).toBe(true);
  });

  it('require_context_evidence defaults the mode to required', () => {
    const r = one('{name: r, effect: allow, require_context_evidence: true}');
    expect(r.required_context_evidence_mode).toBe('required');
    expect(one('{name: r, effect: allow, required_context_evidence_mode: " REQUIRED "}').required_context_evidence_mode).toBe('required');
  });

  it('rate_limit and destructive_budget defaults', () => {
    const r = one('{name: r, effect: allow, rate_limit: {requests: 3}, destructive_budget: {requests: 1, window: " Hour "}}');
    expect(r.rate_limit).toEqual({ requests: 3, window: 'minute', scope: 'tool_identity' });
    expect(r.destructive_budget).toEqual({ requests: 1, window: 'hour', scope: 'tool_identity' });
  });

  it('dataflow configured by a destination list gets every default', () => {
    const r = one('{name: r, effect: allow, dataflow: {destination_kinds: [HOST], destination_values: [Api.Example.com]}}');
    expect(r.dataflow).toEqual({
      enabled: true, tainted_sources: ['external', 'tool_output'], destination_kinds: ['host'],
      destination_values: ['Api.Example.com'], destination_operations: [], action: 'require_approval',
      reason_code: 'dataflow_tainted_destination', violation: 'tainted_dataflow',
    });
  });

  it('endpoint configured by destructive_action alone defaults action to block', () => {
    const r = one('{name: r, effect: allow, endpoint: {destructive_action: Require_Approval}}');
    expect(r.endpoint).toEqual({
      enabled: true, path_allowlist: [], path_denylist: [], domain_allowlist: [], domain_denylist: [], egress_classes: [],
      action: 'block', destructive_action: 'require_approval', reason_code: 'endpoint_constraint_violation',
      violation: 'endpoint_constraint_violation',
    });
  });

  it('endpoint lists: paths trimmed with case kept, domains lowered', () => {
    const r = one('{name: r, effect: allow, endpoint: {path_allowlist: [" /Tmp/** ", /tmp/a, /tmp/a], domain_denylist: ["*.Example.COM"], egress_classes: [NET.HTTP]}}');
    expect(r.endpoint.path_allowlist).toEqual(['/Tmp/**', '/tmp/a']);
    expect(r.endpoint.domain_denylist).toEqual(['*.example.com']);
    expect(r.endpoint.egress_classes).toEqual(['net.http']);
  });

  it('case-sensitive lists keep case; others are lowered; all are sorted byte-wise and de-duplicated', () => {
    const m = one(`{name: r, effect: allow, match: {identities: [Bob, alice, alice], target_values: [B, a],
      allowed_delegator_identities: [Lead], allowed_delegate_identities: [Worker], delegation_scopes: [WRITE],
      risk_classes: [HIGH, high, " "], skill_publishers: [Acme], context_data_classes: [PII], data_classes: [Secret]}}`).match;
    expect(m.identities).toEqual(['Bob', 'alice']);
    expect(m.target_values).toEqual(['B', 'a']);
    expect(m.allowed_delegator_identities).toEqual(['Lead']);
    expect(m.allowed_delegate_identities).toEqual(['Worker']);
    expect(m.delegation_scopes).toEqual(['write']);
    expect(m.risk_classes).toEqual(['high']);
    expect(m.skill_publishers).toEqual(['acme']);
    expect(m.context_data_classes).toEqual(['pii']);
    expect(m.data_classes).toEqual(['secret']);
  });

  it('reason codes and violations keep case; broker reference trimmed, scopes lowered', () => {
    const r = one('{name: r, effect: allow, reason_codes: [B_Code, a_code, " B_Code "], violations: [V], broker_reference: " ref ", broker_scopes: [Export]}');
    expect(r.reason_codes).toEqual(['B_Code', 'a_code']);
    expect(r.violations).toEqual(['V']);
    expect(r.broker_reference).toBe('ref');
    expect(r.broker_scopes).toEqual(['export']);
  });

  it('byte-wise sort, not UTF-16 order', () => {
    const m = one('{name: r, effect: allow, match: {identities: ["\\U0001F600", "\\uFF21"]}}').match;
    expect(m.identities).toEqual(['\uFF21', '\u{1F600}']);
  });

  it('priority 0 (absent) sorts first; negatives allowed; ties by name byte-wise; duplicates kept', () => {
    const p = parsePolicyYaml('rules:\n  - {name: b, priority: 5, effect: allow}\n  - {name: a, priority: 5, effect: allow}\n  - {name: z, effect: allow}\n  - {name: neg, priority: -1, effect: allow}\n  - {name: Z, priority: 5, effect: allow}\n  - {name: a, priority: 5, effect: block}\n');
    expect(p.rules.map((r) => `${r.priority}:${r.name}`)).toEqual(['-1:neg', '0:z', '5:Z', '5:a', '5:a', '5:b']);
  });

  it.each([
    ['24h', '24h0m0s'], ['90m', '1h30m0s'], ['1.5h', '1h30m0s'], ['300ms', '300ms'], [' 45s ', '45s'],
    ['1h0m0s', '1h0m0s'], ['2h45m', '2h45m0s'], ['1.5s', '1.5s'], ['1500us', '1.5ms'], ['100µs', '100µs'],
  ])('mcp_trust.max_age %j is stored as %j', (input, stored) => {
    expect(parsePolicyYaml(`mcp_trust: {snapshot: s, max_age: "${input}"}`).mcp_trust.max_age).toBe(stored);
  });

  it('mcp_trust values are trimmed and lowered', () => {
    const p = parsePolicyYaml('mcp_trust: {snapshot: " ./s.json ", action: " Require_Approval ", required_risk_classes: [High]}');
    expect(p.mcp_trust.snapshot).toBe('./s.json');
    expect(p.mcp_trust.action).toBe('require_approval');
    expect(p.mcp_trust.required_risk_classes).toEqual(['high']);
  });
});

describe('normalizePolicy', () => {
  it('is idempotent on every shape of policy', () => {
    for (const file of ['policy/base_high_risk.yaml', 'policy/endpoint/allow_safe_endpoints.yaml', 'integrations/mcp_trust/policy.yaml']) {
      const p = parsePolicyYaml(fixtureText(file));
      expect(normalizePolicy(p)).toEqual(p);
    }
    const aliases = parsePolicyYaml('default_action: Allow\nrules:\n  - {name: r, action: " Block ", match: {tool_name: X, endpoint_class: [" FS.Read "]}}');
    expect(normalizePolicy(aliases)).toEqual(aliases);
  });

  it('does not mutate its input', () => {
    const p = parsePolicyYaml('rules:\n  - {name: r, effect: allow, match: {tool_names: [b, a]}}');
    const raw = structuredClone(p);
    raw.rules[0]!.match.tool_names = ['B', 'A'];
    const copy = structuredClone(raw);
    normalizePolicy(raw);
    expect(raw).toEqual(copy);
  });
});

describe('YAML features: anchors, aliases, merge keys', () => {
  it('aliases and merge keys build rules (same digest as Gait)', () => {
    const p = parsePolicyYaml(`rules:
  - name: base
    effect: allow
    priority: 5
    match: &m {tool_names: [tool.read]}
  - name: derived
    effect: block
    match:
      <<: *m
      risk_classes: [high]
  - name: shared-match
    effect: allow
    match: *m
`);
    expect(p.rules.map((r) => [r.name, r.effect, r.priority])).toEqual([
      ['derived', 'block', 0], ['shared-match', 'allow', 0], ['base', 'allow', 5],
    ]);
    expect(p.rules.map((r) => r.match.tool_names)).toEqual([['tool.read'], ['tool.read'], ['tool.read']]);
    expect(p.rules[0]!.match.risk_classes).toEqual(['high']);
    expect(policyDigest(p)).toBe('d60c4efe171486a9603f2746744dfecb8b42000773bb6f1607c9128f84f046dd');
  });

  it('an explicit key that a merge also brings is a duplicate key, as in Gait (it used to override)', () => {
    expect(() => parsePolicyYaml(`rules:
  - &base
    name: base
    effect: allow
    priority: 5
  - <<: *base
    name: derived
`)).toThrow('parse policy yaml: [7:5] duplicate key "name"');
  });

  it('merges a sequence of mappings, earlier ones winning', () => {
    const p = parsePolicyYaml(`rules:
  - <<: [{name: first, effect: allow}, {name: second, effect: block, priority: 4}]
`);
    expect(p.rules[0]).toMatchObject({ name: 'first', effect: 'allow', priority: 4 });
  });

  it('unknown keys arriving through a merge are still rejected', () => {
    expect(() => parsePolicyYaml('rules:\n  - <<: {name: r, effect: allow, bogus: 1}\n')).toThrow('parse policy yaml: [2:34] unknown field "bogus"');
  });

  it('a recursive merge is rejected, not looped on', () => {
    expect(() => parsePolicyYaml('rules:\n  - &r {name: r, effect: allow, <<: *r}\n')).toThrow("parse policy yaml: [2:8] recursive merge key");
  });
});
