// Parse and validation errors: policy.md §1 (stages A-C), §2, §3 and the §11.3 catalogue.
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { LEGACY_POLICY_HINT } from '../../bindings/policy/legacy.js';
import { expectInvalid } from './helpers.js';

const parse = (yaml: string) => () => parsePolicyYaml(yaml);
/** A one-rule policy named `r` with extra rule keys (YAML flow mapping body). */
const rule = (extra: string, name = 'r') => parse(`rules:\n  - {name: ${name}, effect: allow, ${extra}}\n`);

describe('policy.md §11.3 validation catalogue (all must fail)', () => {
  it.each<[string, string, string | RegExp]>([
    ['mcp_trust min_score 1.2', 'mcp_trust: {snapshot: ./trust_snapshot.json, min_score: 1.2}', 'mcp_trust.min_score must be between 0 and 1'],
    ['mcp_trust enabled without snapshot', 'mcp_trust: {enabled: true}', 'mcp_trust.snapshot is required when mcp_trust is configured'],
    ['unknown default_verdict', 'default_verdict: nope', 'invalid default_verdict: nope'],
    ['default_action disagrees', 'default_verdict: allow\ndefault_action: block', 'default_action must match default_verdict when both are set'],
    ['misspelt top-level key', 'default_verdit: allow', 'parse policy yaml: [1:1] unknown field "default_verdit"'],
    ['rule effect nope', 'rules:\n  - name: bad-rule\n    effect: nope', 'invalid rule effect "nope" for bad-rule'],
    ['rule effect vs action', 'rules:\n  - name: r\n    effect: allow\n    action: block', 'rule action must match effect for r'],
    ['empty rule name', 'rules:\n  - name: ""\n    effect: allow', 'rule name is required'],
    ['unknown fail_closed required field', 'fail_closed: {required_fields: [targets, unknown]}', 'unsupported fail_closed required_field: unknown'],
    ['rate_limit scope', 'rules:\n  - {name: r, effect: allow, rate_limit: {requests: 1, scope: unknown}}', 'unsupported rate_limit.scope "unknown" for r'],
    ['rate_limit window', 'rules:\n  - {name: r, effect: allow, rate_limit: {requests: 1, window: day}}', 'unsupported rate_limit.window "day" for r'],
    ['dataflow action', 'rules:\n  - {name: r, effect: allow, dataflow: {enabled: true, action: allow}}', 'unsupported dataflow.action "allow" for r'],
    ['endpoint action', 'rules:\n  - {name: r, effect: allow, endpoint: {enabled: true, action: dry_run}}', 'unsupported endpoint.action "dry_run" for r'],
    ['match endpoint class', 'rules:\n  - {name: r, effect: allow, match: {endpoint_classes: [net.invalid]}}', 'unsupported match endpoint_class "net.invalid" for r'],
    ['match discovery method', 'rules:\n  - {name: r, effect: allow, match: {discovery_method: [unsupported]}}', 'unsupported match discovery_method "unsupported" for r'],
    ['destructive_budget without requests', 'rules:\n  - {name: r, effect: allow, destructive_budget: {window: minute}}', 'destructive_budget.requests must be >= 1 for r'],
    ['YAML syntax error', 'default_verdict: [', /^parse policy yaml: \[1:\d+\] \S/],
  ])('%s', (_label, yaml, message) => {
    expectInvalid(parse(yaml), message);
  });
});

