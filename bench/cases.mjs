/**
 * The benchmark cases (issue #5). Each case is `{ id, group, layer, what, fn, isAsync? }`, where
 * `fn()` does one evaluation and returns a number for the harness's sink. Setup checks every
 * scenario's verdict once, so a bench never times a wrong answer.
 *
 * Layers (so the cost of each stage is visible):
 *   core             engine.evaluate(loaded, preEncodedBytes, stepTools): one WASM call + outcome decode
 *   encode+core      encodeIntent(prepared) + engine.evaluate: decision from a prepared normalized intent
 *   normalized       gate.evaluateNormalized(normalized).result.verdict: strip claims + encode + core + result
 *   object:decision  gate.verdict(object).verdict: the decision-only API from a parsed object (plain
 *                    single intents are encoded straight into the core's buffer, no digests)
 *   object:evaluate  gate.evaluate(object).result.verdict: the full evaluation without reading a
 *                    digest (decode + normalize + encode + core; digests are lazy)
 *   object:full      gate.evaluate(object).intent_digest: full result with the intent digest
 *   json:decision / json:full   the same from JSON text
 *   check            gate.check(object).verdict: the library's `gait gate eval --json` payload
 * plus the stages on their own for the typical intent (decode, normalize, strip, encode, digests).
 *
 * Imports the built package (dist/): run `npm run build` first (the npm scripts do).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createEngineSync } from '../dist/load/node.js';
import { Gate } from '../dist/gate.js';
import { compilePolicy } from '../dist/core/compile.js';
import { encodeIntent } from '../dist/core/encode.js';
import { parsePolicyYaml } from '../dist/policy/parse.js';
import { decodeIntentJson, decodeIntentValue } from '../dist/intent/decode.js';
import * as normalizeModule from '../dist/intent/normalize.js';
import { intentDigest } from '../dist/intent/digest.js';
import { verifyJson, verifyJsonSync } from '../dist/crypto/signed-json.js';
import { clearVerifyCache } from '../dist/crypto/ed25519.js';
import { parsePublicKey } from '../dist/crypto/keys.js';
import { setupCedar } from './cedar.mjs';
import { enforceCases } from './enforce-cases.mjs';

const { normalizeIntent, stripContextClaims, computeDigests } = normalizeModule;
const NO_DIGESTS = { digests: false };

const here = (rel) => new URL(rel, import.meta.url);
const text = (rel) => readFileSync(here(rel), 'utf8');

export const TYPICAL_POLICY_YAML = text('./fixtures/typical.policy.yaml');
export const TYPICAL_INTENT_TEXT = text('./fixtures/typical.intent.json');
const EXAMPLES = '../examples/gait/policy/';

/** Verdicts Gait's `policy test` gives for base_high_risk.yaml (fixtures/gait/EXPECTED.jsonl). */
const BASE_HIGH_RISK_EXPECTED = {
  intent_delegated_egress_invalid: 'block',
  intent_delegated_egress_valid: 'allow',
  intent_delete: 'block',
  intent_read: 'allow',
  intent_tainted_egress: 'block',
  intent_write: 'require_approval',
};

/**
 * 1,000 rules, all for tool.write so an index on tool name cannot skip them: 999 decoys that fail
 * on one selector each (identity, workspace prefix or target value, in turn), and the matching
 * rule last in priority order.
 */
export function thousandRulePolicyYaml() {
  const lines = [
    'schema_id: gait.gate.policy',
    'schema_version: 1.0.0',
    'default_verdict: require_approval',
    'fail_closed:',
    '  enabled: true',
    '  risk_classes: [high, critical]',
    '  required_fields: [targets, arg_provenance]',
    'rules:',
  ];
  for (let i = 1; i <= 999; i++) {
    const selector = [
      `identities: [other-user-${i}]`,
      `workspace_prefixes: [/srv/workspace-${i}]`,
      `target_values: [/var/data/file-${i}.txt]`,
    ][i % 3];
    lines.push(
      `  - name: decoy-${i}`,
      `    priority: ${i}`,
      '    effect: block',
      '    match:',
      '      tool_names: [tool.write]',
      `      ${selector}`,
      `    reason_codes: [decoy_${i}]`,
    );
  }
  lines.push(
    '  - name: allow-safe-write',
    '    priority: 1000',
    '    effect: allow',
    '    match:',
    '      tool_names: [tool.write]',
    '      target_kinds: [path]',
    '      workspace_prefixes: [/tmp]',
    '      provenance_sources: [user]',
    '    reason_codes: [safe_write]',
  );
  return lines.join('\n') + '\n';
}

