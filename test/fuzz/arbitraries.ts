/**
 * Generators: valid intents and policies drawn from shared value pools (so rules match often and
 * every verdict is reached), the shipped example policies and intents, and mutations of all of
 * them (wrong types, garbled and truncated text, lone surrogates, deep nesting, huge values).
 * Everything generated here is plain data, so fast-check can print and shrink it; hostile objects
 * are built from plain descriptions in hostile.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import YAML from 'yaml';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/gait/');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

// ---- the shipped examples ------------------------------------------------------------------------

function walk(dir: string, pick: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pick, out);
    else if (pick(name)) out.push(p);
  }
  return out;
}

/** Example and fixture policies (YAML text) that parse; mcp fixtures are left out (MCP only). */
export const EXAMPLE_POLICIES: Array<{ file: string; text: string }> = [
  ...walk(join(ROOT, 'examples/gait/policy'), (n) => n.endsWith('.yaml')),
  ...walk(FIXTURES, (n) => n.endsWith('.yaml')).filter((p) => !p.includes('/mcp/')),
].map((file) => ({ file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') }));

/** Example and fixture intents (parsed JSON). */
export const EXAMPLE_INTENTS: Array<{ file: string; value: JsonObject }> = [
  ...walk(join(ROOT, 'examples/gait/policy'), (n) => /^intent.*\.json$/.test(n)),
  ...walk(FIXTURES, (n) => /^intent.*\.json$/.test(n)),
].map((file) => ({ file: file.slice(ROOT.length), value: JSON.parse(readFileSync(file, 'utf8')) as JsonObject }));

// ---- value pools (policies and intents draw from the same ones) ----------------------------------

export const VERDICTS = ['allow', 'block', 'dry_run', 'require_approval'] as const;
const TOOLS = ['tool.read', 'tool.write', 'tool.delete', 'tool.exec', 'tool.http', 'tool.query'];
const IDENTITIES = ['alice', 'bob', 'agent.lead', 'agent.specialist', 'example-user'];
const WORKSPACES = ['/repo/gait', '/repo/other', '/tmp/workspace', 'C:\\repo\\gait', '/srv/app'];
const WORKSPACE_PREFIXES = ['/repo', '/repo/gait', 'C:/repo', '/srv', '/tmp'];
const RISKS = ['low', 'medium', 'high', 'critical'];
const KINDS = ['path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other'] as const;
const VALUES: Record<(typeof KINDS)[number], string[]> = {
  path: ['/tmp/out.txt', '/tmp/safe/file.txt', '/tmp/safe/blocked/file.txt', '/etc/hosts', 'C:\\tmp\\x.txt'],
  url: ['https://api.internal.local/v1', 'https://api.external.com/export', 'http://svc.example.com/a'],
  host: ['api.internal.local', 'api.external.com', 'svc.example.com', 'api.partner.example'],
  repo: ['github.com/acme/app'],
  bucket: ['s3://logs'],
  table: ['users'],
  queue: ['jobs'],
  topic: ['events'],
  other: ['shell', 'printer'],
};
const OPERATIONS = ['read', 'write', 'delete', 'exec', 'dns', 'READ', 'Write'];
const ENDPOINT_CLASSES = ['fs.read', 'fs.write', 'fs.delete', 'proc.exec', 'net.http', 'net.dns', 'ui.click', 'ui.type', 'ui.navigate', 'other'];
const SENSITIVITY = ['public', 'confidential', 'pii', 'secret'];
const DISCOVERY_POLICY = ['webmcp', 'dynamic_mcp', 'a2a', 'mcp', 'static_mcp', 'manual', 'unknown'];
const DISCOVERY_INTENT = ['mcp', 'webmcp', 'Dynamic-MCP', 'static mcp', 'a2a', 'manual', 'unknown'];
const SOURCES = ['user', 'tool_output', 'external', 'system'];
const PUBLISHERS = ['acme', 'Acme', 'evilcorp'];
const SKILL_SOURCES = ['registry', 'git', 'local'];
const SCOPES = ['write', 'read', 'admin'];
const PEOPLE = ['agent.root', 'agent.lead', 'agent.manager', 'agent.specialist'];
const WRKR = { 'wrkr.tool_name': TOOLS, 'wrkr.data_class': ['public', 'pii', 'secret'], 'wrkr.endpoint_class': ['fs.read', 'fs.write', 'net.http'], 'wrkr.autonomy_level': ['assist', 'autonomous'] };

const some = <T>(xs: readonly T[], max = 2) => fc.subarray([...xs], { minLength: 1, maxLength: Math.min(max, xs.length) });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
/** Drops the keys whose value is undefined (fc.option's "absent"). */
function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// ---- intents -------------------------------------------------------------------------------------

const targetArb = fc.constantFrom(...KINDS).chain((kind) =>
  fc.record({
    kind: fc.constantFrom(kind, kind, kind, kind.toUpperCase()),
    value: fc.constantFrom(...VALUES[kind]),
    operation: opt(fc.constantFrom(...OPERATIONS)),
    endpoint_class: opt(fc.constantFrom(...ENDPOINT_CLASSES)),
    sensitivity: opt(fc.constantFrom(...SENSITIVITY)),
    discovery_method: opt(fc.constantFrom(...DISCOVERY_INTENT)),
    destructive: opt(fc.boolean()),
    endpoint_domain: opt(fc.constantFrom(...VALUES.host)),
    read_only_hint: opt(fc.boolean()),
    destructive_hint: opt(fc.boolean()),
  }).map(compact),
);

const delegationArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.nat(), opt(fc.constantFrom(...SCOPES)), fc.array(fc.constantFrom(...SCOPES), { maxLength: 3 }))
  .map(([depth, s, scope, linkScopes]) => {
    const start = s % (PEOPLE.length - depth);
    const chain = Array.from({ length: depth }, (_, i) => compact({ delegator_identity: PEOPLE[start + i]!, delegate_identity: PEOPLE[start + i + 1]!, scope_class: linkScopes[i] }));
    return compact({ requester_identity: PEOPLE[start + depth]!, scope_class: scope, chain: chain.length ? chain : undefined });
  });

const argsArb: fc.Arbitrary<JsonObject> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<JsonObject>({}, { path: '/tmp/out.txt' }, { query: 'select 1', limit: 10 }, { nested: { a: [1, 2, { b: ' x ' }] } }) },
  // Any keys: ASCII, or any code points including lone surrogates ('binary').
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, { maxKeys: 4 }) },
);