describe('stage A: legacy proposal keys (policy.md §1.1)', () => {
  it('reports the test-confirmed keys with details, hint and migration', () => {
    const err = expectInvalid(
      parse('trust_sources: [x]\ndefaults: {verdict: block}\nversion: 1\nrules: []\n'),
      'parse policy yaml: legacy policy proposal fields are not supported [version, defaults, trust_sources]: ' +
        'version->schema_id|schema_version (set schema_id=gait.gate.policy and schema_version=1.0.0); ' +
        'defaults->default_verdict|fail_closed; ' +
        'trust_sources->mcp_trust.snapshot (render external trust data to a local snapshot before evaluation)',
    );
    expect(err.details?.hint).toBe(LEGACY_POLICY_HINT);
    const migration = err.details?.migration as { kind: string; deprecated_fields: string[] };
    expect(migration.kind).toBe('policy_fields');
    expect(migration.deprecated_fields).toEqual(['version', 'defaults', 'trust_sources']);
  });

  it('lists every legacy key in table order with the right detail form', () => {
    const err = expectInvalid(
      parse('unknown_server: block\nboundaries: []\nname: my-policy\n'),
      'parse policy yaml: legacy policy proposal fields are not supported [name, boundaries, unknown_server]: ' +
        'name->remove the top-level policy name; rule names remain under rules[].name when needed; ' +
        'boundaries->rules|mcp_trust; ' +
        'unknown_server->mcp_trust.action (enforce unknown servers through local snapshot coverage and a fail-closed action)',
    );
    expect((err.details?.migration as { deprecated_fields: string[] }).deprecated_fields).toHaveLength(3);
  });

  it('migration is Gait\'s struct: kind, deprecated_fields, field_replacements (empty replacement_fields / note omitted)', () => {
    const err = expectInvalid(parse('version: 1\nname: x\nboundaries: []\ndefaults: {}\ntrust_sources: x\nunknown_server: x\n'), /^parse policy yaml: legacy policy proposal fields are not supported /);
    // What gait v1.3.6 prints for this document (policy validate --json), in its key order.
    const expected = {
      kind: 'policy_fields',
      deprecated_fields: ['version', 'name', 'boundaries', 'defaults', 'trust_sources', 'unknown_server'],
      field_replacements: [
        { field: 'version', replacement_fields: ['schema_id', 'schema_version'], note: 'set schema_id=gait.gate.policy and schema_version=1.0.0' },
        { field: 'name', note: 'remove the top-level policy name; rule names remain under rules[].name when needed' },
        { field: 'boundaries', replacement_fields: ['rules', 'mcp_trust'] },
        { field: 'defaults', replacement_fields: ['default_verdict', 'fail_closed'] },
        { field: 'trust_sources', replacement_fields: ['mcp_trust.snapshot'], note: 'render external trust data to a local snapshot before evaluation' },
        { field: 'unknown_server', replacement_fields: ['mcp_trust.action'], note: 'enforce unknown servers through local snapshot coverage and a fail-closed action' },
      ],
    };
    expect(err.details?.migration).toEqual(expected);
    expect(JSON.stringify(err.details?.migration)).toBe(JSON.stringify(expected));
  });

  it('the CLI legacy test case: version/defaults/unknown_server -> 3 deprecated fields', () => {
    const err = expectInvalid(parse('version: 1\ndefaults: {}\nunknown_server: block\n'), /^parse policy yaml: legacy policy proposal fields are not supported \[version, defaults, unknown_server\]: /);
    expect((err.details?.migration as { deprecated_fields: string[] }).deprecated_fields).toEqual(['version', 'defaults', 'unknown_server']);
  });

  it('wins over otherwise valid keys, and keys are trimmed', () => {
    expectInvalid(parse('default_verdict: allow\n" name ": x\n'), /legacy policy proposal fields are not supported \[name\]: name->remove the top-level/);
  });

  it('only looks at the top level', () => {
    expectInvalid(parse('rules:\n  - {name: r, effect: allow, version: 2}\n'), 'parse policy yaml: [2:30] unknown field "version"');
  });

  it('is skipped when the document cannot be loosely decoded (stage B reports the real error)', () => {
    expectInvalid(parse('version: 1\nversion: 2\n'), 'parse policy yaml: [2:1] mapping key "version" already defined at [1:1]');
    expectInvalid(parse('- version\n'), /^parse policy yaml: \[1:1\] cannot unmarshal sequence into field policy of type mapping$/);
  });
});