/** The typical intent as a 64-step script (the maximum): every step a user-provided /tmp write. */
export function scriptIntent(steps = 64) {
  const base = JSON.parse(TYPICAL_INTENT_TEXT);
  delete base.args;
  delete base.targets;
  delete base.arg_provenance;
  base.tool_name = 'script';
  base.script = {
    steps: Array.from({ length: steps }, (_, i) => ({
      tool_name: 'tool.write',
      args: { path: `/tmp/out-${i}.txt`, content: `hello ${i}` },
      targets: [{ kind: 'path', value: `/tmp/out-${i}.txt` }],
      arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    })),
  };
  return base;
}

/** One (policy, intent) pair with everything each layer needs, its verdict checked. */
function scenario(engine, name, policyYaml, intentText, expected) {
  const gate = new Gate(engine, parsePolicyYaml(policyYaml));
  const loaded = engine.load(compilePolicy(gate.policy));
  const object = JSON.parse(intentText);
  const normalized = normalizeIntent(decodeIntentValue(object));
  const prepared = stripContextClaims(normalized); // with digests (the default)
  const stepTools = prepared.script?.steps.map((s) => s.tool_name) ?? [];
  // A copy: encodeIntent may return a view into a buffer it reuses on the next call.
  const encoded = encodeIntent(prepared, loaded.compiled).slice();

  const verdicts = {
    core: engine.evaluate(loaded, encoded, stepTools).verdict,
    object: gate.evaluate(object).result.verdict,
    verdict: gate.verdict(object).verdict,
    json: gate.evaluate(intentText).result.verdict,
    normalized: gate.evaluateNormalized(normalized).result.verdict,
  };
  for (const [layer, v] of Object.entries(verdicts)) {
    if (v !== expected) throw new Error(`${name}: ${layer} verdict ${v}, expected ${expected}`);
  }
  const full = gate.evaluate(object);
  if (full.intent_digest !== prepared.intent_digest || !/^[0-9a-f]{64}$/.test(full.intent_digest)) {
    throw new Error(`${name}: intent digest differs between layers`);
  }
  const key = outcomeKey(engine.evaluate(loaded, encoded, stepTools));
  return { name, gate, loaded, object, intentText, normalized, prepared, stepTools, encoded, outcomeKey: key, verdict: expected, matched: full.matched_rule };
}

function outcomeKey(o) {
  return JSON.stringify([o.verdict, o.reason_codes, o.violations, o.matched_rules, o.steps.length]);
}

/** The cases of one scenario for the given layers. */
function layerCases(engine, s, group, layers) {
  const make = {
    core: () => ({
      what: 'engine.evaluate, pre-encoded intent (pure core + outcome decode)',
      fn: () => engine.evaluate(s.loaded, s.encoded, s.stepTools).verdict.length,
      // The pre-encoded bytes must still give the setup-time outcome once every case is built.
      verify: () => outcomeKey(engine.evaluate(s.loaded, s.encoded, s.stepTools)) === s.outcomeKey,
    }),
    'encode+core': () => ({
      what: 'encodeIntent + engine.evaluate from a prepared intent (decision only)',
      fn: () => engine.evaluate(s.loaded, encodeIntent(s.prepared, s.loaded.compiled), s.stepTools).verdict.length,
    }),
    normalized: () => ({ what: 'gate.evaluateNormalized(normalized).result.verdict', fn: () => s.gate.evaluateNormalized(s.normalized).result.verdict.length }),
    'object:decision': () => ({ what: 'gate.verdict(parsed object).verdict: decision only', fn: () => s.gate.verdict(s.object).verdict.length }),
    'object:evaluate': () => ({ what: 'gate.evaluate(parsed object).result.verdict: evaluation, no digest read', fn: () => s.gate.evaluate(s.object).result.verdict.length }),
    'object:full': () => ({ what: 'gate.evaluate(parsed object).intent_digest: full result with intent digest', fn: () => s.gate.evaluate(s.object).intent_digest.length }),
    'json:decision': () => ({ what: 'gate.evaluate(JSON text).result.verdict: decision only', fn: () => s.gate.evaluate(s.intentText).result.verdict.length }),
    'json:full': () => ({ what: 'gate.evaluate(JSON text).intent_digest: full result with intent digest', fn: () => s.gate.evaluate(s.intentText).intent_digest.length }),
    check: () => ({ what: 'gate.check(parsed object).verdict: the gate eval --json payload', fn: () => s.gate.check(s.object).verdict.length }),
  };
  return layers
    .filter((layer) => layer !== 'check' || typeof s.gate.check === 'function')
    .map((layer) => ({ id: `${group}/${layer}`, group, layer, verdict: s.verdict, ...make[layer]() }));
}