const contextArb = fc.record({
  identity: fc.constantFrom(...IDENTITIES),
  workspace: fc.constantFrom(...WORKSPACES),
  risk_class: fc.constantFrom(...RISKS, 'HIGH', ' low '),
  phase: opt(fc.constantFrom('plan', 'apply', 'PLAN')),
  session_id: opt(fc.constant('sess-1')),
  auth_context: opt(fc.record(Object.fromEntries(Object.entries(WRKR).map(([k, v]) => [k, opt(fc.constantFrom(...v))]))).map(compact)),
}).map(compact);

const stepArb = fc.record({
  tool_name: fc.constantFrom(...TOOLS),
  args: argsArb,
  targets: opt(fc.array(targetArb, { maxLength: 2 })),
}).map(compact);

/** A valid intent (single or script) from the pools. */
export const validIntentArb: fc.Arbitrary<JsonObject> = fc.record({
  schema_id: opt(fc.constant('gait.gate.intent_request')),
  schema_version: opt(fc.constant('1.0.0')),
  created_at: opt(fc.constantFrom('2026-02-05T00:00:00Z', '2026-03-01T12:30:00.123456789+02:00')),
  tool_name: fc.constantFrom(...TOOLS, ' Tool.Read '),
  args: opt(argsArb),
  targets: opt(fc.array(targetArb, { maxLength: 3 })),
  arg_provenance: opt(fc.array(fc.record({ arg_path: fc.constantFrom('$.path', 'args.a'), source: fc.constantFrom(...SOURCES) }), { minLength: 1, maxLength: 2 })),
  skill_provenance: opt(fc.record({ skill_name: fc.constant('safe-curl'), source: fc.constantFrom(...SKILL_SOURCES), publisher: fc.constantFrom(...PUBLISHERS) })),
  delegation: opt(delegationArb),
  script: fc.option(fc.record({ steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }) }), { nil: undefined, freq: 8 }),
  context: contextArb,
}).map((i) => compact(i) as JsonObject);

