// Seeded case generators for the artifact scenarios (scenarios/artifacts.mjs): approved-script
// registries, credential brokers, Wrkr inventories, rate-limit state, traces, keys and policy
// simulate. Each `*Case(seed)` draws everything from one mulberry32 stream, so a seed fixes the
// case. The conformance generator is reused unchanged (for policy simulate's policies/intents).
import { createGenerator, mulberry32 } from '../../conformance/generator.mjs';

function draws(seed) {
  const rng = mulberry32(seed);
  const chance = (p) => rng() < p;
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const some = (xs, lo = 1, hi = 2) => {
    const pool = [...xs];
    return Array.from({ length: Math.min(xs.length, int(lo, hi)) }, () => pool.splice(Math.floor(rng() * pool.length), 1)[0]);
  };
  return { rng, chance, int, pick, some };
}

const TOOLS = ['tool.read', 'tool.write', 'tool.delete', 'tool.exec', 'tool.http'];
const VERDICTS = ['allow', 'block', 'dry_run', 'require_approval'];
const TTLS = ['168h', '1h', '30m', '2h45m', '90s', '1ns'];
const BAD_TTLS = ['abc', '-1h', '0s', '1d', ''];

function target(d) {
  const kind = d.pick(['path', 'url', 'host']);
  const value = { path: d.pick(['/tmp/x', '/etc/hosts']), url: 'https://api.example.com/x', host: 'api.example.com' }[kind];
  return { kind, value, operation: d.pick(['read', 'write', 'delete']) };
}

function intentOf(d, extra = {}) {
  const risk = d.pick(['low', 'low', 'medium', 'high', 'critical']);
  return {
    schema_id: 'gait.gate.intent_request',
    schema_version: '1.0.0',
    created_at: '2026-02-05T00:00:00Z',
    producer_version: 'oracle',
    tool_name: d.pick(TOOLS),
    args: {},
    targets: [target(d)],
    context: { identity: d.pick(['alice', 'bob']), workspace: '/repo/gait', risk_class: risk },
    ...extra,
  };
}

/** A script intent: 1-4 steps over the shared tools. */
function scriptIntent(d) {
  const i = intentOf(d, { tool_name: d.pick(['script', 'anything']) });
  delete i.targets;
  i.script = { steps: Array.from({ length: d.int(1, 4) }, () => ({ tool_name: d.pick(TOOLS), args: {}, targets: [target(d)] })) };
  return i;
}

function policyOf(d, { broker = false, limits = false } = {}) {
  const p = { default_verdict: d.pick(VERDICTS) };
  if (d.chance(0.4)) p.scripts = { ...(d.chance(0.5) ? { max_steps: d.int(1, 4) } : {}), ...(d.chance(0.4) ? { block_mixed_risk: true } : {}) };
  p.rules = Array.from({ length: d.int(1, 3) }, (_, k) => {
    const r = { name: `rule-${k}`, priority: d.int(0, 3), effect: d.pick(VERDICTS), match: { tool_names: d.some(TOOLS, 1, 3) } };
    if (broker && d.chance(0.8)) {
      r.require_broker_credential = true;
      if (d.chance(0.8)) r.broker_reference = d.pick(['egress', 'db', 'Vault-Prod', 'a b']);
      if (d.chance(0.5)) r.broker_scopes = d.some(['export', 'read', 'write'], 1, 2);
    }
    if (limits && d.chance(0.8)) r.rate_limit = { requests: d.int(1, 3), window: d.pick(['minute', 'hour']), scope: d.pick(['tool', 'identity', 'tool_identity']) };
    return r;
  });
  return p;
}

const json = (v, d) => JSON.stringify(v, null, d.chance(0.5) ? 2 : 0);
// Policies are written as JSON (valid YAML) so this file needs no YAML printer.
const policyText = (p) => JSON.stringify(p, null, 2) + '\n';