/**
 * Builds the cases. `engine` defaults to a fresh one; `typicalOnly` builds just the floor and the
 * typical scenario (plus cedar/crypto when asked), for processes that need only those.
 */
export async function buildCases({ engine = createEngineSync(), withCedar = true, withCrypto = true, typicalOnly = false } = {}) {
  const cases = [];
  const info = {};

  cases.push({ id: 'floor/noop', group: 'floor', layer: 'noop', what: 'engine.noop(i): empty WASM export through the bindings', fn: () => engine.noop(7) });

  const typical = scenario(engine, 'typical', TYPICAL_POLICY_YAML, TYPICAL_INTENT_TEXT, 'allow');
  if (typical.matched !== 'allow-safe-write') throw new Error(`typical: matched ${typical.matched}`);
  if (typeof typical.gate.check === 'function' && typical.gate.check(typical.object).verdict !== 'allow') throw new Error('typical: gate.check did not allow');
  cases.push(...layerCases(engine, typical, 'typical', ['core', 'encode+core', 'normalized', 'object:decision', 'object:evaluate', 'object:full', 'json:decision', 'json:full', 'check']));
  // The stages of the from-object path, one at a time.
  const raw = decodeIntentValue(typical.object);
  const bare = stripContextClaims(typical.normalized, NO_DIGESTS);
  cases.push(
    { id: 'typical/stage:decode(object)', group: 'typical', layer: 'stage', what: 'decodeIntentValue(object) alone', fn: () => decodeIntentValue(typical.object).tool_name.length },
    { id: 'typical/stage:decode(json)', group: 'typical', layer: 'stage', what: 'decodeIntentJson(text) alone', fn: () => decodeIntentJson(typical.intentText).tool_name.length },
    { id: 'typical/stage:normalize', group: 'typical', layer: 'stage', what: 'normalizeIntent(raw, {digests: false}) alone', fn: () => normalizeIntent(raw, NO_DIGESTS).tool_name.length },
    { id: 'typical/stage:strip-claims', group: 'typical', layer: 'stage', what: 'stripContextClaims(normalized, {digests: false}) alone', fn: () => stripContextClaims(typical.normalized, NO_DIGESTS).tool_name.length },
    { id: 'typical/stage:encode', group: 'typical', layer: 'stage', what: 'encodeIntent(prepared) alone', fn: () => encodeIntent(typical.prepared, typical.loaded.compiled).length },
    { id: 'typical/stage:intent-digest', group: 'typical', layer: 'stage', what: 'intentDigest(prepared) alone (projection + JCS + SHA-256)', fn: () => intentDigest(typical.prepared).length },
  );
  if (typeof computeDigests === 'function') {
    cases.push({ id: 'typical/stage:all-digests', group: 'typical', layer: 'stage', what: 'computeDigests(prepared): script hash + args digest + intent digest', fn: () => computeDigests(bare).intent_digest.length });
  }
  info.typical = { verdict: typical.verdict, matched_rule: typical.matched, encoded_bytes: typical.encoded.length };

  if (typicalOnly) return finishCases({ cases, info, engine, withCedar, withCrypto });

  const big = scenario(engine, 'rules1000', thousandRulePolicyYaml(), TYPICAL_INTENT_TEXT, 'allow');
  if (big.matched !== 'allow-safe-write') throw new Error(`rules1000: matched ${big.matched}`);
  cases.push(...layerCases(engine, big, 'rules1000', ['core', 'encode+core', 'object:decision', 'object:evaluate', 'object:full']));
  info.rules1000 = { rules: big.gate.policy.rules.length, verdict: big.verdict, matched_rule: big.matched, compiled_bytes: big.loaded.compiled.bytes.length };

  const script = scenario(engine, 'script64', TYPICAL_POLICY_YAML, JSON.stringify(scriptIntent(64)), 'allow');
  cases.push(...layerCases(engine, script, 'script64', ['core', 'encode+core', 'object:decision', 'object:full', 'json:full']));
  info.script64 = { steps: script.prepared.script.steps.length, verdict: script.verdict, encoded_bytes: script.encoded.length, intent_json_bytes: script.intentText.length };

  const highRiskYaml = readFileSync(here(EXAMPLES + 'base_high_risk.yaml'), 'utf8');
  info.base_high_risk = {};
  for (const file of readdirSync(here(EXAMPLES + 'intents/')).filter((f) => f.endsWith('.json')).sort()) {
    const name = file.replace(/\.json$/, '');
    const expected = BASE_HIGH_RISK_EXPECTED[name];
    if (!expected) throw new Error(`base_high_risk: no expected verdict for ${file}`);
    const s = scenario(engine, `base_high_risk/${name}`, highRiskYaml, readFileSync(here(EXAMPLES + 'intents/' + file), 'utf8'), expected);
    cases.push(...layerCases(engine, s, `high_risk:${name.replace(/^intent_/, '')}`, ['core', 'object:decision']));
    info.base_high_risk[name] = { verdict: s.verdict, matched_rule: s.matched };
  }

  return finishCases({ cases, info, engine, withCedar, withCrypto });
}