/** Intents that gate tests start from: the examples (often) and generated ones. */
export const baseIntentArb: fc.Arbitrary<JsonObject> = fc.oneof(
  { weight: 3, arbitrary: validIntentArb },
  { weight: 1, arbitrary: fc.constantFrom(...EXAMPLE_INTENTS.map((e) => e.value)).map((v) => structuredClone(v)) },
);

// ---- policies ------------------------------------------------------------------------------------

const verdictText = fc.constantFrom(...VERDICTS, ...VERDICTS, ' Allow ', 'BLOCK');

const SELECTORS: Record<string, fc.Arbitrary<unknown>> = {
  tool_names: some(TOOLS, 3),
  tool_name: fc.constantFrom(...TOOLS, 'Tool.Read'),
  risk_classes: some(RISKS),
  identities: some(IDENTITIES),
  workspace_prefixes: some(WORKSPACE_PREFIXES),
  target_kinds: some(KINDS, 3),
  target_values: some([...VALUES.path, ...VALUES.host]),
  endpoint_classes: some(ENDPOINT_CLASSES),
  discovery_method: some(DISCOVERY_POLICY),
  tool_annotations: fc.record({ readOnlyHint: opt(fc.boolean()), destructiveHint: opt(fc.boolean()) }).map(compact),
  skill_publishers: some(['acme', 'evilcorp'], 1),
  skill_sources: some(SKILL_SOURCES),
  data_classes: some(SENSITIVITY),
  destination_kinds: some(KINDS),
  destination_operations: some(['read', 'write', 'delete', 'exec']),
  provenance_sources: some(SOURCES),
  context_tool_names: some(TOOLS, 1),
  context_data_classes: some(WRKR['wrkr.data_class']),
  require_delegation: fc.boolean(),
  allowed_delegator_identities: some(PEOPLE),
  allowed_delegate_identities: some(PEOPLE),
  delegation_scopes: some(SCOPES),
  max_delegation_depth: fc.integer({ min: 0, max: 2 }),
};

const matchArb = fc.tuple(fc.subarray(Object.keys(SELECTORS), { maxLength: 2 }), fc.record(SELECTORS))
  .map(([keys, all]) => Object.fromEntries(keys.map((k) => [k, (all as Record<string, unknown>)[k]])));

const ruleArb = fc.record({
  name: fc.constantFrom('r-allow', 'r-block', 'Rule One', 'r_approval', 'r-dry', 'r-allow'),
  priority: opt(fc.integer({ min: 0, max: 3 })),
  effect: verdictText,
  match: opt(matchArb),
  reason_codes: opt(some(['code_a', 'code_b'])),
  violations: opt(some(['viol_a'])),
  min_approvals: opt(fc.integer({ min: 0, max: 3 })),
  require_broker_credential: fc.option(fc.boolean(), { nil: undefined, freq: 6 }),
  broker_reference: fc.option(fc.constantFrom('egress', ' db '), { nil: undefined, freq: 8 }),
  broker_scopes: fc.option(some(['export', 'Write']), { nil: undefined, freq: 8 }),
  require_distinct_approvers: fc.option(fc.boolean(), { nil: undefined, freq: 8 }),
  require_context_evidence: fc.option(fc.boolean(), { nil: undefined, freq: 10 }),
  required_context_evidence_mode: fc.option(fc.constantFrom('required', 'best_effort'), { nil: undefined, freq: 10 }),
  max_context_age_seconds: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined, freq: 10 }),
  destructive_budget: fc.option(fc.record({ requests: fc.integer({ min: 1, max: 3 }), window: fc.constantFrom('minute', 'hour'), scope: fc.constantFrom('tool', 'identity', 'tool_identity') }), { nil: undefined, freq: 10 }),
  rate_limit: fc.option(fc.record({ requests: fc.integer({ min: 1, max: 5 }), window: fc.constantFrom('minute', 'hour') }), { nil: undefined, freq: 8 }),
  endpoint: fc.option(fc.record({
    enabled: fc.constant(true),
    path_allowlist: opt(some(['/tmp/safe/**', '/tmp/*.txt'])),
    path_denylist: opt(some(['/tmp/safe/blocked/**', '/etc/**'])),
    domain_allowlist: opt(some(['api.internal.local', '*.example.com'])),
    action: opt(fc.constantFrom('block', 'require_approval')),
    destructive_action: opt(fc.constantFrom('block', 'require_approval')),
  }).map(compact), { nil: undefined, freq: 6 }),
  dataflow: fc.option(fc.record({
    enabled: fc.constant(true),
    tainted_sources: opt(some(SOURCES)),
    destination_kinds: opt(some(['host', 'url', 'path'])),
    action: opt(fc.constantFrom('block', 'require_approval')),
  }).map(compact), { nil: undefined, freq: 6 }),
}).map(compact);