describe('stage B: strict decode (policy.md §1.2)', () => {
  it.each([
    ['top level', 'default_verdict: allow\nbogus: 1', '[2:1] unknown field "bogus"'],
    ['scripts', 'scripts: {max_steps: 1, maxsteps: 2}', '[1:25] unknown field "maxsteps"'],
    ['fail_closed', 'fail_closed:\n  enabled: true\n  risk_class: [high]', '[3:3] unknown field "risk_class"'],
    ['mcp_trust', 'mcp_trust:\n  snapshot_path: x', '[2:3] unknown field "snapshot_path"'],
    ['rule', 'rules:\n  - name: r\n    effect: allow\n    verdict: allow', '[4:5] unknown field "verdict"'],
    ['match', 'rules:\n  - name: r\n    effect: allow\n    match:\n      tool: x', '[5:7] unknown field "tool"'],
    ['tool_annotations (camelCase is exact)', 'rules:\n  - name: r\n    effect: allow\n    match:\n      tool_annotations: {read_only_hint: true}', '[5:26] unknown field "read_only_hint"'],
    ['endpoint', 'rules:\n  - name: r\n    effect: allow\n    endpoint: {paths: []}', '[4:16] unknown field "paths"'],
    ['rate_limit', 'rules:\n  - name: r\n    effect: allow\n    rate_limit: {limit: 3}', '[4:18] unknown field "limit"'],
    ['destructive_budget', 'rules:\n  - name: r\n    effect: allow\n    destructive_budget: {Requests: 3}', '[4:26] unknown field "Requests"'],
    ['dataflow', 'rules:\n  - name: r\n    effect: allow\n    dataflow: {sources: []}', '[4:16] unknown field "sources"'],
  ])('rejects unknown keys in %s', (_where, yaml, message) => {
    expectInvalid(parse(yaml), `parse policy yaml: ${message}`);
  });

  // gait v1.3.6: a document whose root is a plain null scalar is an error at that scalar; an
  // empty document (nothing, comments, `---`, `...`) and a tagged or anchored null are the default policy.
  it.each([
    ['null', '[1:1]'], ['~', '[1:1]'], ['Null\n', '[1:1]'], ['NULL', '[1:1]'], ['  null\n', '[1:3]'], [' ~ ', '[1:2]'],
    ['# a\nnull\n', '[2:1]'], ['\n\nnull\n', '[3:1]'], ['--- null\n', '[1:5]'], ['--- ~', '[1:5]'], ['---\nnull\n', '[2:1]'],
    ['null # c\n', '[1:1]'], ['null\n...\n', '[1:1]'], ['%YAML 1.2\n---\nnull\n', '[3:1]'],
  ])('a null document %j is rejected at %s', (yaml, where) => {
    expectInvalid(parse(yaml), `parse policy yaml: ${where} null was used where mapping is expected`);
  });

  it.each(['', '# c\n', '\n\n', '---\n', '---\n...\n', '---\n# c\n', '!!null', '!!null null', '!!null ~', '&a null', '{}'])(
    'an empty document %j is the default policy',
    (yaml) => {
      expect(parsePolicyYaml(yaml).default_verdict).toBe('require_approval');
    },
  );

  it('rejects duplicate keys with both positions, at any level', () => {
    expectInvalid(parse('default_verdict: allow\ndefault_verdict: block\n'), 'parse policy yaml: [2:1] mapping key "default_verdict" already defined at [1:1]');
    expectInvalid(parse('rules:\n  - name: a\n    effect: allow\n    name: b\n'), 'parse policy yaml: [4:5] mapping key "name" already defined at [2:5]');
  });

  it.each([
    ['string for an int', 'rules:\n  - {name: r, effect: allow, priority: high}', 'parse policy yaml: [2:40] cannot unmarshal string into field rules[0].priority of type int'],
    ['negative number in a string for an int (Gait: overflow)', 'scripts: {max_steps: "-1"}', 'parse policy yaml: [1:22] cannot unmarshal -1 into field scripts.max_steps of type int (overflow)'],
    ['scalar for a list', 'fail_closed: {risk_classes: high}', 'parse policy yaml: [1:29] cannot unmarshal string into field fail_closed.risk_classes of type []string'],
    ['list for a string', 'default_verdict: [allow]', 'parse policy yaml: [1:18] cannot unmarshal sequence into field default_verdict of type string'],
    ['nested list in a string list', 'rules:\n  - {name: r, effect: allow, match: {tool_names: [[a]]}}', 'parse policy yaml: [2:51] cannot unmarshal sequence into field rules[0].match.tool_names[0] of type string'],
    ['string for a bool', 'fail_closed: {enabled: yes}', 'parse policy yaml: [1:24] cannot unmarshal string into field fail_closed.enabled of type bool'],
    ['string for a float', 'mcp_trust: {min_score: high}', 'parse policy yaml: [1:24] cannot unmarshal string into field mcp_trust.min_score of type float'],
    ['mapping for the rule list', 'rules: {name: r}', 'parse policy yaml: [1:8] cannot unmarshal mapping into field rules of type sequence of mappings'],
    ['scalar for a rule', 'rules: [r]', 'parse policy yaml: [1:9] cannot unmarshal string into field rules[0] of type mapping'],
    ['list for a block', 'scripts: [1]', 'parse policy yaml: [1:10] cannot unmarshal sequence into field scripts of type mapping'],
    ['scalar document', 'allow', 'parse policy yaml: [1:1] cannot unmarshal string into field policy of type mapping'],
  ])('rejects a type mismatch: %s', (_label, yaml, message) => {
    expectInvalid(parse(yaml), message);
  });

  // Gait (divergence case 07): Go ints are 64 bits; beyond 2^53 the value is rounded here, as
  // Gait's digest (through float64) rounds it too. Beyond int64 is an overflow.
  it('takes int64 integers and rejects those outside int64', () => {
    expect(parsePolicyYaml('rules:\n  - {name: r, effect: allow, priority: 9007199254740993}').rules[0]!.priority).toBe(9007199254740992);
    expectInvalid(parse('rules:\n  - {name: r, effect: allow, priority: 9223372036854775808}'), 'parse policy yaml: [2:40] cannot unmarshal 9223372036854775808 into field rules[0].priority of type int (overflow)');
    // -99999999999999999999 is a string to Gait's library (beyond int64), and ParseFloat gives a negative number.
    expectInvalid(parse('rules:\n  - {name: r, effect: allow, max_context_age_seconds: -99999999999999999999}'), /^parse policy yaml: \[2:55\] cannot unmarshal -99999999999999999999 into field rules\[0\]\.max_context_age_seconds of type int \(overflow\)$/);
  });

  it('non-finite floats: NaN cannot be marshalled, infinities fail the range check (as in Gait)', () => {
    expectInvalid(parse('mcp_trust: {snapshot: s, min_score: .nan}'), 'marshal normalized policy: json: unsupported value: NaN');
    expectInvalid(parse('mcp_trust: {snapshot: s, min_score: -.inf}'), 'mcp_trust.min_score must be between 0 and 1');
    expectInvalid(parse('mcp_trust: {snapshot: s, min_score: .inf}'), 'mcp_trust.min_score must be between 0 and 1');
  });

  it('coerces non-string scalars into string fields (then stage C judges them)', () => {
    expectInvalid(parse('schema_version: 1.0'), 'unsupported policy schema_version: 1');
    expectInvalid(parse('schema_version: 2'), 'unsupported policy schema_version: 2');
    expectInvalid(parse('schema_id: true'), 'unsupported policy schema_id: true');
    // 1e6 (an exponent without a `.`) is a string to Gait's YAML library; 017 is octal, 1_0 is 10.
    expectInvalid(parse('schema_version: 1e6'), 'unsupported policy schema_version: 1e6');
    expectInvalid(parse('schema_version: 1.0e6'), 'unsupported policy schema_version: 1e+06');
    expectInvalid(parse('schema_version: 017'), 'unsupported policy schema_version: 15');
    expectInvalid(parse('schema_version: 1_0'), 'unsupported policy schema_version: 10');
    expectInvalid(parse('schema_version: 0x10'), 'unsupported policy schema_version: 16');
    const p = parsePolicyYaml('rules:\n  - {name: 42, effect: allow, reason_codes: [1.5, true, 7, null]}');
    expect(p.rules[0]!.name).toBe('42');
    expect(p.rules[0]!.reason_codes).toEqual(['1.5', '7', 'true']);
  });

  it('accepts integral floats for int fields', () => {
    expect(parsePolicyYaml('rules:\n  - {name: r, effect: allow, priority: 2.0}').rules[0]!.priority).toBe(2);
  });

  it('treats YAML null as the zero value', () => {
    const p = parsePolicyYaml('schema_id: ~\ndefault_verdict: null\nscripts:\nfail_closed: {enabled: null, risk_classes: null}\nrules:\n  - name: r\n    effect: allow\n    match:\n    priority: ~\n');
    expect(p.default_verdict).toBe('require_approval');
    expect(p.fail_closed).toEqual({ enabled: false, risk_classes: [], required_fields: [] });
    expect(p.rules[0]!.priority).toBe(0);
    expect(p.rules[0]!.match.max_delegation_depth).toBeNull();
  });

  it('a null rule item is an all-zero rule (then: name required)', () => {
    expectInvalid(parse('rules:\n  - ~\n'), 'rule name is required');
  });

  it('reports a dangling alias', () => {
    // Gait reports it at the name after `*`.
    expectInvalid(parse('default_verdict: *missing'), 'parse policy yaml: [1:19] could not find alias "missing"');
  });

  it('rejects a second YAML document', () => {
    expectInvalid(parse('default_verdict: allow\n---\ndefault_verdict: block\n'), 'parse policy yaml: [2:1] a policy file must contain a single YAML document');
  });
});