async function finishCases({ cases, info, engine, withCedar, withCrypto }) {
  for (const c of cases) {
    if (c.verify && !c.verify()) throw new Error(`${c.id}: the pre-encoded intent no longer gives its setup-time outcome`);
  }
  if (withCedar) {
    const cedar = setupCedar();
    cases.push({ id: 'cedar/typical', group: 'cedar', layer: 'peer', what: `cedar-wasm ${cedar.version} statefulIsAuthorized, pre-parsed policy set (decision)`, fn: cedar.fn });
    info.cedar = { version: cedar.version, cedar_lang: cedar.cedarVersion, wasm_bytes: cedar.wasmBytes, startup: cedar.startup };
  }

  if (withCrypto) {
    const token = JSON.parse(text('./fixtures/approval_token_valid.json'));
    const publicKey = parsePublicKey(text('./fixtures/approval_public.key'));
    verifyJsonSync(token, token.signature, publicKey); // throws unless it verifies
    await verifyJson(token, token.signature, publicKey);
    cases.push(
      {
        id: 'approval/verify-cold (sync, noble)', group: 'approval', layer: 'crypto', what: 'verifyJsonSync, verify cache cleared every call',
        fn: () => { clearVerifyCache(); verifyJsonSync(token, token.signature, publicKey); return 1; },
      },
      {
        id: 'approval/verify-cold (async, auto)', group: 'approval', layer: 'crypto', isAsync: true, what: 'await verifyJson (WebCrypto where safe), verify cache cleared every call',
        fn: async () => { clearVerifyCache(); await verifyJson(token, token.signature, publicKey); return 1; },
      },
      {
        id: 'approval/verify-cached (sync)', group: 'approval', layer: 'crypto', what: 'verifyJsonSync, repeated (signature cached; JCS digest recomputed)',
        fn: () => { verifyJsonSync(token, token.signature, publicKey); return 1; },
      },
      {
        id: 'approval/verify-cached (async)', group: 'approval', layer: 'crypto', isAsync: true, what: 'await verifyJson, repeated (signature cached)',
        fn: async () => { await verifyJson(token, token.signature, publicKey); return 1; },
      },
    );
    cases.push(...(await enforceCases(engine)));
  }
  return { engine, cases, info };
}
