#!/usr/bin/env node
// Builds the cross-runtime conformance corpus (conformance/corpus.jsonl):
//   1. every case of examples/gait/EXPECTED.jsonl (Gait's shipped policies and intents);
//   2. the spec's worked examples that are (policy YAML, intent JSON) pairs: policy.md §11.1,
//      §11.3 (validation errors), intent.md §9;
//   3. pairs from the seeded generator (generator.mjs, fixed seed here) covering every `match` selector and every
//      verdict path, plus invalid policies and intents (their error message is the result).
// Each case's `result` is the Node reference: the `gate.check()` object (or `{error}`), as
// evaluated by the built Node entry (dist/bundle/node.js). Runtimes must reproduce it byte for
// byte (conformance/runner.mjs serializes with sorted keys).
//
//   node conformance/generate.mjs           rewrite corpus.jsonl (after `npm run build`)
//   node conformance/generate.mjs --check   exit 1 if corpus.jsonl is not what this would write
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { caseRunner } from './runner.mjs';
import { createGenerator } from './generator.mjs';
import { enforceCases } from './enforce-cases.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const EXAMPLES = here('../examples/gait/');
const CORPUS = here('./corpus.jsonl');
const SEED = 0x6a17c0de;

const { generatedCases, selectorNames: SELECTOR_NAMES, verdicts: VERDICTS } = createGenerator(SEED);

// ---------------------------------------------------------------------------------------------
// 1. examples/gait/EXPECTED.jsonl

