// `policy fmt` canonical YAML (policy.md §10.2; README decision 3): shape, idempotence, strict
// round trip, digest stability, quoting (byte identity with Gait: fmt-gait.test.ts).
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { formatPolicy } from '../../bindings/policy/format.js';
import { normalizePolicy } from '../../bindings/policy/normalize.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { fixturePolicyFiles, fixtureText } from './helpers.js';

const TEST_POLICY = `default_verdict: block
rules:
  - name: allow-write
    priority: 10
    effect: allow
    match:
      tool_names: [tool.write]
    reason_codes: [allow_write]
`;

describe('fmt: the illustrative output of policy.md §10.2', () => {
  const out = formatPolicy(parsePolicyYaml(TEST_POLICY));
  const lines = out.split('\n');

  it('starts exactly as documented', () => {
    expect(lines.slice(0, 28)).toEqual([
      'schema_id: gait.gate.policy',
      'schema_version: 1.0.0',
      'default_verdict: block',
      'default_action: ""',
      'scripts:',
      '  max_steps: 0',
      '  require_approval_above: 0',
      '  block_mixed_risk: false',
      'fail_closed:',
      '  enabled: false',
      '  risk_classes: []',
      '  required_fields: []',
      'mcp_trust:',
      '  enabled: false',
      '  snapshot: ""',
      '  action: ""',
      '  required_risk_classes: []',
      '  min_score: 0.0',
      '  max_age: ""',
      '  publisher_allowlist: []',
      '  require_registry: false',
      'rules:',
      '- name: allow-write',
      '  priority: 10',
      '  effect: allow',
      '  action: ""',
      '  match:',
      '    tool_name: ""',
    ]);
    expect(lines.slice(28, 31)).toEqual(['    tool_names:', '    - tool.write', '    risk_classes: []']);
    expect(out).toContain('schema_id: gait.gate.policy');
  });

  it('emits every key of the model, in model order, with zero values', () => {
    const keys = lines.filter((l) => /^\s*(- )?[A-Za-z_]+:/.test(l)).map((l) => l.replace(/^\s*(- )?/, '').split(':')[0]);
    expect(keys).toEqual([
      'schema_id', 'schema_version', 'default_verdict', 'default_action',
      'scripts', 'max_steps', 'require_approval_above', 'block_mixed_risk',
      'fail_closed', 'enabled', 'risk_classes', 'required_fields',
      'mcp_trust', 'enabled', 'snapshot', 'action', 'required_risk_classes', 'min_score', 'max_age', 'publisher_allowlist', 'require_registry',
      'rules', 'name', 'priority', 'effect', 'action',
      'match', 'tool_name', 'tool_names', 'risk_classes', 'target_kinds', 'target_values', 'endpoint_class', 'endpoint_classes',
      'discovery_method', 'tool_annotations', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint',
      'skill_publishers', 'skill_sources', 'data_classes', 'destination_kinds', 'destination_values', 'destination_operations',
      'provenance_sources', 'identities', 'workspace_prefixes', 'context_tool_names', 'context_data_classes',
      'context_endpoint_classes', 'context_autonomy_levels', 'require_delegation', 'allowed_delegator_identities',
      'allowed_delegate_identities', 'delegation_scopes', 'max_delegation_depth',
      'endpoint', 'enabled', 'path_allowlist', 'path_denylist', 'domain_allowlist', 'domain_denylist', 'egress_classes',
      'action', 'destructive_action', 'reason_code', 'violation',
      'reason_codes', 'violations', 'min_approvals', 'require_distinct_approvers', 'require_context_evidence',
      'required_context_evidence_mode', 'max_context_age_seconds', 'require_broker_credential', 'broker_reference',
      'broker_scopes', 'rate_limit', 'requests', 'window', 'scope', 'destructive_budget', 'requests', 'window', 'scope',
      'dataflow', 'enabled', 'tainted_sources', 'destination_kinds', 'destination_values', 'destination_operations',
      'action', 'reason_code', 'violation',
    ]);
  });

  it('prints null pointers, block lists with the dash at the key indentation, and a trailing newline', () => {
    expect(out).toContain('\n    tool_annotations:\n      readOnlyHint: null\n      destructiveHint: null\n      idempotentHint: null\n      openWorldHint: null\n');
    expect(out).toContain('\n    max_delegation_depth: null\n');
    expect(out).toContain('\n  reason_codes:\n  - allow_write\n  violations: []\n');
    expect(out).toContain('\n  rate_limit:\n    requests: 0\n    window: ""\n    scope: ""\n');
    expect(out.endsWith('violation: ""\n')).toBe(true);
    expect(out).not.toMatch(/\n\n/);
    expect(out).not.toMatch(/\t/);
  });

  it('prints rules: [] when there are none', () => {
    expect(formatPolicy(parsePolicyYaml('default_verdict: allow')).endsWith('  require_registry: false\nrules: []\n')).toBe(true);
  });
});