/** approve-script: one or two approvals into a registry, then list-scripts; ~15% invalid input. */
export function approveScriptCase(seed) {
  const d = draws(seed);
  const approval = () => ({ approver: d.pick(['alice', 'Bob', 'secops@example.com']), ttl: d.pick(TTLS), scope: d.chance(0.3) ? d.pick(['a,b', 'deploy', ' x , y ']) : undefined, patternId: d.chance(0.3) ? d.pick(['pattern_custom', 'p-1', 'Deploy Flow']) : undefined, intent: json(scriptIntent(d), d) });
  const c = { family: 'approve-script', policy: policyText(policyOf(d)), approvals: [approval(), ...(d.chance(0.3) ? [approval()] : [])], files: {} };
  c.intent = c.approvals[0].intent;
  if (d.chance(0.15)) {
    const bad = d.pick(['no-approver', 'blank-approver', 'no-registry', 'bad-ttl', 'not-script', 'bad-policy', 'no-key', 'bad-registry', 'missing-intent', 'bad-intent', 'missing-key-file']);
    c.family = `approve-script/${bad}`;
    const a = c.approvals[c.approvals.length - 1];
    if (bad === 'no-approver') a.approver = undefined;
    if (bad === 'blank-approver') a.approver = '  ';
    if (bad === 'no-registry') a.noRegistry = true;
    if (bad === 'bad-ttl') a.ttl = d.pick(BAD_TTLS);
    if (bad === 'not-script') a.intent = json(intentOf(d), d);
    if (bad === 'bad-policy') c.policy = d.pick(['rules: [\n', 'default_verdict: maybe\n', 'unknown_key: 1\n']);
    if (bad === 'no-key') a.noKey = true;
    if (bad === 'bad-registry') c.files['reg.json'] = d.pick(['{', '[]', '{"entries":{}}', '{"entries":[{"pattern_id":"x"}]}', '']);
    if (bad === 'missing-intent') a.missingIntent = true;
    if (bad === 'bad-intent') a.intent = d.pick(['{', '{"script":{"steps":[]}}', '[]']);
    if (bad === 'missing-key-file') a.keyFile = 'nope.key';
  }
  return c;
}

