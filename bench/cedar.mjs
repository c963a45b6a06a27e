/**
 * The peer: @cedar-policy/cedar-wasm evaluating the "Typical" policy written in Cedar
 * (fixtures/typical.cedar). The policy set is pre-parsed once (`preparsePolicySet`) and every
 * evaluation is one `statefulIsAuthorized` call, the fastest pre-parsed API cedar-wasm 4.x has.
 * The request (principal, action, resource, context) is built once, like a parsed intent object.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const FIXTURE = new URL('./fixtures/typical.cedar', import.meta.url);
const POLICY_SET_ID = 'gait-typical';

/** The Cedar request for the typical intent (tool.write of /tmp/out.txt by bench-user). */
export function typicalRequest({ targetKind = 'path' } = {}) {
  return {
    principal: { type: 'Identity', id: 'bench-user' },
    action: { type: 'Action', id: 'tool.write' },
    resource: { type: 'Target', id: '/tmp/out.txt' },
    context: {
      risk_class: 'high',
      workspace: '/tmp/workspace',
      identity: 'bench-user',
      target_kinds: [targetKind],
      target_values: ['/tmp/out.txt'],
      provenance_sources: ['user'],
    },
    entities: [],
    preparsedPolicySetId: POLICY_SET_ID,
    validateRequest: false,
  };
}

/** Loads cedar-wasm, pre-parses the policy set, checks the typical decision; returns the case. */
export function setupCedar() {
  const started = performance.now();
  const cedar = require('@cedar-policy/cedar-wasm/nodejs');
  const loadedMs = performance.now() - started;
  const text = readFileSync(FIXTURE, 'utf8');
  // Text policies get ids policy0, policy1, ...: key each one by its @id annotation instead.
  const parts = cedar.policySetTextToParts(text);
  if (parts.type !== 'success') throw new Error(`cedar: policy set did not split: ${JSON.stringify(parts.errors)}`);
  const staticPolicies = {};
  for (const p of parts.policies) {
    const id = /@id\("([^"]+)"\)/.exec(p)?.[1];
    if (!id) throw new Error(`cedar: policy without @id: ${p}`);
    staticPolicies[id] = p;
  }
  const parsed = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies });
  if (parsed.type !== 'success') throw new Error(`cedar: policy set did not parse: ${JSON.stringify(parsed.errors)}`);
  const preparsedMs = performance.now() - started;

  const call = typicalRequest();
  const decide = (c) => {
    const answer = cedar.statefulIsAuthorized(c);
    if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
    return answer.response;
  };
  const first = decide(call);
  const firstCallMs = performance.now() - started - preparsedMs;
  if (first.decision !== 'allow' || first.diagnostics.reason.join() !== 'allow-safe-write') {
    throw new Error(`cedar: typical request decided ${JSON.stringify(first)}, expected allow by allow-safe-write`);
  }
  const host = decide(typicalRequest({ targetKind: 'host' }));
  if (host.decision !== 'deny' || host.diagnostics.reason.join() !== 'block-external-host') {
    throw new Error(`cedar: host request decided ${JSON.stringify(host)}, expected deny by block-external-host`);
  }
  // The package's `exports` hide package.json and the .wasm; they sit next to the entry point.
  const dir = dirname(require.resolve('@cedar-policy/cedar-wasm/nodejs'));
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return {
    version: pkg.version,
    cedarVersion: cedar.getCedarVersion(),
    // Decision only: what `statefulIsAuthorized` returns (decision plus the reasons, which it always computes).
    fn: () => cedar.statefulIsAuthorized(call).response.decision.length,
    startup: { require_ms: loadedMs, preparse_ms: preparsedMs - loadedMs, first_call_ms: firstCallMs },
    wasmBytes: readFileSync(join(dir, 'cedar_wasm_bg.wasm')).length,
  };
}

