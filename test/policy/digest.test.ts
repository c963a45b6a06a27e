// Policy digest vectors from the spec (intent.md §3.6/§3.11/§9, cli.md §8/§10, signed_artifacts.md)
// and the payload layout of policy.md §6.
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyDigest, policyDigestPayload } from '../../bindings/policy/digest.js';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { fixtureText } from './helpers.js';

const digestOf = (yaml: string): string => policyDigest(parsePolicyYaml(yaml));

describe('policy digest: minimal policies', () => {
  it.each([
    ['require_approval', '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9'],
    ['allow', '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f'],
    ['block', '3592f5ae672a396845ca29c14ade912f99cb1fca99cecb8edd9cfec74eae8a35'],
  ])('default_verdict: %s', (verdict, digest) => {
    expect(digestOf(`default_verdict: ${verdict}\n`)).toBe(digest);
  });

  it('an empty document is the require_approval default policy', () => {
    expect(digestOf('')).toBe('07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9');
  });

  it('payload of a minimal policy is exactly the documented JSON', () => {
    const payload = policyDigestPayload(parsePolicyYaml('default_verdict: block'));
    expect(canonicalize(payload)).toBe(
      '{"DefaultVerdict":"block","FailClosed":{"Enabled":false,"RequiredFields":[],"RiskClasses":[]},' +
        '"Rules":[],"SchemaID":"gait.gate.policy","SchemaVersion":"1.0.0"}',
    );
  });
});

describe('policy digest: fixture files', () => {
  it.each([
    ['policy/base_low_risk.yaml', 'aa9e4371c827fc38f26c95588061b8376f20ef6524917ebab69bcc41aa3ed5c9'],
    ['policy/base_medium_risk.yaml', '878ec724f40b96d97dbf669a907c70622073d513952bfb6d40e483754eb564ce'],
    ['policy/base_high_risk.yaml', 'b1cf87ef800b22e7d5e366225fab4d2f1e9b113170d16144ac33289e7f3be6d7'],
    ['policy_templates/baseline-lowrisk.yaml', 'aa9e4371c827fc38f26c95588061b8376f20ef6524917ebab69bcc41aa3ed5c9'],
    ['policy_templates/baseline-mediumrisk.yaml', '878ec724f40b96d97dbf669a907c70622073d513952bfb6d40e483754eb564ce'],
    ['policy_templates/baseline-highrisk.yaml', 'b1cf87ef800b22e7d5e366225fab4d2f1e9b113170d16144ac33289e7f3be6d7'],
    ['policy/endpoint/allow_safe_endpoints.yaml', '52dd8ea582e6a14537f3e4833127e46ebc58336a972ff934aff387dce8842a44'],
    ['policy/endpoint/block_denied_endpoints.yaml', '2c40a4674ab591d53b4e72c280c91f5ae35c119dc004d320c3c054730be788f2'],
    ['policy/endpoint/require_approval_destructive.yaml', 'd535c25ac3cbfbc99e6e88d54a957193ac9111898dfa21a40e4f83191afa3de7'],
    ['policy-test/allow.yaml', '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f'],
    ['policy-test/block.yaml', '3592f5ae672a396845ca29c14ade912f99cb1fca99cecb8edd9cfec74eae8a35'],
    ['policy-test/require_approval.yaml', '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9'],
  ])('%s', (file, digest) => {
    expect(digestOf(fixtureText(file))).toBe(digest);
  });
});

