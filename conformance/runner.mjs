// Evaluates conformance cases with whatever gait-wasm runtime entry it is given. Plain ESM with
// no imports, so the same file runs in Node, Deno, Bun, workerd and browsers.
//
// A case is { id, policy, intent, result }: `policy` is YAML text, `intent` JSON text (or null
// for a policy-only case). Its result is the `gate.check()` object, `{ policy_digest }` for a
// policy-only case, or `{ error: message }` when createGate or check throws, serialized with
// sorted keys: byte-identical output across runtimes is the conformance criterion. Each intent
// case also checks that gate.verdict (the decision-only path) agrees with gate.evaluate.

/** JSON with object keys sorted (by UTF-16 code units, like Array.prototype.sort). */
export function sortedJson(value) {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => sortedJson(v === undefined ? null : v)).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`;
}

/** `{ error: message }` for anything thrown. */
function errorResult(err) {
  return { error: err instanceof Error ? err.message : String(err) };
}

/**
 * An enforcement case (conformance/enforce-cases.mjs): `gate.enforce` `runs` times on one memory
 * limit store, with a fixed key, evaluation time and clock. Result: `{ runs: [...] }`, each run
 * the result object, exit code, signed trace and audit records (or `{ error }`).
 */
async function runEnforce(api, gate, c) {
  const e = c.enforce;
  const options = {
    signingKey: e.signing_key,
    now: e.now,
    clock: () => new Date(e.clock),
    limitStore: api.memoryLimitStore(),
    profile: e.profile,
    simulate: e.simulate,
    approval: e.approval && { tokens: e.approval.tokens, tokenRef: e.approval.token_ref, verifyKey: e.approval.verify_key },
    delegation: e.delegation && { tokens: e.delegation.tokens, verifyKey: e.delegation.verify_key },
    approvedScripts: e.approved_scripts && { registry: e.approved_scripts.registry, verifyKey: e.approved_scripts.verify_key },
  };
  const runs = [];
  for (let i = 0; i < e.runs; i++) {
    try {
      const r = await gate.enforce(c.intent, options);
      runs.push({ result: r.result, exit_code: r.exit_code, trace: r.trace, approval_audit: r.approval_audit, delegation_audit: r.delegation_audit });
    } catch (err) {
      runs.push(errorResult(err));
    }
  }
  return sortedJson({ runs });
}

/**
 * Returns `run(case) -> string` (a Promise of it for enforcement cases). Gates are cached by policy text (a gate is loaded into engine
 * memory once, as an application would); `createGate` is the runtime entry's convenience that
 * uses its default engine, so the caller initialises that first where the runtime needs it.
 */
export function caseRunner(api) {
  const gates = new Map();
  return function run(c) {
    let entry = gates.get(c.policy);
    if (!entry) {
      try {
        entry = { gate: api.createGate(c.policy) };
      } catch (err) {
        entry = { error: errorResult(err) };
      }
      gates.set(c.policy, entry);
    }
    if (entry.error) return sortedJson(entry.error);
    if (c.intent === null || c.intent === undefined) return sortedJson({ policy_digest: entry.gate.policyDigest });
    if (c.enforce) return runEnforce(api, entry.gate, c);
    const disagreement = verdictDisagreement(entry.gate, c.intent);
    if (disagreement) return sortedJson({ error: disagreement });
    try {
      return sortedJson(entry.gate.check(c.intent));
    } catch (err) {
      return sortedJson(errorResult(err));
    }
  };
}

/**
 * `gate.verdict(object)` (the decision-only fast path) must say what `gate.evaluate(object)` says,
 * in every runtime; a message when it does not (it then replaces the case's result, so the
 * corpus comparison fails), else undefined.
 */
function verdictDisagreement(gate, intentText) {
  let value;
  try {
    value = JSON.parse(intentText);
  } catch {
    return undefined; // not JSON: only the text decoder sees it
  }
  const said = (run) => {
    try {
      const r = run();
      return sortedJson([r.verdict, r.reason_codes, r.violations, r.matched_rule]);
    } catch (err) {
      return sortedJson(errorResult(err));
    }
  };
  const fast = said(() => gate.verdict(value));
  const full = said(() => {
    const e = gate.evaluate(value);
    return { ...e.result, matched_rule: e.matched_rule };
  });
  return fast === full ? undefined : `gate.verdict disagrees with gate.evaluate: ${fast} vs ${full}`;
}

/** Parses corpus JSONL text into cases. */
export function parseCorpus(text) {
  return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/**
 * Cold start and the whole corpus: initialises the default engine (compile + instantiate), loads
 * the first policy, then evaluates every case. `now` is the runtime's clock in milliseconds.
 */
export async function runCorpus(api, cases, now) {
  const t0 = now();
  await api.init();
  const t1 = now();
  const run = caseRunner(api);
  const first = cases.find((c) => typeof c.policy === 'string');
  if (first) run({ policy: first.policy, intent: null });
  const t2 = now();
  const results = [];
  for (const c of cases) results.push(await run(c));
  const t3 = now();
  return {
    cold_start_ms: { init: t1 - t0, first_policy: t2 - t1, total: t2 - t0 },
    corpus_ms: t3 - t2,
    results,
  };
}
