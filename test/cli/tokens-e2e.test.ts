// Signed approvals, delegation chains and the approved-script registry through gate eval
// (cli.md §12.1, §12.3, §12.4; intent.md §9 E18; signed_artifacts.md §8).
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';
import { mintApprovalToken, serializeApprovalToken, mintDelegationToken, serializeDelegationToken, mintRegistryEntry, serializeRegistry } from '../../bindings/tokens/index.js';
import { parsePrivateKey } from '../../bindings/crypto/keys.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-tokens-'));
const write = (dir: string, name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const APPROVAL_PUBLIC = FIXTURES + 'scenarios/keys/approval_public.key';
const APPROVAL_PRIVATE = FIXTURES + 'scenarios/keys/approval_private.key';
const approvalKey = () => parsePrivateKey(readFileSync(APPROVAL_PRIVATE, 'utf8'));
const NOW = '2026-03-01T00:00:00Z';

// scenarios/gait/approval-token-valid/intent.json (intent.md §9 E18)
const scenarioIntent = {
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
  tool_name: 'tool.write', args: { path: '/tmp/approve-valid.txt' },
  targets: [{ kind: 'path', value: '/tmp/approve-valid.txt', operation: 'write', endpoint_class: 'fs.write' }],
  arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'agent.scenario', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-tier11' },
};

describe('approval tokens', () => {
  it('approval-token-valid scenario: Gait\'s signed token grants (E18)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', 'default_verdict: require_approval\n');
    const intent = write(dir, 'intent.json', scenarioIntent);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', FIXTURES + 'signed/approval_token_valid.json', '--approval-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.verdict).toBe('allow');
    expect(r.json.reason_codes).toEqual(['approval_granted', 'default_require_approval']);
    expect(r.json.approval_ref).toBe('ec44f8948261811d131eb04a');
    expect(r.json.required_approvals).toBe(1);
    expect(r.json.valid_approvals).toBe(1);
    expect(r.json.intent_digest).toBe('4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913');
    expect(r.json.trace_id).toBe('8a640148677956eba29ff9cf');
    const audit = JSON.parse(readFileSync(path.join(dir, r.json.approval_audit_path), 'utf8'));
    expect(audit).toMatchObject({ schema_id: 'gait.gate.approval_audit_record', required_approvals: 1, valid_approvals: 1, approved: true });
    expect(audit.entries[0]).toMatchObject({ token_id: 'ec44f8948261811d131eb04a', approver_identity: 'human.reviewer', valid: true });
  });

  it('approve then eval; a token for another intent is rejected (TestCLIApproveAndGateRequireApprovalFlow)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', 'default_verdict: require_approval\nrules:\n  - name: require-approval-write\n    effect: require_approval\n    match:\n      tool_names: [tool.write]\n    reason_codes: [approval_required]\n');
    const intent = write(dir, 'intent.json', scenarioIntent);
    const first = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(first.exit).toBe(4);
    expect(first.json.reason_codes).toContain('approval_token_missing');
    expect(existsSync(path.join(dir, first.json.approval_audit_path))).toBe(true);
    const mint = async (intentDigest: string, approver: string) =>
      serializeApprovalToken(await mintApprovalToken({
        intentDigest, policyDigest: first.json.policy_digest, ttl: '1h', scope: ['tool:tool.write'], approver,
        reasonCode: 'change_ticket', now: new Date(), privateKey: approvalKey(),
      }));
    const good = write(dir, 'token.json', await mint(first.json.intent_digest, 'alice'));
    const ok = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', good, '--approval-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(ok.exit).toBe(0);
    expect(ok.json.reason_codes).toContain('approval_granted');
    expect(ok.json.approval_ref).toBe(JSON.parse(readFileSync(good, 'utf8')).token_id);
    const wrong = write(dir, 'wrong.json', await mint('f'.repeat(64), 'alice'));
    const bad = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', wrong, '--approval-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(bad.exit).toBe(4);
    expect(bad.json.reason_codes).toContain('approval_token_intent_mismatch');
    // Without a verify key, tokens are checked against the (ephemeral) trace key and fail.
    const noKey = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', good, '--json'], { cwd: dir });
    expect(noKey.exit).toBe(4);
    expect(noKey.json.reason_codes).toContain('approval_token_signature_invalid');
    // A token file that is not JSON is invalid input.
    const junk = write(dir, 'junk.json', 'not json');
    expect((await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-token', junk, '--approval-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir })).exit).toBe(6);
  });

  it('two distinct approvers, with and without --simulate (TestGateEvalApprovalChainAndSimulation)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', 'default_verdict: allow\nrules:\n  - name: two-approvers\n    effect: require_approval\n    min_approvals: 2\n    match:\n      tool_names: [tool.write]\n');
    const intent = write(dir, 'intent.json', scenarioIntent);
    const probe = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(probe.json.required_approvals).toBe(2);
    const token = async (approver: string, name: string) => write(dir, name, serializeApprovalToken(await mintApprovalToken({
      intentDigest: probe.json.intent_digest, policyDigest: probe.json.policy_digest, ttl: '1h', scope: ['tool:tool.write'],
      approver, reasonCode: 'ok', now: new Date(), privateKey: approvalKey(),
    })));
    const alice = await token('alice', 'alice.json');
    const bob = await token('bob', 'bob.json');
    const alice2 = await token('alice', 'alice2.json');
    const args = ['gate', 'eval', '--policy', policy, '--intent', intent, '--approval-private-key', APPROVAL_PRIVATE, '--json'];
    const one = await gait([...args, '--approval-token', alice], { cwd: dir });
    expect(one.exit).toBe(4);
    expect(one.json.reason_codes).toContain('approval_chain_insufficient');
    const two = await gait([...args, '--approval-token', alice, '--approval-token-chain', bob], { cwd: dir });
    expect(two.exit).toBe(0);
    expect(two.json.valid_approvals).toBe(2);
    const same = await gait([...args, '--approval-token', alice, '--approval-token-chain', alice2], { cwd: dir });
    expect(same.exit).toBe(4);
    expect(same.json.reason_codes).toContain('approval_distinct_approvers_required');
    const sim = await gait([...args, '--approval-token', alice, '--simulate'], { cwd: dir });
    expect(sim.exit).toBe(0);
    expect(sim.json.simulated_verdict).toBe('require_approval');
  });
});