describe('policy digest: policies rebuilt from the spec prose', () => {
  it('integration block-external-host (cli.md §10; matches with priority 10, no risk_classes)', () => {
    const yaml = `default_verdict: allow
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
`;
    expect(digestOf(yaml)).toBe('f4581f55c41a3ee69b316c95f66fbfc293ae7f06e6458491e3ca232dfb26608c');
  });

  it('E8 plan vs apply: allow-delete', () => {
    const yaml = 'default_verdict: allow\nrules:\n  - name: allow-delete\n    effect: allow\n    match: {tool_names: [tool.delete]}\n';
    expect(digestOf(yaml)).toBe('c333a16f68ba098dbcb0f89fb52a9fca4ed317056e8454a090fd289915ee8cd0');
  });

  it('E9 script rollup (scripts block + min_approvals 2 => distinct approvers)', () => {
    const yaml = `default_verdict: allow
scripts: {max_steps: 8, require_approval_above: 1}
rules:
  - name: allow-read
    effect: allow
    match: {tool_names: [tool.read]}
  - name: approval-write
    effect: require_approval
    min_approvals: 2
    match: {tool_names: [tool.write]}
`;
    expect(digestOf(yaml)).toBe('bb3539e32b0b91e03df9f4ee43c9c426b4e9751122e71ec9148079ad281b1999');
  });

  it('E11 Wrkr script policy', () => {
    const yaml = `default_verdict: allow
scripts: {max_steps: 8}
rules:
  - name: block_wrkr_secret_write
    priority: 1
    effect: block
    match: {tool_names: [tool.write], context_data_classes: [secret]}
    reason_codes: [wrkr_secret_write_blocked]
    violations: [wrkr_secret_write_blocked]
  - name: require_write_approval
    priority: 10
    effect: require_approval
    match: {tool_names: [tool.write]}
    reason_codes: [approval_required_write]
`;
    expect(digestOf(yaml)).toBe('81c1d90755953fa758e3bc1695c3cefc4affc966cb71334ce17ac8f4f9ef4b23');
  });

  it('E14 tainted dataflow (enabled dataflow block in the payload)', () => {
    const yaml = `default_verdict: allow
rules:
  - name: tainted-egress
    effect: allow
    match: {tool_names: [tool.write]}
    dataflow:
      tainted_sources: [external, tool_output]
      destination_kinds: [host]
      destination_operations: [write]
      action: require_approval
      reason_code: dataflow_tainted_egress
      violation: tainted_egress
`;
    expect(digestOf(yaml)).toBe('2de8aa0db2f1413db30b014f6e585921e36bfcc6c10e4fc0be8973690622254b');
  });

  it('scenario policy-block-destructive (cli.md §2.6)', () => {
    const yaml = `default_verdict: block
rules:
  - name: allow-safe-tools
    effect: allow
    match: {tool_names: [tool.read, tool.list, tool.info]}
  - name: block-destructive-tools
    effect: block
    match: {tool_names: [tool.delete, tool.exec]}
`;
    expect(digestOf(yaml)).toBe('c60b7653feb2bdc36e5864198e9f03548cf3b052c9561a67317f6272b8b427e6');
  });

  it('scenario policy-allow-safe-tools (cli.md §10)', () => {
    const yaml = 'default_verdict: block\nrules:\n  - name: allow-safe-tools\n    effect: allow\n    match: {tool_names: [tool.read, tool.list, tool.info]}\n';
    expect(digestOf(yaml)).toBe('df08d8e9bf7427b4290648cc5087b63c0dda012cfdcc74e3418b4c192d6b806c');
  });

  it('demo --policy policy (cli.md §8)', () => {
    const yaml = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: allow
rules:
  - name: block-destructive-tool-delete
    priority: 10
    effect: block
    match:
      tool_names: [tool.delete]
      risk_classes: [high]
    reason_codes: [destructive_tool_blocked]
`;
    expect(digestOf(yaml)).toBe('b9b98087f5f72d5ba1c761aa731809daa310788703e05dedb412d1cf003b296a');
  });

  it('scenario approved-registry-signature-mismatch-high-risk (signed_artifacts.md)', () => {
    const yaml = `default_verdict: allow
rules:
  - name: require_write_approval
    priority: 10
    effect: require_approval
    match: {tool_names: [tool.write]}
    reason_codes: [approval_required_write]
`;
    expect(digestOf(yaml)).toBe('44ae19688443915c381be9f806b7fc9ddb2736d286c4e40464b7575a874e9420');
  });
});

describe('policy digest: what it ignores (policy.md §6 consequences)', () => {
  const base = `default_verdict: allow
rules:
  - name: b-rule
    priority: 5
    effect: block
    match: {tool_names: [tool.write]}
  - name: a-rule
    priority: 5
    effect: allow
    match: {tool_names: [tool.read]}
`;
  const baseDigest = digestOf(base);

  it('rule order in the file, comments and formatting', () => {
    const reordered = `# comment
default_verdict: allow   # trailing
rules:
  - {name: a-rule, priority: 5, effect: allow, match: {tool_names: [tool.read]}}
  - {name: b-rule, priority: 5, effect: block, match: {tool_names: [tool.write]}}
`;
    expect(digestOf(reordered)).toBe(baseDigest);
  });

  it('raw alias fields and case/whitespace of normalized values', () => {
    const aliased = `default_action: " ALLOW "
rules:
  - name: " b-rule "
    priority: 5
    action: Block
    match: {tool_name: " TOOL.Write ", tool_names: [tool.write]}
  - name: a-rule
    priority: 5
    effect: allow
    action: allow
    match: {tool_names: [" Tool.Read", tool.read, ""]}
`;
    expect(digestOf(aliased)).toBe(baseDigest);
  });

  it('disabled sub-blocks (zero rate limit, unconfigured endpoint/dataflow/mcp_trust, zero scripts)', () => {
    const disabled = `default_verdict: allow
scripts: {max_steps: 0, require_approval_above: 0, block_mixed_risk: false}
mcp_trust: {enabled: false, min_score: -0.5}
rules:
  - name: b-rule
    priority: 5
    effect: block
    match: {tool_names: [tool.write]}
    rate_limit: {requests: 0, window: Day}
    endpoint: {action: dry_run}
    dataflow: {action: allow}
  - name: a-rule
    priority: 5
    effect: allow
    match: {tool_names: [tool.read]}
`;
    expect(digestOf(disabled)).toBe(baseDigest);
  });

  it('changes when a semantic field changes', () => {
    expect(digestOf(base.replace('priority: 5\n    effect: allow', 'priority: 6\n    effect: allow'))).not.toBe(baseDigest);
    expect(digestOf(base.replace('tool.read', 'tool.list'))).not.toBe(baseDigest);
  });
});

describe('policy digest payload: conditional members', () => {
  it('includes every optional rule and match member when set', () => {
    const p = parsePolicyYaml(`default_verdict: block
scripts: {block_mixed_risk: true}
mcp_trust: {snapshot: ./snap.json, max_age: 90m, min_score: 0.5, publisher_allowlist: [Acme]}
rules:
  - name: full
    priority: 3
    effect: require_approval
    match:
      endpoint_class: [fs.write]
      discovery_method: [mcp]
      tool_annotations: {readOnlyHint: false, openWorldHint: true}
      skill_publishers: [acme]
      skill_sources: [registry]
      data_classes: [pii]
      destination_kinds: [host]
      destination_values: [api.example.com]
      destination_operations: [write]
      context_tool_names: [tool.write]
      context_data_classes: [secret]
      context_endpoint_classes: [fs.write]
      context_autonomy_levels: [assist]
      require_delegation: true
      allowed_delegator_identities: [lead]
      allowed_delegate_identities: [worker]
      delegation_scopes: [write]
      max_delegation_depth: 0
    min_approvals: 3
    require_context_evidence: true
    max_context_age_seconds: 30
    require_broker_credential: true
    broker_reference: egress
    broker_scopes: [Export]
    rate_limit: {requests: 3}
    destructive_budget: {requests: 1, window: hour, scope: tool}
    dataflow: {destination_values: [api.example.com]}
    endpoint: {path_denylist: [/etc/**]}
`);
    const payload = policyDigestPayload(p);
    expect(payload.Scripts).toEqual({ MaxSteps: 0, RequireApprovalAbove: 0, BlockMixedRisk: true });
    expect(payload.MCPTrust).toEqual({
      Enabled: true, SnapshotPath: './snap.json', Action: 'block', RequiredRiskClasses: ['critical', 'high'],
      MinScore: 0.5, MaxAge: '1h30m0s', PublisherAllowlist: ['acme'], RequireRegistry: false,
    });
    const rule = (payload.Rules as Array<Record<string, unknown>>)[0]!;
    expect(rule).toEqual({
      Name: 'full', Priority: 3, Effect: 'require_approval',
      Match: {
        ToolNames: [], RiskClasses: [], TargetKinds: [], TargetValues: [], ProvenanceSources: [], Identities: [],
        WorkspacePrefixes: [], EndpointClasses: ['fs.write'], DiscoveryMethods: ['mcp'],
        ToolAnnotations: { ReadOnlyHint: false, OpenWorldHint: true }, SkillPublishers: ['acme'],
        SkillSources: ['registry'], DataClasses: ['pii'], DestinationKinds: ['host'],
        DestinationValues: ['api.example.com'], DestinationOps: ['write'], ContextToolNames: ['tool.write'],
        ContextDataClasses: ['secret'], ContextEndpointClasses: ['fs.write'], ContextAutonomyLevels: ['assist'],
        RequireDelegation: true, AllowedDelegatorIdentities: ['lead'], AllowedDelegateIdentities: ['worker'],
        DelegationScopes: ['write'], MaxDelegationDepth: 0,
      },
      ReasonCodes: [], Violations: [], MinApprovals: 3, RequireDistinctApprovers: true,
      RequireContextEvidence: true, RequiredContextEvidenceMode: 'required', MaxContextAgeSeconds: 30,
      RequireBrokerCredential: true, BrokerReference: 'egress', BrokerScopes: ['export'],
      RateLimit: { Requests: 3, Window: 'minute', Scope: 'tool_identity' },
      DestructiveBudget: { Requests: 1, Window: 'hour', Scope: 'tool' },
      Dataflow: {
        Enabled: true, TaintedSources: ['external', 'tool_output'], Action: 'require_approval',
        ReasonCode: 'dataflow_tainted_destination', Violation: 'tainted_dataflow', DestinationValues: ['api.example.com'],
      },
      Endpoint: {
        Enabled: true, PathAllowlist: [], PathDenylist: ['/etc/**'], DomainAllowlist: [], DomainDenylist: [],
        EgressClasses: [], Action: 'block', DestructiveAction: '', ReasonCode: 'endpoint_constraint_violation',
        Violation: 'endpoint_constraint_violation',
      },
    });
  });

  it('omits optional members when unset, keeping the legacy layout', () => {
    const p = parsePolicyYaml('rules:\n  - {name: r, effect: allow}\n');
    const payload = policyDigestPayload(p);
    expect(Object.keys(payload).sort()).toEqual(['DefaultVerdict', 'FailClosed', 'Rules', 'SchemaID', 'SchemaVersion']);
    const rule = (payload.Rules as Array<Record<string, unknown>>)[0]!;
    expect(Object.keys(rule).sort()).toEqual(['Effect', 'Match', 'Name', 'Priority', 'ReasonCodes', 'Violations']);
    expect(Object.keys(rule.Match as object).sort()).toEqual([
      'Identities', 'ProvenanceSources', 'RiskClasses', 'TargetKinds', 'TargetValues', 'ToolNames', 'WorkspacePrefixes',
    ]);
  });

  it('fail_closed.enabled without risk classes hashes ["critical","high"]', () => {
    const payload = policyDigestPayload(parsePolicyYaml('fail_closed: {enabled: true}'));
    expect(payload.FailClosed).toEqual({ Enabled: true, RiskClasses: ['critical', 'high'], RequiredFields: [] });
  });
});