describe('fmt: every fixture policy', () => {
  const files = fixturePolicyFiles();
  it('finds the fixture policies', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s: idempotent, strict round trip, digest unchanged', (file) => {
    const original = parsePolicyYaml(fixtureText(file));
    const once = formatPolicy(original);
    const reparsed = parsePolicyYaml(once);
    expect(reparsed).toEqual(original);
    expect(formatPolicy(reparsed)).toBe(once);
    expect(policyDigest(reparsed)).toBe(policyDigest(original));
    expect(once).toContain('schema_id: gait.gate.policy');
    // The canonical text is also plain YAML that any reader understands.
    expect(parseDocument(once).errors).toEqual([]);
  });
});

describe('fmt: raw alias fields and materialized defaults survive the round trip', () => {
  it('re-emits aliases verbatim next to their folded values', () => {
    const p = parsePolicyYaml(`default_action: " Block "
mcp_trust: {snapshot: ./s.json, max_age: 90m, min_score: 0.25}
rules:
  - name: q
    action: BLOCK
    match: {tool_name: Postgres_Query, endpoint_class: [" Proc.Exec ", fs.delete]}
    destructive_budget: {requests: 2}
    dataflow: {destination_kinds: [host]}
    endpoint: {destructive_action: require_approval}
`);
    const out = formatPolicy(p);
    expect(out).toContain('\ndefault_verdict: block\ndefault_action: " Block "\n');
    expect(out).toContain('\n  min_score: 0.25\n  max_age: 1h30m0s\n');
    expect(out).toContain('\n  action: BLOCK\n');
    expect(out).toContain('\n    tool_name: Postgres_Query\n    tool_names:\n    - postgres_query\n');
    expect(out).toContain('\n    endpoint_class:\n    - " Proc.Exec "\n    - fs.delete\n    endpoint_classes:\n    - fs.delete\n    - proc.exec\n');
    const again = parsePolicyYaml(out);
    expect(again).toEqual(p);
    expect(formatPolicy(again)).toBe(out);
  });
});