describe('stage C: top-level errors in order (policy.md §1.3)', () => {
  it.each([
    ['schema_id', 'schema_id: gait.gate.other', 'unsupported policy schema_id: gait.gate.other'],
    ['schema_id is not trimmed', 'schema_id: " gait.gate.policy"', 'unsupported policy schema_id:  gait.gate.policy'],
    ['schema_version', 'schema_version: 1.0.1', 'unsupported policy schema_version: 1.0.1'],
    ['default_verdict normalized in message', 'default_verdict: " Maybe "', 'invalid default_verdict: maybe'],
    ['bad default_action alone', 'default_action: nope', 'invalid default_verdict: nope'],
    ['fail_closed required field', 'fail_closed: {required_fields: [Targets, bogus]}', 'unsupported fail_closed required_field: bogus'],
    ['mcp_trust action', 'mcp_trust: {snapshot: s, action: allow}', 'unsupported mcp_trust.action "allow"'],
    ['mcp_trust negative score when configured', 'mcp_trust: {snapshot: s, min_score: -0.1}', 'mcp_trust.min_score must be between 0 and 1'],
    ['mcp_trust configured by require_registry', 'mcp_trust: {require_registry: true}', 'mcp_trust.snapshot is required when mcp_trust is configured'],
    ['mcp_trust max_age unit', 'mcp_trust: {snapshot: s, max_age: 1d}', 'parse mcp_trust.max_age: time: unknown unit "d" in duration "1d"'],
    ['mcp_trust max_age garbage', 'mcp_trust: {snapshot: s, max_age: soon}', 'parse mcp_trust.max_age: time: invalid duration "soon"'],
    ['mcp_trust max_age no unit', 'mcp_trust: {snapshot: s, max_age: "10"}', 'parse mcp_trust.max_age: time: missing unit in duration "10"'],
    ['mcp_trust max_age zero', 'mcp_trust: {snapshot: s, max_age: 0s}', 'mcp_trust.max_age must be > 0'],
    ['mcp_trust max_age negative', 'mcp_trust: {snapshot: s, max_age: -1h}', 'mcp_trust.max_age must be > 0'],
    ['scripts.max_steps', 'scripts: {max_steps: -1}', 'scripts.max_steps must be >= 0'],
    ['scripts.require_approval_above', 'scripts: {require_approval_above: -2}', 'scripts.require_approval_above must be >= 0'],
  ])('%s', (_label, yaml, message) => {
    expectInvalid(parse(yaml), message);
  });

  it('checks in the documented order: schema, verdict, fail_closed, mcp_trust, scripts, rules', () => {
    const all = ['schema_id: x', 'schema_version: x', 'default_verdict: x', 'fail_closed: {required_fields: [x]}', 'mcp_trust: {enabled: true}', 'scripts: {max_steps: -1}', 'rules: [{name: ""}]'];
    const expected = [
      'unsupported policy schema_id: x', 'unsupported policy schema_version: x', 'invalid default_verdict: x',
      'unsupported fail_closed required_field: x', 'mcp_trust.snapshot is required when mcp_trust is configured',
      'scripts.max_steps must be >= 0', 'rule name is required',
    ];
    for (let i = 0; i < all.length; i++) expectInvalid(parse(all.slice(i).join('\n')), expected[i]!);
  });

  it('a negative min_score alone does not configure mcp_trust', () => {
    const p = parsePolicyYaml('mcp_trust: {min_score: -3}');
    expect(p.mcp_trust.enabled).toBe(false);
    expect(p.mcp_trust.min_score).toBe(-3);
  });

  it('validates rules in file order, before sorting', () => {
    expectInvalid(parse('rules:\n  - {name: late, priority: 20, effect: bad1}\n  - {name: early, priority: 1, effect: bad2}'), 'invalid rule effect "bad1" for late');
  });
});

