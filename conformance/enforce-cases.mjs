// The corpus's enforcement cases: `gate.enforce` (the whole `gait gate eval` pipeline) with
// approval and delegation tokens, an approved-script registry, limits on a memory store,
// simulate and profiles. Everything is fixed: the signing key (the test fixture key), the
// evaluation time and the clock, so traces are byte-identical in every runtime. Tokens and
// registry entries are minted here with the library (fixed key and time: deterministic bytes)
// and stored in the case, so each runtime verifies the same artifacts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const SIGNING_KEY = readFileSync(here('../test/fixtures/gait/scenarios/keys/approval_private.key'), 'utf8').trim();
export const VERIFY_KEY = readFileSync(here('../test/fixtures/gait/scenarios/keys/approval_public.key'), 'utf8').trim();
const NOW = '2026-03-01T00:00:10Z';
const MINTED = '2026-03-01T00:00:00Z';

const intent = (over = {}) => ({
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-1' },
  ...over,
});
const rule = (r) => ({ name: 'r', effect: 'allow', match: { tool_names: ['tool.write'] }, ...r });
const policy = (rules, extra = {}) => YAML.stringify({ default_verdict: 'block', ...extra, rules });

/** Cases as { id, group, policy, intent, enforce }; `api` is the built Node entry (for minting). */
export async function enforceCases(api) {
  const key = api.parsePrivateKey(SIGNING_KEY);
  const cases = [];
  const add = (id, policyText, intentValue, enforce) =>
    cases.push({ id: `enforce/${id}`, group: 'enforce', policy: policyText, intent: JSON.stringify(intentValue), enforce: { signing_key: SIGNING_KEY, now: NOW, clock: NOW, runs: 1, ...enforce } });
  const digests = (policyText, intentValue) => {
    const gate = api.createGate(policyText);
    try {
      const e = gate.evaluate(JSON.stringify(intentValue));
      return { policyDigest: e.policy_digest, intentDigest: e.intent_digest, scriptHash: e.script_hash };
    } finally {
      gate.dispose();
    }
  };

  // Limits on the memory store: the third call in one window is over the limit.
  add('rate-limit-three-runs', policy([rule({ name: 'allow-write', rate_limit: { requests: 2, window: 'minute', scope: 'tool_identity' } })]), intent(), { runs: 3 });
  add('destructive-budget-two-runs', policy([rule({ name: 'allow-delete', match: { tool_names: ['tool.delete'] }, destructive_budget: { requests: 1, window: 'hour', scope: 'identity' } })]),
    intent({ tool_name: 'tool.delete', targets: [{ kind: 'path', value: '/tmp/x', operation: 'delete', endpoint_class: 'fs.delete' }] }), { runs: 2 });

  // Approval tokens.
  const approvalPolicy = policy([rule({ name: 'approve-write', effect: 'require_approval', reason_codes: ['approval_required'] })]);
  const twoApprovals = policy([rule({ name: 'approve-write-twice', effect: 'require_approval', min_approvals: 2 })]);
  const d = digests(approvalPolicy, intent());
  const token = async (over = {}) => api.serializeApprovalToken(await api.mintApprovalToken({
    intentDigest: d.intentDigest, policyDigest: d.policyDigest, ttl: '1h', scope: ['tool:tool.write'], approver: 'bob', reasonCode: 'reviewed',
    now: MINTED, privateKey: key, ...over,
  }));
  add('approval-missing', approvalPolicy, intent(), {});
  add('approval-granted', approvalPolicy, intent(), { approval: { tokens: [await token()], verify_key: VERIFY_KEY } });
  add('approval-granted-by-trace-key', approvalPolicy, intent(), { approval: { tokens: [await token()] } });
  add('approval-wrong-intent', approvalPolicy, intent(), { approval: { tokens: [await token({ intentDigest: 'a'.repeat(64) })], verify_key: VERIFY_KEY } });
  add('approval-expired', approvalPolicy, intent(), { now: '2026-03-01T02:00:00Z', approval: { tokens: [await token()], verify_key: VERIFY_KEY } });
  add('approval-wrong-scope', approvalPolicy, intent(), { approval: { tokens: [await token({ scope: ['tool:tool.read'] })], verify_key: VERIFY_KEY } });
  add('approval-ref-echoed', approvalPolicy, intent(), { approval: { token_ref: '  ticket-42 ' } });
  const d2 = digests(twoApprovals, intent());
  const token2 = async (approver) => api.serializeApprovalToken(await api.mintApprovalToken({
    intentDigest: d2.intentDigest, policyDigest: d2.policyDigest, ttl: '1h', scope: ['tool:tool.write'], approver, reasonCode: 'reviewed', now: MINTED, privateKey: key,
  }));
  add('approval-two-same-approver', twoApprovals, intent(), { approval: { tokens: [await token2('bob'), await token2('bob')], verify_key: VERIFY_KEY } });
  add('approval-two-distinct', twoApprovals, intent(), { approval: { tokens: [await token2('bob'), await token2('carol')], verify_key: VERIFY_KEY } });

  // Delegation tokens.
  const delegationPolicy = policy([rule({
    name: 'allow-delegated-write',
    match: { tool_names: ['tool.write'], require_delegation: true, allowed_delegator_identities: ['agent.lead'], allowed_delegate_identities: ['alice'], delegation_scopes: ['write'], max_delegation_depth: 2 },
  })]);
  const delegated = (refs) => intent({ delegation: { requester_identity: 'alice', scope_class: 'write', token_refs: refs, chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'alice', scope_class: 'write', token_ref: refs[0] ?? '' }] } });
  const delegationToken = await api.mintDelegationToken({ delegator: 'agent.lead', delegate: 'alice', scope: ['write'], scopeClass: 'write', ttl: '1h', now: MINTED, privateKey: key });
  add('delegation-missing', delegationPolicy, delegated([delegationToken.token_id]), {});
  add('delegation-granted', delegationPolicy, delegated([delegationToken.token_id]), { delegation: { tokens: [api.serializeDelegationToken(delegationToken)], verify_key: VERIFY_KEY } });
  add('delegation-verified-by-approval-key', delegationPolicy, delegated([delegationToken.token_id]), { approval: { verify_key: VERIFY_KEY }, delegation: { tokens: [api.serializeDelegationToken(delegationToken)] } });

  // The approved-script registry.
  const scriptPolicy = policy([rule({ name: 'approve-writes', effect: 'require_approval', reason_codes: ['approval_required_write'] })], { default_verdict: 'allow' });
  const script = intent({
    tool_name: 'script', args: {}, targets: undefined,
    script: { steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/in.txt' }, targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] },
    ] },
  });
  const ds = digests(scriptPolicy, script);
  const entry = await api.mintRegistryEntry({ policyDigest: ds.policyDigest, scriptHash: ds.scriptHash, toolSequence: ['tool.read', 'tool.write'], approver: 'secops', now: MINTED, privateKey: key });
  add('registry-pre-approved', scriptPolicy, script, { approved_scripts: { registry: api.serializeRegistry({ entries: [entry] }), verify_key: VERIFY_KEY } });
  add('registry-no-verify-key', scriptPolicy, script, { approved_scripts: { registry: api.serializeRegistry({ entries: [entry] }) } });
  add('registry-tampered-fail-closed', scriptPolicy, script, { approved_scripts: { registry: api.serializeRegistry({ entries: [{ ...entry, script_hash: 'f'.repeat(64) }] }), verify_key: VERIFY_KEY } });

  // Simulate and profiles.
  add('simulate-block', policy([]), intent(), { simulate: true });
  add('oss-prod-high-risk-without-broker', policy([rule({ name: 'allow-write', match: { tool_names: ['tool.write'], risk_classes: ['high'] } })]), intent(), { profile: 'oss-prod' });
  add('oss-prod-block', policy([]), intent(), { profile: 'oss-prod' });
  add('fail-closed-invalid-intent', YAML.stringify({ default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'] } }), intent({ targets: [{ kind: 'nope', value: 'x' }] }), {});
  return cases;
}