/** A valid policy object (as a user would write it) from the pools. */
export const policyObjectArb: fc.Arbitrary<JsonObject> = fc.record({
  schema_id: opt(fc.constant('gait.gate.policy')),
  default_verdict: opt(verdictText),
  fail_closed: fc.option(fc.record({
    enabled: fc.boolean(),
    risk_classes: opt(some(RISKS)),
    required_fields: opt(some(['targets', 'arg_provenance', 'endpoint_class', 'delegation'])),
  }).map(compact), { nil: undefined, freq: 5 }),
  scripts: fc.option(fc.record({ max_steps: fc.integer({ min: 0, max: 3 }), require_approval_above: fc.integer({ min: 0, max: 2 }), block_mixed_risk: fc.boolean() }), { nil: undefined, freq: 5 }),
  rules: opt(fc.array(ruleArb, { maxLength: 5 })),
  default_action: fc.option(verdictText, { nil: undefined, freq: 10 }),
  mcp_trust: fc.option(fc.record({
    enabled: fc.boolean(),
    snapshot: fc.constantFrom('./trust_snapshot.json', ''),
    action: opt(fc.constantFrom('block', 'require_approval')),
    min_score: opt(fc.constantFrom(0, 0.5, 1)),
    max_age: opt(fc.constantFrom('24h', '90m')),
    publisher_allowlist: opt(some(['Acme', 'acme'])),
  }).map(compact), { nil: undefined, freq: 10 }),
}).map((p) => compact(p) as JsonObject);

/** Policy text: YAML (block or flow), JSON (which is YAML), or one of the shipped examples. */
export const policyTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(policyObjectArb, fc.constantFrom('yaml', 'flow', 'json')).map(([p, style]) =>
    style === 'json' ? JSON.stringify(p, null, 2) : YAML.stringify(p, style === 'flow' ? { collectionStyle: 'flow' } : undefined)) },
  { weight: 1, arbitrary: fc.constantFrom(...EXAMPLE_POLICIES.map((e) => e.text)) },
);

/**
 * Policies whose verdict turns on one field the hostile generators lie about (tool name, risk
 * class, identity, target), so that a lie that reaches a decision or an executor shows.
 */
export const DISCRIMINATING_POLICIES = [
  'default_verdict: allow\n',
  'default_verdict: block\nrules:\n  - {name: allow-read, effect: allow, match: {tool_names: [tool.read]}}\n',
  'default_verdict: allow\nrules:\n  - {name: block-delete, effect: block, match: {tool_names: [tool.delete, tool.exec]}}\n',
  'default_verdict: block\nrules:\n  - {name: allow-low, effect: allow, match: {risk_classes: [low]}}\n',
  'default_verdict: allow\nrules:\n  - {name: block-mallory, effect: block, match: {identities: [mallory]}}\n',
  'default_verdict: allow\nrules:\n  - {name: block-etc, effect: block, match: {target_values: [/etc/passwd]}}\n  - {name: block-external, effect: block, match: {target_kinds: [host, url]}}\n',
];

/**
 * A fixed pool of valid policy texts for the properties about intents (so their cost is the
 * evaluation, not YAML parsing): the discriminating ones, the shipped examples, and `size`
 * generated with the run's seed. Shrinks towards the first (`default_verdict: allow`).
 */
export function policyPoolArb(seed: number, size: number, valid: (text: string) => boolean): fc.Arbitrary<string> {
  const generated = fc.sample(policyTextArb, { numRuns: size * 2, seed }).filter(valid).slice(0, size);
  const pool = [...new Set([...DISCRIMINATING_POLICIES, ...EXAMPLE_POLICIES.map((e) => e.text), ...generated])].filter(valid);
  return fc.constantFrom(...pool);
}

// ---- mutations -----------------------------------------------------------------------------------

/** Every path (list of keys) to a value inside v, v itself included. */
export function paths(v: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths((v as JsonObject)[k], [...prefix, k], out);
  return out;
}