describe('fmt: scalar quoting', () => {
  const fmtToolName = (s: string): string => {
    const p = parsePolicyYaml('rules:\n  - {name: r, effect: allow}\n');
    p.rules[0]!.match.tool_name = s;
    return formatPolicy(normalizePolicy(p));
  };
  const emitted = (s: string): string => /\n {4}tool_name: ([^]*?)\n {4}tool_names:/.exec(fmtToolName(s))![1]!;

  it.each([
    ['', '""'],
    ['1.0.0', '1.0.0'],
    ['/tmp/gait/**', '/tmp/gait/**'],
    ['api.*.example.com', 'api.*.example.com'],
    ['*.external.example', '"*.external.example"'],
    ['Block External Host-1', 'Block External Host-1'],
    ['123', '"123"'],
    ['1.5', '"1.5"'],
    ['true', '"true"'],
    ['yes', '"yes"'],
    ['null', '"null"'],
    ['~', '"~"'],
    ['a: b', '"a: b"'],
    ['tab\there', 'tab\there'], // as Gait prints them (test/policy/fmt-gait.test.ts has the full corpus)
    ['line\nbreak', '|-\n      line\n      break'],
    ['say "hi"', 'say "hi"'],
    ['http://x.example/a?b', 'http://x.example/a?b'],
    ['emoji 😀', 'emoji 😀'],
    [' lead', '" lead"'],
  ])('%j is written as %s', (value, written) => {
    expect(emitted(value)).toBe(written);
  });

  it.each([
    '', ' ', 'null', 'Null', 'NULL', '~', 'true', 'False', 'yes', 'No', 'on', 'OFF', 'y', 'n', '123', '-7', '+7', '007',
    '1.0', '1.', '.5', '1e3', '1E-3', '0x1F', '0o17', '0b101', '1_000', '.inf', '-.Inf', '.nan', '2026-01-01',
    '2026-01-01T00:00:00Z', '12:30', '-', '--', '---', '...', '- x', '? x', ': x', '*.example.com', '&anchor', '*alias',
    '!tag', '!!str', '%YAML', '@at', '`tick', '"quoted"', "'single'", 'a: b', 'a:b', 'a #b', 'a#b', 'a, b', '[x]', '{x}',
    '|', '>', '|-', 'trailing ', ' leading', 'tab\there', 'line\nbreak', 'cr\rx', 'nul\u0000x', 'esc\u001bx', 'del\u007fx',
    '\u0085', 'nb\u00a0sp', 'ls\u2028x', 'ps\u2029x', '\ufeffbom', 'emoji 😀', 'café', 'Ünïcödé', '\\back\\slash', '<<', '=',
    'a - b', 'a * b', 'Postgres_Query', '/tmp/gait/**', 'api.*.example.com', 'x'.repeat(300), '#', 'key:', '$var', '(paren)',
  ])('%j reads back exactly', (value) => {
    const out = fmtToolName(value);
    const back = parsePolicyYaml(out);
    expect(back.rules[0]!.match.tool_name).toBe(value);
    expect(formatPolicy(back)).toBe(out);
  });

  it('floats always carry a fraction and read back as the same number', () => {
    for (const score of [0, 0.5, 1, 0.123456789, 1e-7]) {
      const p = parsePolicyYaml(`mcp_trust: {snapshot: s, min_score: ${score}}`);
      const out = formatPolicy(p);
      const line = /\n {2}min_score: (.*)\n/.exec(out)![1]!;
      expect(line).toMatch(/\./);
      expect(parsePolicyYaml(out).mcp_trust.min_score).toBe(score);
    }
    expect(formatPolicy(parsePolicyYaml('mcp_trust: {snapshot: s, min_score: 1}'))).toContain('  min_score: 1.0\n');
    expect(formatPolicy(parsePolicyYaml('mcp_trust: {min_score: -2}'))).toContain('  min_score: -2.0\n');
  });
});

describe('fmt: 64-bit integers (divergence case 07)', () => {
  // Gait keeps Go ints; here they are doubles, so fmt must print an integer that reads back to
  // the same double and stays within int64 (2^63 prints as 2^63 - 1, as Gait prints MaxInt64).
  it.each<[string, string]>([
    ['9223372036854775807', '9223372036854775807'],
    ['-9223372036854775808', '-9223372036854775808'],
    ['9007199254740993', '9007199254740992'],
    ['123456789012345678', '123456789012345680'],
    ['1e19', '-9223372036854775808'],
    ['1.5', '1'],
  ])('priority %s prints as %s, round trip and digest unchanged', (value, printed) => {
    const original = parsePolicyYaml(`rules:\n  - name: a\n    effect: allow\n    priority: ${value}\n    max_context_age_seconds: ${value.startsWith('-') || value === '1e19' ? 0 : value}\n`);
    const once = formatPolicy(original);
    expect(once).toContain(`\n  priority: ${printed}\n`);
    const reparsed = parsePolicyYaml(once);
    expect(reparsed).toEqual(original);
    expect(formatPolicy(reparsed)).toBe(once);
    expect(policyDigest(reparsed)).toBe(policyDigest(original));
  });
});