function fixtureCases() {
  const lines = readFileSync(EXAMPLES + 'EXPECTED.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return lines.map((line, n) => ({
    id: `fixture/${String(n + 1).padStart(2, '0')}-${line.cmd.replace(' ', '-')}-${line.policy.replace(/\.yaml$/, '').replace(/[^a-z0-9]+/gi, '_')}${line.intent ? '-' + line.intent.replace(/^.*\//, '').replace(/\.json$/, '') : ''}`,
    group: 'fixture',
    policy: readFileSync(EXAMPLES + line.policy, 'utf8'),
    intent: line.intent ? readFileSync(EXAMPLES + line.intent, 'utf8') : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// 2. The spec's worked examples.

const base = () => ({
  tool_name: 'tool.demo',
  args: { x: 'y' },
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'low' },
  created_at: '2026-02-05T00:00:00Z',
});
const withBase = (delta) => {
  const b = base();
  return { ...b, ...delta, context: { ...b.context, ...(delta.context ?? {}) } };
};

function specCases() {
  const cases = [];
  const add = (id, policy, intentValue, expect) =>
    cases.push({ id: `spec/${id}`, group: 'spec', policy: typeof policy === 'string' ? policy : YAML.stringify(policy), intent: intentValue === null ? null : typeof intentValue === 'string' ? intentValue : JSON.stringify(intentValue, null, 2), ...(expect ? { expect } : {}) });

  // policy.md §11.1 (the gate's answer adds cli.md §2 post-processing: tokens, broker).
  add('policy-11.1-01-default-dry-run', { default_verdict: 'dry_run' }, base(), { verdict: 'dry_run', reason_codes: ['default_dry_run'] });
  const p2 = { default_verdict: 'allow', rules: [{ name: 'block-external-host', priority: 1, effect: 'block', match: { tool_names: ['tool.write'], target_kinds: ['host'], target_values: ['api.external.com'], risk_classes: ['high'] }, reason_codes: ['blocked_external'], violations: ['external_target'] }] };
  const i2 = withBase({ tool_name: 'TOOL.WRITE', context: { risk_class: 'HIGH' }, targets: [{ kind: 'host', value: 'api.external.com', operation: 'write', sensitivity: 'confidential', endpoint_class: 'net.http' }] });
  add('policy-11.1-02-block-external-host', p2, i2, { verdict: 'block', reason_codes: ['blocked_external'], violations: ['external_target'] });
  add('policy-11.1-02b-other-risk-default-allow', p2, { ...i2, context: { ...i2.context, risk_class: 'low' } }, { verdict: 'allow', reason_codes: ['default_allow'] });
  add('policy-11.1-03-sanitized-rule-name', {
    default_verdict: 'allow',
    rules: [{ name: 'Block External Host-1', effect: 'block', match: { tool_names: ['tool.write'], risk_classes: ['high'], target_kinds: ['host'], target_values: ['api.external.com'], provenance_sources: ['external'], identities: ['alice'], workspace_prefixes: ['/repo'] } }],
  }, withBase({ tool_name: 'tool.write', context: { risk_class: 'high' }, targets: [{ kind: 'host', value: 'api.external.com', operation: 'write', endpoint_class: 'net.http' }], arg_provenance: [{ arg_path: 'args.path', source: 'external' }], skill_provenance: { skill_name: 'safe-curl', source: 'registry', publisher: 'acme' } }), { verdict: 'block', reason_codes: ['matched_rule_block_external_host_1'] });
  add('policy-11.1-04-tier-most-restrictive', { default_verdict: 'allow', rules: [{ name: 'allow-write', priority: 1, effect: 'allow', match: { tool_names: ['tool.write'] }, reason_codes: ['allow_write'] }, { name: 'block-write', priority: 1, effect: 'block', match: { tool_names: ['tool.write'] }, reason_codes: ['block_write'], violations: ['blocked_write'] }] }, withBase({ tool_name: 'tool.write' }), { verdict: 'block', reason_codes: ['block_write'], violations: ['blocked_write'], matched_rule: 'allow-write,block-write' });
  add('policy-11.1-05-fail-closed-required-fields', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'], required_fields: ['targets', 'arg_provenance'] } }, withBase({ context: { risk_class: 'high' } }), { verdict: 'block', reason_codes: ['fail_closed_missing_arg_provenance', 'fail_closed_missing_targets'] });
  add('policy-11.1-06-fail-closed-unknown-endpoint', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'] } }, withBase({ tool_name: 'tool.unknown', context: { risk_class: 'high' }, targets: [{ kind: 'path', value: '/tmp/out.txt' }] }), { verdict: 'block', reason_codes: ['fail_closed_endpoint_class_unknown'] });
  // policy.md §7.2: only an empty or `other` endpoint class is "unknown" to fail-closed.
  for (const cls of ['fs.read', 'ui.click', 'net.http']) {
    add(`policy-7.2-fail-closed-known-class-${cls}`, { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'] } }, withBase({ tool_name: 'tool.any', context: { risk_class: 'high' }, targets: [{ kind: 'path', value: '/tmp/in.txt', endpoint_class: cls }] }));
  }
  add('policy-11.1-07-fail-closed-invalid-intent', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'], required_fields: ['targets'] } }, withBase({ context: { workspace: '', risk_class: 'high' } }), { verdict: 'block', reason_codes: ['fail_closed_intent_invalid'], violations: ['intent_not_evaluable'] });
  add('policy-11.1-07b-invalid-intent-error', { default_verdict: 'allow' }, withBase({ context: { workspace: '', risk_class: 'low' } }), { error: 'normalize intent: context.workspace is required' });
  const df = (dataflow) => ({ default_verdict: 'allow', rules: [{ name: dataflow.reason_code === 'dataflow_tainted_egress' ? 'tainted-egress' : 'tainted-default-egress', effect: 'allow', match: { tool_names: ['tool.write'] }, dataflow }] });
  add('policy-11.1-08-dataflow-approval', df({ enabled: true, tainted_sources: ['external', 'tool_output'], destination_kinds: ['host'], destination_operations: ['write'], action: 'require_approval', reason_code: 'dataflow_tainted_egress', violation: 'tainted_egress' }), withBase({ tool_name: 'tool.write', targets: [{ kind: 'host', value: 'api.external.com', operation: 'write' }], arg_provenance: [{ arg_path: '$.path', source: 'external' }] }), { verdict: 'require_approval', reason_codes: ['dataflow_tainted_egress', 'matched_rule_tainted_egress'], violations: ['tainted_egress'] });
  const p9 = df({ enabled: true, tainted_sources: ['external'], action: 'block', reason_code: 'tainted_default_egress', violation: 'tainted_egress' });
  add('policy-11.1-09-dataflow-default-egress', p9, withBase({ tool_name: 'tool.write', targets: [{ kind: 'url', value: 'https://external.invalid', operation: 'write' }], arg_provenance: [{ arg_path: '$.path', source: 'external' }] }), { verdict: 'block', reason_codes: ['matched_rule_tainted_default_egress', 'tainted_default_egress'], violations: ['tainted_egress'] });
  add('policy-11.1-09b-dataflow-path-not-egress', p9, withBase({ tool_name: 'tool.write', targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }], arg_provenance: [{ arg_path: '$.path', source: 'external' }] }), { verdict: 'allow', reason_codes: ['matched_rule_tainted_default_egress'] });
  add('policy-11.1-10-endpoint-path-domain', { default_verdict: 'allow', rules: [{ name: 'endpoint-guard', effect: 'allow', match: { tool_names: ['tool.write'] }, endpoint: { enabled: true, path_allowlist: ['/tmp/safe/**'], path_denylist: ['/tmp/safe/blocked/**'], domain_allowlist: ['api.internal.local'], egress_classes: ['net.http'], action: 'block', reason_code: 'endpoint_policy_violation', violation: 'endpoint_policy_violation' } }] }, withBase({ tool_name: 'tool.write', targets: [{ kind: 'path', value: '/tmp/safe/blocked/file.txt', operation: 'write', endpoint_class: 'fs.write' }, { kind: 'url', value: 'https://api.external.com/export', operation: 'write', endpoint_class: 'net.http', endpoint_domain: 'api.external.com' }] }), { verdict: 'block', reason_codes: ['endpoint_domain_not_allowlisted', 'endpoint_path_denied', 'endpoint_policy_violation', 'matched_rule_endpoint_guard'] });
  add('policy-11.1-11-destructive-action-default-block', { default_verdict: 'allow', rules: [{ name: 'endpoint-destructive', effect: 'allow', match: { tool_names: ['tool.write'] }, endpoint: { enabled: true, destructive_action: 'require_approval', action: 'block', reason_code: 'endpoint_policy_violation', violation: 'endpoint_policy_violation' } }] }, withBase({ tool_name: 'tool.write', targets: [{ kind: 'path', value: '/tmp/data.txt', operation: 'delete', endpoint_class: 'fs.delete', destructive: true }] }), { verdict: 'block', reason_codes: ['destructive_apply_requires_approval', 'endpoint_destructive_operation', 'endpoint_policy_violation', 'matched_rule_endpoint_destructive'] });
  const p12 = { default_verdict: 'allow', rules: [{ name: 'trusted-skill', priority: 1, effect: 'allow', match: { tool_names: ['tool.write'], skill_publishers: ['acme'], skill_sources: ['registry'] }, reason_codes: ['skill_trusted'] }, { name: 'untrusted-skill', priority: 5, effect: 'require_approval', match: { tool_names: ['tool.write'], skill_sources: ['git'] }, reason_codes: ['skill_untrusted_source'] }] };
  const skill = (source) => withBase({ tool_name: 'tool.write', skill_provenance: { skill_name: 'safe-curl', skill_version: '1.0.0', source, publisher: 'acme', digest: 'a'.repeat(64) } });
  add('policy-11.1-12-trusted-skill', p12, skill('registry'), { verdict: 'allow', reason_codes: ['skill_trusted'] });
  add('policy-11.1-12b-untrusted-skill-source', p12, skill('git'), { verdict: 'require_approval', reason_codes: ['approval_token_missing', 'skill_untrusted_source'] });
  const p13 = { default_verdict: 'block', rules: [{ name: 'allow-delegated-write', effect: 'allow', match: { tool_names: ['tool.write'], require_delegation: true, allowed_delegator_identities: ['agent.lead'], allowed_delegate_identities: ['agent.specialist'], delegation_scopes: ['write'], max_delegation_depth: 2 } }] };
  const deleg = (delegator) => withBase({ tool_name: 'tool.write', delegation: { requester_identity: 'agent.specialist', scope_class: 'write', chain: [{ delegator_identity: delegator, delegate_identity: 'agent.specialist', scope_class: 'write' }] } });
  // Matched, but the gate has no delegation tokens: blocked (cli.md §2.3 step 17).
  add('policy-11.1-13-delegation-match', p13, deleg('agent.lead'), { verdict: 'block', reason_codes: ['delegation_token_missing', 'matched_rule_allow_delegated_write'] });
  add('policy-11.1-13b-delegation-mismatch', p13, deleg('agent.other'), { verdict: 'block', reason_codes: ['default_block'] });
  const p14 = { default_verdict: 'allow', rules: [{ name: 'allow-delete', effect: 'allow', match: { tool_names: ['tool.delete'] } }] };
  const del = (phase) => withBase({ tool_name: 'tool.delete', context: { phase }, targets: [{ kind: 'path', value: '/tmp/demo.txt', operation: 'delete' }] });
  add('policy-11.1-14-plan-phase', p14, del('plan'), { verdict: 'dry_run', reason_codes: ['matched_rule_allow_delete', 'plan_phase_non_destructive'] });
  add('policy-11.1-14b-apply-phase', p14, del('apply'), { verdict: 'require_approval', reason_codes: ['approval_token_missing', 'destructive_apply_requires_approval', 'matched_rule_allow_delete'] });
  add('policy-11.1-15-script-rollup', { default_verdict: 'allow', scripts: { max_steps: 8, require_approval_above: 1 }, rules: [{ name: 'allow-read', effect: 'allow', match: { tool_names: ['tool.read'] } }, { name: 'approval-write', effect: 'require_approval', min_approvals: 2, match: { tool_names: ['tool.write'] } }] }, withBase({ tool_name: 'script', script: { steps: [{ tool_name: 'tool.read', args: {}, targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }] }, { tool_name: 'tool.write', args: {}, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] }] } }), { verdict: 'require_approval', reason_codes: ['approval_token_missing', 'matched_rule_allow_read', 'matched_rule_approval_write', 'script_step_threshold_approval'] });
  add('policy-11.1-16-context-claims-stripped', { default_verdict: 'block', rules: [{ name: 'allow-with-context-proof', priority: 10, effect: 'allow', require_context_evidence: true, max_context_age_seconds: 30, match: { tool_names: ['tool.write'] } }] }, withBase({ tool_name: 'tool.write', targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }], context: { context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', auth_context: { context_age_seconds: 1 } } }), { verdict: 'block', reason_codes: ['context_evidence_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded', 'context_set_digest_missing', 'matched_rule_allow_with_context_proof'] });
  add('policy-11.1-17-wrkr-context-selectors', { default_verdict: 'allow', rules: [{ name: 'block-wrkr-data-class', effect: 'block', match: { tool_names: ['tool.read'], context_tool_names: ['tool.read'], context_data_classes: ['pii'] } }] }, withBase({ tool_name: 'tool.read', context: { auth_context: { 'wrkr.tool_name': 'tool.read', 'wrkr.data_class': 'pii' } } }), { verdict: 'block', reason_codes: ['matched_rule_block_wrkr_data_class'] });
  add('policy-11.1-18-unknown-discovery', { default_verdict: 'block', rules: [{ name: 'allow_unknown_discovery', effect: 'allow', match: { endpoint_class: ['fs.read'], discovery_method: ['unknown'] } }] }, withBase({ tool_name: 'tool.read', targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' }] }), { verdict: 'allow', reason_codes: ['matched_rule_allow_unknown_discovery'] });
  add('policy-11.1-19-approval-controls', { default_verdict: 'allow', rules: [{ name: 'approval-with-controls', priority: 1, effect: 'require_approval', min_approvals: 2, require_distinct_approvers: true, require_broker_credential: true, broker_reference: 'egress', broker_scopes: ['export'], rate_limit: { requests: 3, window: 'minute', scope: 'tool_identity' }, match: { tool_names: ['tool.write'] } }] }, withBase({ tool_name: 'tool.write' }), { verdict: 'require_approval', reason_codes: ['approval_token_missing', 'matched_rule_approval_with_controls'] });

  // policy.md §11.3: validation failures (each must be an error) and accepted normalizations.
  const bad = [
    ['mcp-trust-min-score', 'mcp_trust:\n  snapshot: ./trust_snapshot.json\n  min_score: 1.2\n'],
    ['mcp-trust-no-snapshot', 'mcp_trust:\n  enabled: true\n'],
    ['default-verdict-nope', 'default_verdict: nope\n'],
    ['default-action-conflict', 'default_verdict: allow\ndefault_action: block\n'],
    ['unknown-field', 'default_verdit: allow\n'],
    ['rule-effect-nope', 'rules:\n  - name: bad-rule\n    effect: nope\n'],
    ['rule-action-conflict', 'rules:\n  - name: r\n    effect: allow\n    action: block\n'],
    ['rule-name-empty', 'rules:\n  - name: ""\n    effect: allow\n'],
    ['required-field-unknown', 'fail_closed:\n  enabled: true\n  required_fields: [targets, unknown]\n'],
    ['rate-limit-scope', 'rules:\n  - name: r\n    effect: allow\n    rate_limit: {requests: 1, scope: unknown}\n'],
    ['rate-limit-window', 'rules:\n  - name: r\n    effect: allow\n    rate_limit: {requests: 1, window: day}\n'],
    ['dataflow-action-allow', 'rules:\n  - name: r\n    effect: allow\n    dataflow: {enabled: true, action: allow}\n'],
    ['endpoint-action-dry-run', 'rules:\n  - name: r\n    effect: allow\n    endpoint: {enabled: true, action: dry_run}\n'],
    ['endpoint-class-invalid', 'rules:\n  - name: r\n    effect: allow\n    match: {endpoint_classes: [net.invalid]}\n'],
    ['discovery-method-unsupported', 'rules:\n  - name: r\n    effect: allow\n    match: {discovery_method: [unsupported]}\n'],
    ['destructive-budget-requests', 'rules:\n  - name: r\n    effect: allow\n    destructive_budget: {window: minute}\n'],
    ['yaml-syntax', 'default_verdict: [\n'],
  ];
  for (const [id, text] of bad) add(`policy-11.3-invalid-${id}`, text, base());
  const accepted = [
    ['tool-names-lowered', 'default_verdict: block\nrules:\n  - name: r\n    effect: allow\n    match: {tool_names: ["Tool.Demo"]}\n'],
    ['workspace-prefix-trimmed', 'default_verdict: block\nrules:\n  - name: r\n    effect: allow\n    match: {workspace_prefixes: [" /repo "]}\n'],
    ['priority-order', 'default_verdict: allow\nrules:\n  - name: allow-read\n    priority: 20\n    effect: allow\n  - name: block-external\n    priority: 10\n    effect: block\n'],
    ['fail-closed-defaults', 'fail_closed: {enabled: true}\n'],
    ['default-action-alias', 'default_action: block\n'],
    ['rule-action-alias', 'default_verdict: allow\nrules:\n  - name: r\n    action: block\n'],
    ['tool-name-alias', 'default_verdict: allow\nrules:\n  - name: r\n    effect: block\n    match: {tool_name: "Tool.Demo"}\n'],
    ['endpoint-class-alias', 'default_verdict: allow\nrules:\n  - name: r\n    effect: block\n    match: {endpoint_class: [proc.exec, fs.delete]}\n'],
    ['mcp-trust-configured', 'mcp_trust:\n  snapshot: ./trust.json\n  min_score: 0.8\n  publisher_allowlist: [Acme]\n  require_registry: true\n'],
  ];
  for (const [id, text] of accepted) add(`policy-11.3-accepted-${id}`, text, base());

  // intent.md §9.
  const e1 = { created_at: '2026-02-05T00:00:00Z', producer_version: '0.0.0-a', tool_name: ' tool.write ', args: { payload: { x: 1, tags: ['alpha', 'beta'] }, path: ' /tmp/out.txt ' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'WRITE' }, { kind: 'host', value: ' api.internal ' }, { kind: 'path', value: '/tmp/out.txt', operation: 'write' }], arg_provenance: [{ arg_path: 'args.payload', source: 'TOOL_OUTPUT', source_ref: 'trace_2' }, { arg_path: 'args.path', source: 'user' }], context: { identity: 'alice', workspace: '/repo/work', risk_class: 'HIGH', session_id: 's1' } };
  const allowAll = 'default_verdict: allow\n';
  add('intent-9-E1-equivalence-a', allowAll, e1, { intent_digest: '2bae77d908ce5435fba6a8a4417be8718571f5d68bd89c67d548e791cc3771ca' });
  add('intent-9-E1-equivalence-b', allowAll, { ...e1, created_at: '2026-03-05T00:00:00Z', tool_name: 'tool.write', context: { ...e1.context, risk_class: ' high ' }, targets: [...e1.targets].reverse(), arg_provenance: [...e1.arg_provenance].reverse() }, { intent_digest: '2bae77d908ce5435fba6a8a4417be8718571f5d68bd89c67d548e791cc3771ca' });
  add('intent-9-E1-different', allowAll, { ...e1, args: { ...e1.args, payload: { x: 2, tags: ['alpha', 'beta'] } } }, { intent_digest: '66ab8932ca394f4074931904515d6acdaf0af8cf2c76fb643d220bff4174f8db' });
  add('intent-9-E2-messy-input', allowAll, { tool_name: ' tool.write ', args: { ' path ': ' /tmp/out.txt ', options: { ' mode ': ' append ' } }, targets: [{ kind: 'path', value: '/tmp/out.txt' }, { kind: ' path ', value: ' /tmp/out.txt ' }, { kind: 'host', value: ' api.internal ' }], arg_provenance: [{ arg_path: 'args.path', source: 'user' }, { arg_path: 'args.path', source: 'user' }, { arg_path: 'args.options', source: 'external', integrity_digest: 'A'.repeat(64) }], context: { identity: 'alice', workspace: 'C:\\repo\\gait', risk_class: ' HIGH ', session_id: 's1', request_id: 'req-1', environment_fingerprint: 'env:prod-us-east-1', credential_scopes: [' tools.read ', 'tools.write', 'tools.read'], auth_context: { provider: ' oidc ', claims: { tenant: ' acme ' } } } }, { intent_digest: 'ce2a9db3d905be1f1d998c5ab473b01a1b2754f65b4288afe62c0979d99b550d' });
  add('intent-9-E3-endpoint-classification', allowAll, withBase({ tool_name: 'tool.exec', targets: [{ kind: 'host', value: 'api.internal', operation: 'dns' }, { kind: 'other', value: 'shell', operation: 'exec' }, { kind: 'path', value: '/tmp/in.txt', operation: 'read' }, { kind: 'path', value: '/tmp/out.txt', operation: 'delete' }, { kind: 'path', value: '/tmp/out.txt', operation: 'write' }, { kind: 'url', value: 'https://example.com/path' }] }));
  const e4 = (pad) => withBase({ tool_name: pad ? ' script ' : 'script', script: { steps: [{ tool_name: pad ? ' tool.read ' : 'tool.read', args: pad ? { opts: { follow: true }, path: '/tmp/in.txt' } : { path: '/tmp/in.txt', opts: { follow: true } }, targets: [{ kind: 'path', value: pad ? ' /tmp/in.txt ' : '/tmp/in.txt', operation: 'read' }, { kind: 'path', value: '/tmp/in.txt', operation: 'read' }] }, { tool_name: 'tool.write', args: {}, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] }] } });
  add('intent-9-E4-script-digest-a', allowAll, e4(false));
  add('intent-9-E4-script-digest-b', allowAll, e4(true));
  add('intent-9-E4-script-hash-single-step', allowAll, withBase({ script: { steps: [{ tool_name: 'tool.read', args: { path: '/tmp/in.txt' } }] } }), { script_hash: '519348d78652c720ca8c493f800a4e256d92610246fd7257601bcdb08275f9a9' });
  add('intent-9-E5-delegation-digest', allowAll, withBase({ delegation: { requester_identity: ' agent.specialist ', scope_class: ' WRITE ', token_refs: [' token_b ', 'token_a', 'token_a'], chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write', token_ref: 'token_b' }] } }), undefined);
  add('intent-9-E5-chain-discontinuity', allowAll, withBase({ delegation: { requester_identity: 'agent.worker', chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.manager' }, { delegator_identity: 'agent.other', delegate_identity: 'agent.worker' }] } }), { error: 'normalize intent: delegation.chain[1] delegator_identity must match delegation.chain[0].delegate_identity' });
  add('intent-9-E5-chain-requester-mismatch', allowAll, withBase({ delegation: { requester_identity: 'agent.worker', chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.manager' }] } }), { error: 'normalize intent: delegation.chain last delegate_identity must match delegation.requester_identity' });
  for (const name of ['allow', 'block', 'require_approval']) {
    add(`intent-9-E6-policy-test-${name}`, readFileSync(EXAMPLES + `policy-test/${name}.yaml`, 'utf8'), readFileSync(EXAMPLES + 'policy-test/intent.json', 'utf8'), { intent_digest: 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e' });
  }
  for (const level of ['low', 'medium', 'high']) {
    for (const name of ['read', 'write', 'delete', 'tainted_egress', 'delegated_egress_valid', 'delegated_egress_invalid']) {
      add(`intent-9-E7-${level}-${name}`, readFileSync(EXAMPLES + `policy/base_${level}_risk.yaml`, 'utf8'), readFileSync(EXAMPLES + `policy/intents/intent_${name}.json`, 'utf8'));
    }
  }
  const p8 = { default_verdict: 'allow', rules: [{ name: 'allow-delete', effect: 'allow', match: { tool_names: ['tool.delete'] } }] };
  add('intent-9-E8-plan', p8, withBase({ tool_name: 'tool.delete', context: { phase: 'plan' }, targets: [{ kind: 'path', value: '/tmp/demo.txt', operation: 'delete' }] }), { intent_digest: 'c830e59e1b3b485b7adf23c00702948725d4686d19d3264c69bece1a3ce7d025', verdict: 'dry_run' });
  add('intent-9-E8-apply', p8, withBase({ tool_name: 'tool.delete', context: { phase: 'apply' }, targets: [{ kind: 'path', value: '/tmp/demo.txt', operation: 'delete' }] }), { intent_digest: '9c471ae38c87d8f87d4683f58d2b5c693836dc8fdb826df12905ea1f320e4443', verdict: 'require_approval' });
  const e10 = { tool_name: 'script', script: { steps: [{ tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' }] }, { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write', endpoint_class: 'fs.write' }] }] }, context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'medium' } };
  add('intent-9-E10-max-steps', { default_verdict: 'allow', scripts: { max_steps: 1 } }, e10, { verdict: 'block', reason_codes: ['default_allow', 'script_max_steps_exceeded'] });
  add('intent-9-E10-mixed-risk', { default_verdict: 'allow', scripts: { block_mixed_risk: true } }, e10, { verdict: 'block', reason_codes: ['default_allow', 'script_mixed_risk_blocked'] });
  add('intent-9-E10-threshold', { default_verdict: 'allow', scripts: { require_approval_above: 1 } }, e10, { verdict: 'require_approval', reason_codes: ['approval_token_missing', 'default_allow', 'script_step_threshold_approval'] });
  add('intent-9-E11-no-inventory', { default_verdict: 'allow', scripts: { max_steps: 8 }, rules: [{ name: 'block_wrkr_secret_write', priority: 1, effect: 'block', match: { tool_names: ['tool.write'], context_data_classes: ['secret'] }, reason_codes: ['wrkr_secret_write_blocked'], violations: ['wrkr_secret_write_blocked'] }, { name: 'require_write_approval', priority: 10, effect: 'require_approval', match: { tool_names: ['tool.write'] }, reason_codes: ['approval_required_write'] }] }, { ...e10, context: { ...e10.context, risk_class: 'high' } }, { verdict: 'require_approval' });
  for (const [p, i] of [['allow_safe_endpoints', 'intent_allow'], ['block_denied_endpoints', 'intent_block'], ['require_approval_destructive', 'intent_destructive'], ['allow_safe_endpoints', 'intent_block']]) {
    add(`intent-9-E13-${p}-${i}`, readFileSync(EXAMPLES + `policy/endpoint/${p}.yaml`, 'utf8'), readFileSync(EXAMPLES + `policy/endpoint/fixtures/${i}.json`, 'utf8'));
  }
  add('intent-9-E19-claims-stripped', readFileSync(EXAMPLES + 'policy-test/require_approval.yaml', 'utf8'), JSON.stringify({ ...JSON.parse(readFileSync(EXAMPLES + 'policy-test/intent.json', 'utf8')), context: { ...JSON.parse(readFileSync(EXAMPLES + 'policy-test/intent.json', 'utf8')).context, context_set_digest: 'A'.repeat(64), context_evidence_mode: 'Required' } }, null, 2));
  return cases;
}


// ---------------------------------------------------------------------------------------------
// Coverage: what the corpus must exercise, checked against the reference results.

const REQUIRED_REASON_CODES = [
  'default_allow', 'default_block', 'default_dry_run', 'default_require_approval',
  'fail_closed_missing_targets', 'fail_closed_missing_arg_provenance', 'fail_closed_missing_endpoint_class',
  'fail_closed_missing_delegation', 'fail_closed_endpoint_class_unknown', 'fail_closed_intent_invalid', 'context_evidence_missing',
  'dataflow_tainted_destination', 'endpoint_path_denied', 'endpoint_path_not_allowlisted', 'endpoint_domain_denied',
  'endpoint_domain_not_allowlisted', 'endpoint_egress_class_not_allowed', 'endpoint_destructive_operation', 'endpoint_constraint_violation',
  'context_set_digest_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded',
  'plan_phase_non_destructive', 'destructive_apply_requires_approval',
  'script_max_steps_exceeded', 'script_step_threshold_approval', 'script_mixed_risk_blocked',
  'approval_token_missing', 'delegation_token_missing', 'broker_credential_required',
];

/** What the enforcement cases must reach: each token, registry, limit and simulate outcome. */
const ENFORCE_REASON_CODES = [
  'approval_granted', 'approval_token_missing', 'delegation_granted', 'delegation_token_missing', 'approved_script_match',
  'rate_limit_exceeded', 'destructive_budget_exceeded', 'simulate_mode_non_enforcing', 'fail_closed_intent_invalid',
];

export function coverage(cases) {
  const problems = [];
  const codes = new Set();
  const verdicts = new Set();
  let errors = 0;
  for (const c of cases) {
    const r = c.result;
    if (r.error !== undefined) errors++;
    if (r.verdict) verdicts.add(r.verdict);
    for (const code of r.reason_codes ?? []) codes.add(code);
    for (const s of r.step_verdicts ?? []) {
      verdicts.add(`step:${s.verdict}`);
      for (const code of s.reason_codes ?? []) codes.add(code);
    }
  }
  for (const code of REQUIRED_REASON_CODES) if (!codes.has(code)) problems.push(`no case yields reason code ${code}`);
  for (const v of VERDICTS) {
    if (!verdicts.has(v)) problems.push(`no case yields verdict ${v}`);
    if (!verdicts.has(`step:${v}`)) problems.push(`no script step yields verdict ${v}`);
  }
  for (const selector of SELECTOR_NAMES) {
    const mine = cases.filter((c) => c.covers === selector);
    const hit = mine.filter((c) => (c.result.matched_rule ?? '').split(',').includes(c.rule));
    if (hit.length === 0) problems.push(`selector ${selector}: no case matches its rule`);
    if (hit.length === mine.length) problems.push(`selector ${selector}: no case misses its rule`);
  }
  const enforced = new Set(cases.filter((c) => c.enforce).flatMap((c) => c.result.runs.flatMap((r) => r.result?.reason_codes ?? [])));
  for (const code of ENFORCE_REASON_CODES) if (!enforced.has(code)) problems.push(`no enforcement case yields reason code ${code}`);
  const invalidPolicies = cases.filter((c) => c.group === 'generated/invalid-policy');
  for (const c of invalidPolicies) if (c.result.error === undefined) problems.push(`${c.id}: an invalid policy was accepted`);
  for (const c of cases) {
    if (!c.expect) continue;
    for (const [k, v] of Object.entries(c.expect)) {
      // Lists are "contains" checks: the gate adds token and broker codes to the evaluator's.
      const ok = Array.isArray(v) ? v.every((x) => (c.result[k] ?? []).includes(x)) : JSON.stringify(c.result[k]) === JSON.stringify(v);
      if (!ok) {
        problems.push(`${c.id}: expected ${k} ${JSON.stringify(v)}, got ${JSON.stringify(c.result[k])}`);
      }
    }
  }
  const generated = cases.filter((c) => c.group.startsWith('generated/')).length;
  if (generated < 200) problems.push(`only ${generated} generated cases`);
  return { problems, summary: { cases: cases.length, generated, errors, reason_codes: codes.size } };
}

// ---------------------------------------------------------------------------------------------

export function buildCases() {
  const cases = [...fixtureCases(), ...specCases(), ...generatedCases()];
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}

/** The corpus file: one JSON object per line, keys in a fixed order. */
export function corpusText(cases) {
  return cases.map((c) => JSON.stringify({ id: c.id, group: c.group, ...(c.covers ? { covers: c.covers, rule: c.rule } : {}), ...(c.expect ? { expect: c.expect } : {}), policy: c.policy, intent: c.intent, ...(c.enforce ? { enforce: c.enforce } : {}), result: c.result })).join('\n') + '\n';
}

async function main() {
  const check = process.argv.includes('--check');
  const api = await import('../dist/bundle/node.js');
  const run = caseRunner(api);
  const cases = [...buildCases(), ...(await enforceCases(api))];
  for (const c of cases) c.result = JSON.parse(await run(c));
  const { problems, summary } = coverage(cases);
  for (const p of problems) console.error(`coverage: ${p}`);
  if (problems.length) process.exit(1);
  const text = corpusText(cases);
  if (check) {
    const current = existsSync(CORPUS) ? readFileSync(CORPUS, 'utf8') : '';
    if (current !== text) {
      console.error('conformance/corpus.jsonl is stale: run `node conformance/generate.mjs` and review the diff');
      process.exit(1);
    }
    console.log(`corpus.jsonl is current: ${JSON.stringify(summary)}`);
    return;
  }
  writeFileSync(CORPUS, text);
  console.log(`wrote ${CORPUS}: ${JSON.stringify(summary)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