/** A copy of `v` with the value at `path` replaced (or deleted when `value` is DELETE). */
export const DELETE = Symbol('delete');
export function setAt(v: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value === DELETE ? undefined : value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  const [k, ...rest] = path;
  if (rest.length === 0 && value === DELETE) {
    if (Array.isArray(copy)) copy.splice(k as number, 1);
    else delete copy[k!];
  } else copy[k!] = setAt(copy[k!], rest, value);
  return copy;
}

/** Odd JSON values: wrong types, huge and tiny numbers, odd strings, deep and wide structures. */
export const oddJsonArb: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -0, 1e308, -1e-308, 2 ** 53 + 1, 1.5, '', ' ', '\u0000', '\ud800', '\udfff x', 'x\ud83d', '\u00ff\ufeff', 'A'.repeat(70000), [], {}, [null], { '': '' }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 90 }).map((d) => { let x: Json = 'leaf'; for (let i = 0; i < d; i++) x = i % 2 ? [x] : { k: x }; return x; }) },
  // Long lists (YAML parsing costs ~50 µs an item: kept rare and short enough for long runs).
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => i) as Json) },
);

/** Replaces or deletes one value somewhere inside a JSON value (chosen by index over all paths). */
export function mutatedJson<T>(base: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.nat(), fc.option(oddJsonArb, { nil: DELETE as unknown as Json, freq: 4 }))
    .map(([v, n, repl]) => {
      // The root itself is never replaced: odd top-level values have their own properties.
      const all = paths(v).slice(1);
      return all.length ? setAt(v, all[n % all.length]!, repl) : v;
    });
}

const GARBAGE = ['{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', '\ud800', '\udc00', '\uffff', '\ufeff', '\t', '\n', '&a', '*a', '!!binary', '<<: *a', '%YAML 1.1\n', '---\n', '? ', '- ', '#', '|', '>', "'", '\u2028', 'é', 'true', '-1e999'];

/** Text edits: truncate, delete, insert or replace a short run; several per case. */
export function mutatedText(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.constantFrom('truncate', 'delete', 'insert', 'replace', 'duplicate'), fc.nat(), fc.nat({ max: 8 }),
    fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ unit: 'binary', maxLength: 4 })));
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
    let t = text;
    for (const [op, pos, len, ins] of edits) {
      const i = t.length ? pos % (t.length + 1) : 0;
      if (op === 'truncate') t = t.slice(0, i);
      else if (op === 'delete') t = t.slice(0, i) + t.slice(i + len);
      else if (op === 'insert') t = t.slice(0, i) + ins + t.slice(i);
      else if (op === 'replace') t = t.slice(0, i) + ins + t.slice(i + Math.max(1, len));
      else t = t.slice(0, i) + t.slice(i, i + len * 4) + t.slice(i);
    }
    return t;
  });
}

/** Policy text that is valid, mutated, or garbage. */
export const anyPolicyTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: policyTextArb },
  { weight: 3, arbitrary: mutatedText(policyTextArb) },
  { weight: 2, arbitrary: mutatedJson(policyObjectArb).map((p) => (p === undefined ? '' : YAML.stringify(p))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** Intent JSON text: valid, reformatted, mutated, or garbage. */
export const intentTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(baseIntentArb, fc.constantFrom(0, 2, '\t')).map(([i, indent]) => JSON.stringify(i, null, indent)) },
  { weight: 3, arbitrary: mutatedText(baseIntentArb.map((i) => JSON.stringify(i))) },
  { weight: 2, arbitrary: mutatedJson(baseIntentArb).map((i) => JSON.stringify(i) ?? '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
);

/** Bytes for files: UTF-8 of text, with invalid UTF-8 (and a BOM) spliced in sometimes. */
export function bytesOf(textArb: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  const bad = fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xef, 0xbb, 0xbf], [0x80], [0xe2, 0x82], [0]);
  return fc.tuple(textArb, fc.option(fc.tuple(fc.nat(), bad), { nil: undefined, freq: 2 })).map(([text, splice]) => {
    const b = new TextEncoder().encode(text);
    if (!splice) return b;
    const [pos, ins] = splice;
    const i = pos % (b.length + 1);
    return Uint8Array.from([...b.subarray(0, i), ...ins, ...b.subarray(i)]);
  });
}