describe('delegation tokens', () => {
  const depth3Policy = `default_verdict: block
rules:
  - name: allow-delegated-write
    effect: allow
    match:
      tool_names: [tool.write]
      require_delegation: true
      allowed_delegator_identities: [agent.lead, agent.manager, agent.senior]
      allowed_delegate_identities: [agent.manager, agent.senior, agent.worker]
      delegation_scopes: [write]
      max_delegation_depth: 3
`;
  const refs = ['694428976ab1b10859171a05', '7e37847cf7d9320eb0854cc8', '8a715283a36e6b05e9287e12'];
  const depth3Intent = {
    tool_name: 'tool.write', args: { path: '/tmp/delegated.txt' },
    targets: [{ kind: 'path', value: '/tmp/delegated.txt', operation: 'write', endpoint_class: 'fs.write' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    delegation: {
      requester_identity: 'agent.worker', scope_class: 'write', token_refs: refs,
      chain: [
        { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager', scope_class: 'write', token_ref: refs[0] },
        { delegator_identity: 'agent.manager', delegate_identity: 'agent.senior', scope_class: 'write', token_ref: refs[1] },
        { delegator_identity: 'agent.senior', delegate_identity: 'agent.worker', scope_class: 'write', token_ref: refs[2] },
      ],
    },
    context: { identity: 'agent.worker', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-tier11' },
  };

  it('delegation-chain-depth-3 scenario: Gait\'s three signed tokens grant; a missing hop blocks', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', depth3Policy);
    const intent = write(dir, 'intent.json', depth3Intent);
    const t = (i: number) => FIXTURES + `signed/delegation_token_${i}.json`;
    const base = ['gate', 'eval', '--policy', policy, '--intent', intent, '--delegation-public-key', FIXTURES + 'signed/delegation_public.key', '--json'];
    const r = await gait([...base, '--delegation-token', t(1), '--delegation-token-chain', `${t(2)},${t(3)}`], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.verdict).toBe('allow');
    expect(r.json.valid_delegations).toBe(3);
    expect(r.json.reason_codes).toContain('delegation_granted');
    expect(r.json.delegation_ref).toBe(refs.join(','));
    const trace = JSON.parse(readFileSync(path.join(dir, r.json.trace_path), 'utf8'));
    expect(trace.delegation_ref).toMatchObject({ requester_identity: 'agent.worker', delegation_depth: 3, chain_digest: 'cacd63947af15d0850bb55ddf8573def88204d13f4bc8290141003635e04dc08' });
    const partial = await gait([...base, '--delegation-token', t(1), '--delegation-token-chain', t(3)], { cwd: dir });
    expect(partial.exit).toBe(3);
    expect(partial.json.verdict).toBe('block');
    expect(partial.json.reason_codes).toEqual(expect.arrayContaining(['delegation_chain_insufficient', 'delegation_token_missing']));
    expect(partial.json.violations).toContain('delegation_not_granted');
    const none = await gait(base, { cwd: dir });
    expect(none.exit).toBe(3);
    expect(none.json.reason_codes).toContain('delegation_token_missing');
    expect(existsSync(path.join(dir, none.json.delegation_audit_path))).toBe(true);
  });

  it('delegate then eval; scope mismatch blocks (TestCLIDelegateAndGateRequireDelegationFlow, ScopeMismatch)', async () => {
    const dir = tempDir();
    const policy = write(dir, 'policy.yaml', `default_verdict: block
rules:
  - name: allow-delegated-write
    effect: allow
    match:
      tool_names: [tool.write]
      require_delegation: true
      allowed_delegator_identities: [agent.lead]
      allowed_delegate_identities: [agent.specialist]
      delegation_scopes: [write]
`);
    const intent = write(dir, 'intent.json', {
      ...depth3Intent,
      delegation: { requester_identity: 'agent.specialist', scope_class: 'write', chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write' }] },
      context: { identity: 'agent.specialist', workspace: '/repo/gait', risk_class: 'high' },
    });
    const token = async (scope: string, scopeClass: string, name: string) => write(dir, name, serializeDelegationToken(await mintDelegationToken({
      delegator: 'agent.lead', delegate: 'agent.specialist', scope: [scope], scopeClass, ttl: '1h', now: new Date(), privateKey: approvalKey(),
    })));
    const args = ['gate', 'eval', '--policy', policy, '--intent', intent, '--delegation-public-key', APPROVAL_PUBLIC, '--json'];
    const ok = await gait([...args, '--delegation-token', await token('tool:tool.write', 'write', 'ok.json')], { cwd: dir });
    expect(ok.exit, ok.stdout).toBe(0);
    expect(ok.json.reason_codes).toContain('delegation_granted');
    const mismatch = await gait([...args, '--delegation-token', await token('tool:tool.read', 'read', 'read.json')], { cwd: dir });
    expect(mismatch.exit).toBe(3);
    expect(mismatch.json.valid_delegations).toBeUndefined();
    expect(mismatch.json.reason_codes).toContain('delegation_token_scope_mismatch');
  });
});

describe('approved-script registry', () => {
  const script = {
    tool_name: 'script', args: {},
    script: { steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write' }] },
    ] },
    context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
  };
  const policyYaml = 'default_verdict: allow\nrules:\n  - name: require_write_approval\n    priority: 10\n    effect: require_approval\n    match:\n      tool_names: [tool.write]\n    reason_codes: [approval_required_write]\n';

  async function registry(dir: string, tamper: boolean) {
    const policy = write(dir, 'policy.yaml', policyYaml);
    const intent = write(dir, 'intent.json', script);
    const probe = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(probe.exit).toBe(4);
    const entry = await mintRegistryEntry({
      policyDigest: probe.json.policy_digest, scriptHash: probe.json.script_hash, toolSequence: ['tool.read', 'tool.write'],
      approver: 'secops', now: new Date(), privateKey: approvalKey(),
    });
    if (tamper) entry.script_hash = 'f'.repeat(64);
    return { policy, intent, reg: write(dir, 'registry.json', serializeRegistry({ entries: [entry] })) };
  }

  it('a signed matching entry pre-approves the script', async () => {
    const dir = tempDir();
    const { policy, intent, reg } = await registry(dir, false);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', reg, '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ verdict: 'allow', pre_approved: true, registry_reason: 'approved_script_match', reason_codes: ['approved_script_match'] });
    expect(r.json.pattern_id).toBeTruthy();
    expect(r.json.step_verdicts.map((s: any) => s.reason_codes)).toEqual([['approved_script_match'], ['approved_script_match']]);
  });

  it('a tampered entry fails closed at high risk (approved-registry-signature-mismatch-high-risk)', async () => {
    const dir = tempDir();
    const { policy, intent, reg } = await registry(dir, true);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', reg, '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(r.exit).toBe(3);
    expect(r.json.ok).toBe(false);
    expect(r.json.error).toContain('approved script registry verification failed at entry 0');
    // Low risk: the fast path is disabled with a warning, never an implicit allow.
    const low = write(dir, 'low.json', { ...script, context: { ...script.context, risk_class: 'low' } });
    const w = await gait(['gate', 'eval', '--policy', policy, '--intent', low, '--approved-script-registry', reg, '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(w.exit).toBe(4);
    expect(w.json.warnings).toContain('approved script registry entry failed verification; fast-path disabled');
    expect(w.json.pre_approved).toBeUndefined();
    // No verify key at high risk also fails closed; a missing registry file is an empty one (§5.5),
    // which disables the fast path: no registry_reason (Gait v1.3.6, issue 10 S05).
    const noKey = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', reg, '--json'], { cwd: dir });
    expect(noKey.exit).toBe(3);
    expect(noKey.json.error).toBe('approved script registry verification unavailable in fail-closed mode: verify key required');
    const missing = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', path.join(dir, 'nope.json'), '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(missing.exit).toBe(4);
    expect('registry_reason' in missing.json).toBe(false);
    const broken = write(dir, 'broken.json', '{"entries": 5}');
    const unreadable = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', broken, '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(unreadable.exit).toBe(3);
    expect(unreadable.json.error).toMatch(/^approved script registry unavailable in fail-closed mode/);
  });
});