/** list-scripts: a registry minted by either side (maybe tampered) or written by hand. */
export function listScriptsCase(seed) {
  const d = draws(seed);
  const digest = (ch) => ch.repeat(64);
  const entry = (over = {}) => ({ schema_id: 'gait.gate.approved_script_entry', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z', producer_version: 'hand', pattern_id: d.pick(['p1', 'p2']), policy_digest: digest('a'), script_hash: digest('b'), tool_sequence: d.some(TOOLS, 1, 3), approver_identity: 'alice', expires_at: d.pick(['2020-01-01T00:00:00Z', '2099-01-01T00:00:00Z']), ...over });
  const form = d.pick(['minted', 'minted', 'minted', 'hand', 'hand', 'malformed', 'missing']);
  const c = { family: `list-scripts/${form}`, writer: d.pick(['ours', 'gait']), policy: policyText(policyOf(d)), approvals: [], json: d.chance(0.85), files: {} };
  if (form === 'minted') {
    c.approvals = Array.from({ length: d.int(1, 3) }, () => ({ approver: d.pick(['alice', 'bob']), ttl: d.pick(TTLS), intent: json(scriptIntent(d), d) }));
    c.tamper = d.chance(0.3) ? d.pick(['approver', 'expires', 'signature']) : undefined;
  } else if (form === 'hand') {
    const over = d.pick([{}, { policy_digest: 'nothex' }, { pattern_id: '' }, { tool_sequence: [] }, { expires_at: 'soon' }, { approver_identity: '' }, { script_hash: digest('B') }, { created_at: undefined }]);
    c.files['reg.json'] = JSON.stringify(d.pick([{ entries: [entry(over)] }, { entries: [entry(), entry(over)] }, { entries: [] }, {}, { entries: null }]));
  } else if (form === 'malformed') {
    c.files['reg.json'] = d.pick(['{', '[]', 'null', '{"entries":{}}', '{"entries":[1]}', '\u0000']);
  }
  return c;
}

/** eval-registry: gate eval of a script intent with a registry minted by either side. */
export function evalRegistryCase(seed) {
  const d = draws(seed);
  const policy = policyText(policyOf(d));
  const intent = scriptIntent(d);
  const registry = d.pick(['match', 'match', 'match', 'other-intent', 'other-policy', 'expired', 'tampered', 'malformed', 'missing', 'not-script']);
  const key = d.pick(['fixture', 'fixture', 'fixture', 'wrong', 'none', 'env', 'env-blank', 'missing-file']);
  const c = { family: `eval-registry/${registry}/${key}`, writer: d.pick(['ours', 'gait']), policy, intent: json(intent, d), registry, key, approvals: [], files: {} };
  const approve = (over = {}) => ({ approver: 'alice', ttl: '168h', intent: c.intent, ...over });
  if (registry === 'match' || registry === 'tampered') c.approvals = [approve()];
  if (registry === 'other-intent') c.approvals = [approve({ intent: json(scriptIntent(d), d) })];
  if (registry === 'other-policy') c.approvals = [approve({ policy: policyText(policyOf(d)) })];
  if (registry === 'expired') c.approvals = [approve({ ttl: '1ns' })];
  if (registry === 'tampered') c.tamper = d.pick(['approver', 'expires', 'signature', 'sequence']);
  if (registry === 'malformed') c.files['reg.json'] = d.pick(['{', '[]', '{"entries":[{"pattern_id":"x"}]}']);
  if (registry === 'not-script') {
    c.approvals = [approve()];
    c.intent = json(intentOf(d), d);
  }
  return c;
}

/** A broker reference as an env variable suffix: upper-cased, other characters one `_`. */
const envKey = (ref) => ref.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');

/** eval-broker: brokered rules with each broker, env variables and command scripts. */
export function evalBrokerCase(seed) {
  const d = draws(seed);
  const policy = policyOf(d, { broker: true });
  const intent = intentOf(d, { tool_name: d.pick(policy.rules.flatMap((r) => r.match.tool_names)) });
  const broker = d.pick(['off', 'stub', 'env', 'env', 'command', 'command', 'command', '', 'vault']);
  const c = { family: `eval-broker/${broker}`, policy: policyText(policy), intent: json(intent, d), broker, args: [], env: {}, files: {} };
  if (d.chance(0.3)) c.args.push('--credential-ref', d.pick(['egress', 'db', ' ', 'other-ref']));
  if (d.chance(0.3)) c.args.push('--credential-scopes', d.pick(['export', 'read,write', '']));
  if (broker === 'env') {
    const prefix = d.chance(0.3) ? d.pick(['MY_TOKENS_', '', 'X']) : undefined;
    if (prefix !== undefined) c.args.push('--credential-env-prefix', prefix);
    const p = prefix || 'GAIT_BROKER_TOKEN_';
    // Mostly the variables the policy's references (or the intent's tool name) name, so they issue.
    const named = [...policy.rules.map((r) => r.broker_reference ?? intent.tool_name), 'other-ref'].map(envKey);
    for (const key of d.some(named, 0, 3)) c.env[p + key] = d.pick(['s3cr3t', 's3cr3t', ' ', 'token-2']);
  }
  if (broker === 'command') {
    const body = d.pick([
      `cat >/dev/null\necho '{"credential_ref":"lease:1","issued_by":"vault"}'`,
      `cat >/dev/null\necho '{"credential_ref":"lease:2"}'`,
      `cat >/dev/null\necho '{"credential_ref":"lease:3","ttl_seconds":60}'`,
      `echo '{"credential_ref":"lease:4"}'; exit 1`,
      `echo 'token=broker-secret' >&2; exit 2`,
      `echo 'not json'`,
      `echo '{"credential_ref":""}'`,
      `echo '{"credential_ref":7}'`,
      `echo '[]'`,
      `true`,
    ]);
    c.files['broker.sh'] = `#!/bin/sh\n${body}\n`;
    if (d.chance(0.9)) c.args.push('--credential-command', d.pick(['./broker.sh', './broker.sh', 'missing.sh']));
    if (d.chance(0.2)) c.args.push('--credential-command-args', 'a,b');
  }
  c.evidence = d.chance(0.8);
  return c;
}

/** eval-wrkr: a Wrkr inventory (bare array, envelope, malformed, missing) enriching the intent. */
export function evalWrkrCase(seed) {
  const d = draws(seed);
  const item = () => ({ tool_name: d.pick([...TOOLS, ' TOOL.WRITE ', '']), data_class: d.pick(['public', 'pii', 'Secret', '']), endpoint_class: d.pick(['fs.read', 'net.http']), autonomy_level: d.pick(['assist', 'autonomous']), ...(d.chance(0.1) ? { extra: 1 } : {}) });
  const form = d.pick(['array', 'envelope', 'envelope', 'empty', 'malformed', 'missing', 'items-null', 'object']);
  const items = Array.from({ length: d.int(0, 4) }, item);
  const text = { array: JSON.stringify(items), envelope: JSON.stringify({ items }), empty: '{"items":[]}', malformed: d.pick(['{not-json}', '[', '[1]', '[{"tool_name":7}]']), 'items-null': '{"items":null}', object: '{"tool_name":"tool.read"}' }[form];
  const policy = { default_verdict: d.pick(VERDICTS), rules: Array.from({ length: d.int(1, 3) }, (_, k) => ({ name: `wrkr-${k}`, priority: k, effect: d.pick(VERDICTS), match: { ...(d.chance(0.5) ? { tool_names: d.some(TOOLS, 1, 2) } : {}), context_data_classes: d.some(['pii', 'secret', 'public'], 1, 2) } })) };
  const script = d.chance(0.3);
  const intent = script ? scriptIntent(d) : intentOf(d);
  if (d.chance(0.2)) intent.context.auth_context = { 'wrkr.data_class': 'pii' };
  return { family: `eval-wrkr/${form}${script ? '/script' : ''}`, policy: policyText(policy), intent: json(intent, d), files: form === 'missing' ? {} : { 'inventory.json': text }, oss: d.chance(0.15) };
}

/** eval-state: two or three evaluations on one rate-limit state file. */
export function evalStateCase(seed) {
  const d = draws(seed);
  const policy = policyOf(d, { limits: true });
  const runs = Array.from({ length: d.int(2, 3) }, () => intentOf(d, { tool_name: d.pick(policy.rules.flatMap((r) => r.match.tool_names)) }));
  const initial = d.chance(0.15) ? d.pick(['{', '{}', '{"schema_id":"x"}', '']) : undefined;
  return { family: `eval-state${initial !== undefined ? '/initial' : ''}`, policy: policyText(policy), intent: json(runs[0], d), runs: runs.map((i) => json(i, d)), files: initial !== undefined ? { 'state.json': initial } : {} };
}

/** trace-verify: a trace written by either side, maybe tampered, verified with key variants. */
export function traceVerifyCase(seed) {
  const d = draws(seed);
  const tamper = d.pick(['none', 'none', 'none', 'field', 'verdict', 'no-signature', 'bad-sig', 'malformed', 'truncated', 'key-id']);
  const key = d.pick(['fixture', 'fixture', 'wrong', 'none', 'env', 'private', 'missing-file']);
  return { family: `trace-verify/${tamper}/${key}`, writer: d.pick(['ours', 'gait']), policy: policyText(policyOf(d)), intent: json(d.chance(0.3) ? scriptIntent(d) : intentOf(d), d), tamper, key, json: d.chance(0.85), files: {} };
}

/** keys-init: flag variants over a folder that may already hold keys. */
export function keysInitCase(seed) {
  const d = draws(seed);
  const outDir = d.pick([undefined, 'keys', 'a/b/c', '.']);
  const prefix = d.pick([undefined, 'p', 'my-key', '', 'a/b', '..']);
  const dir = outDir ?? 'gait-out/keys';
  const name = prefix === undefined ? 'gait' : prefix;
  const files = {};
  if (d.chance(0.3)) files[`${dir}/${name}_${d.pick(['private', 'public'])}.key`] = 'old\n';
  const args = [...(outDir !== undefined ? ['--out-dir', outDir] : []), ...(prefix !== undefined ? ['--prefix', prefix] : []), ...(d.chance(0.3) ? ['--force'] : []), ...(d.chance(0.85) ? ['--json'] : [])];
  return { family: `keys-init${Object.keys(files).length ? '/existing' : ''}`, args, dir, name, twice: d.chance(0.2), files };
}

/** policy-simulate: baseline and candidate policies over intent fixtures (files and folders). */
export function policySimulateCase(seed) {
  const g = createGenerator(seed);
  const d = draws(seed ^ 0x5eed);
  const a = g.randomCase();
  const b = d.chance(0.5) ? g.randomCase() : { policy: a.policy.replace(/\b(allow|block)\b/, (m) => (m === 'allow' ? 'block' : 'allow')) };
  const files = { 'baseline.yaml': a.policy, 'candidate.yaml': b.policy };
  const fixtures = [];
  for (let k = 0; k < d.int(1, 4); k++) {
    const name = d.chance(0.3) ? `fx/i${k}.json` : `i${k}.json`;
    files[name] = g.randomCase().intent;
    if (!name.startsWith('fx/')) fixtures.push(name);
    else if (!fixtures.includes('fx')) fixtures.push('fx');
  }
  if (d.chance(0.1)) fixtures.push(d.pick(['missing.json', 'empty-dir']));
  if (fixtures.includes('empty-dir')) files['empty-dir/.keep'] = '';
  if (d.chance(0.05)) files['i0.json'] = '{';
  return { family: `policy-simulate/${a.family}`, policy: files['candidate.yaml'], intent: files['i0.json'] ?? null, fixtures: d.chance(0.05) ? [] : fixtures, json: d.chance(0.85), files };
}