describe('stage C: rule errors (policy.md §3)', () => {
  it.each<[string, () => unknown, string]>([
    ['effect required', parse('rules:\n  - name: r'), 'rule effect is required for r'],
    ['name is trimmed in messages', parse('rules:\n  - {name: "  spaced  ", effect: " "}'), 'rule effect is required for spaced'],
    ['effect normalized in message', parse('rules:\n  - {name: r, effect: " NOPE "}'), 'invalid rule effect "nope" for r'],
    ['action alone invalid', parse('rules:\n  - {name: r, action: maybe}'), 'invalid rule effect "maybe" for r'],
    ['%q escapes', parse('rules:\n  - {name: r, effect: "a\\"b\\tc"}'), 'invalid rule effect "a\\"b\\tc" for r'],
    ['max_delegation_depth', rule('match: {max_delegation_depth: -1}'), 'max_delegation_depth must be >= 0 for r'],
    ['min_approvals', rule('min_approvals: -1'), 'min_approvals must be >= 0 for r'],
    ['context mode', rule('required_context_evidence_mode: optional'), 'required_context_evidence_mode must be required for r'],
    ['context age', rule('max_context_age_seconds: -5'), 'max_context_age_seconds must be >= 0 for r'],
    ['rate_limit negative', rule('rate_limit: {requests: -1}'), 'rate_limit.requests must be >= 0 for r'],
    ['destructive_budget negative', rule('destructive_budget: {requests: -1}'), 'destructive_budget.requests must be >= 0 for r'],
    ['destructive_budget scope alone', rule('destructive_budget: {scope: tool}'), 'destructive_budget.requests must be >= 1 for r'],
    ['destructive_budget window', rule('destructive_budget: {requests: 2, window: Day}'), 'unsupported destructive_budget.window "day" for r'],
    ['destructive_budget scope', rule('destructive_budget: {requests: 2, scope: team}'), 'unsupported destructive_budget.scope "team" for r'],
    ['endpoint destructive_action', rule('endpoint: {destructive_action: allow}'), 'unsupported endpoint.destructive_action "allow" for r'],
    ['endpoint unknown egress class', rule('endpoint: {egress_classes: [net.ftp]}'), 'unsupported endpoint.egress_class "net.ftp" for r'],
    ['endpoint non-network egress class', rule('endpoint: {egress_classes: [fs.read]}'), 'endpoint.egress_class must be network class for r'],
    ['policy discovery_method is not dash-normalized', rule('match: {discovery_method: [dynamic-mcp]}'), 'unsupported match discovery_method "dynamic-mcp" for r'],
    ['endpoint_class alias is validated', rule('match: {endpoint_class: [fs.move]}'), 'unsupported match endpoint_class "fs.move" for r'],
  ])('%s', (_label, fn, message) => {
    expectInvalid(fn, message);
  });

  it('validates in the documented order within a rule', () => {
    // Each stage adds one more fault; faults earlier in the list must win over later ones.
    const faults: Array<[string, string]> = [
      ['effect', 'nope'],
      ['match.endpoint_classes', '[x.y]'],
      ['match.discovery_method', '[zzz]'],
      ['match.max_delegation_depth', '-1'],
      ['min_approvals', '-1'],
      ['required_context_evidence_mode', 'x'],
      ['max_context_age_seconds', '-1'],
      ['rate_limit', '{requests: -1}'],
      ['destructive_budget', '{requests: -1}'],
      ['dataflow', '{enabled: true, action: x}'],
      ['endpoint', '{enabled: true, action: x}'],
    ];
    const messages = [
      'invalid rule effect "nope" for r', 'unsupported match endpoint_class "x.y" for r',
      'unsupported match discovery_method "zzz" for r', 'max_delegation_depth must be >= 0 for r',
      'min_approvals must be >= 0 for r', 'required_context_evidence_mode must be required for r',
      'max_context_age_seconds must be >= 0 for r', 'rate_limit.requests must be >= 0 for r',
      'destructive_budget.requests must be >= 0 for r', 'unsupported dataflow.action "x" for r',
      'unsupported endpoint.action "x" for r',
    ];
    for (let i = 0; i < faults.length; i++) {
      const active = faults.slice(i);
      const ruleFields = ['name: r', ...(i === 0 ? [] : ['effect: allow'])];
      const matchFields: string[] = [];
      for (const [key, value] of active) {
        if (key.startsWith('match.')) matchFields.push(`${key.slice(6)}: ${value}`);
        else ruleFields.push(`${key}: ${value}`);
      }
      if (matchFields.length > 0) ruleFields.push(`match: {${matchFields.join(', ')}}`);
      expectInvalid(parse(`rules:\n  - {${ruleFields.join(', ')}}`), messages[i]!);
    }
  });

  it('does not validate unconfigured blocks', () => {
    const p = parsePolicyYaml(`rules:
  - name: r
    effect: allow
    rate_limit: {requests: 0, window: Fortnight, scope: Team}
    endpoint: {action: Dry_Run, reason_code: " x "}
    dataflow: {action: allow}
`);
    const r = p.rules[0]!;
    expect(r.rate_limit).toEqual({ requests: 0, window: 'fortnight', scope: 'team' });
    expect(r.endpoint.enabled).toBe(false);
    expect(r.endpoint.action).toBe('dry_run');
    expect(r.endpoint.reason_code).toBe('x');
    expect(r.dataflow.enabled).toBe(false);
    expect(r.dataflow.action).toBe('allow');
  });
});
