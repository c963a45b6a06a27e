// `gait approve-script` and `gait list-scripts` (signed_artifacts.md §5.1-§5.4, §5.6, §7, §8 item 4).
import { mkdtempSync, writeFileSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';
import { parseRegistry, verifyRegistry } from '../../bindings/tokens/index.js';
import { parsePublicKey } from '../../bindings/crypto/keys.js';
import { VERSION } from '../../bindings/version.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-scripts-'));
const write = (dir: string, name: string, content: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const APPROVAL_PUBLIC = FIXTURES + 'scenarios/keys/approval_public.key';
const APPROVAL_PRIVATE = FIXTURES + 'scenarios/keys/approval_private.key';

// The two-step script of approved-registry-signature-mismatch-high-risk (§8 item 4).
const scriptIntent = {
  tool_name: 'script', args: {},
  script: { steps: [
    { tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' }] },
    { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write', endpoint_class: 'fs.write' }] },
  ] },
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
};
// §8 item 4: the script's hash under the current normalization (targets get discovery_method "unknown").
const SCRIPT_HASH = '4a132cd1a51cc226c73b0cbae9528905fbbaa80b7fe06bb632a62d9647001c11';
// §2.5: digest of a policy holding only `default_verdict: require_approval`.
const POLICY_YAML = 'default_verdict: require_approval\n';
const POLICY_DIGEST = '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9';

function setup() {
  const dir = tempDir();
  return { dir, policy: write(dir, 'policy.yaml', POLICY_YAML), intent: write(dir, 'intent.json', scriptIntent) };
}

const prod = ['--key-mode', 'prod', '--private-key', APPROVAL_PRIVATE];

function expectInvalid(r: { exit: number; json: Record<string, any> }, error: string | RegExp) {
  expect(r.exit, JSON.stringify(r.json)).toBe(6);
  expect(r.json).toMatchObject({ ok: false, error_code: 'invalid_input', error_category: 'invalid_input', hint: 'check command usage and input schema', retryable: false });
  if (typeof error === 'string') expect(r.json.error).toBe(error);
  else expect(r.json.error).toMatch(error);
}

describe('gait approve-script', () => {
  it('--help/-h exit 0 with usage; --explain prints the sentence', async () => {
    for (const args of [['approve-script', '--help'], ['approve-script', '-h', '--json'], ['list-scripts', '--help'], ['list-scripts', '-h']]) {
      const r = await gait(args);
      expect(r.exit).toBe(0);
      expect(r.stdout).toMatch(/^Usage:/);
    }
    expect((await gait(['approve-script', '--explain', '--bogus'])).stdout).toBe('Create a signed approved-script registry entry bound to a policy digest and script hash.\n');
    expect((await gait(['list-scripts', '--explain'])).stdout).toBe('List approved-script registry entries with expiry status and deterministic ordering.\n');
  });

  it('writes a signed entry bound to the policy digest and script hash; re-approval replaces it; list-scripts lists it', async () => {
    const { dir, policy, intent } = setup();
    const r = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', ' reg/approved.json ', '--approver', 'secops', ...prod, '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json).toEqual({
      ok: true, pattern_id: `pattern_${SCRIPT_HASH.slice(0, 12)}`, policy_digest: POLICY_DIGEST, script_hash: SCRIPT_HASH,
      tool_sequence: ['tool.read', 'tool.write'], registry_path: 'reg/approved.json', expires_at: r.json.expires_at,
      correlation_id: r.json.correlation_id,
    });
    expect(r.json.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const file = path.join(dir, 'reg/approved.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('{\n  "entries": [\n    {\n      "schema_id": "gait.gate.approved_script_entry",')).toBe(true);
    const registry = parseRegistry(text);
    expect(registry.entries).toHaveLength(1);
    const [entry] = registry.entries;
    expect(entry).toMatchObject({
      pattern_id: r.json.pattern_id, policy_digest: POLICY_DIGEST, script_hash: SCRIPT_HASH, approver_identity: 'secops',
      tool_sequence: ['tool.read', 'tool.write'], producer_version: VERSION, expires_at: r.json.expires_at,
    });
    expect(entry!.scope).toBeUndefined();
    expect(Date.parse(entry!.expires_at) - Date.parse(entry!.created_at)).toBe(168 * 3_600_000);
    expect(entry!.signature?.key_id).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    const pub = parsePublicKey(readFileSync(APPROVAL_PUBLIC, 'utf8'));
    expect(await verifyRegistry(registry, pub, new Date())).toEqual({ ok: true });

    // Same script again: the entry with the same pattern id is replaced in place.
    const again = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', 'reg/approved.json', '--approver', 'lead', '--ttl', '2h', '--scope', 'risk:high, tool:script', ...prod, '--json'], { cwd: dir });
    expect(again.exit).toBe(0);
    const replaced = parseRegistry(readFileSync(file, 'utf8'));
    expect(replaced.entries).toHaveLength(1);
    expect(replaced.entries[0]).toMatchObject({ approver_identity: 'lead', scope: ['risk:high', 'tool:script'] });
    expect(Date.parse(replaced.entries[0]!.expires_at) - Date.parse(replaced.entries[0]!.created_at)).toBe(7_200_000);

    // Another pattern id is appended; the file stays sorted by pattern_id.
    const named = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', 'reg/approved.json', '--approver', 'ops', '--pattern-id', ' aaa_first ', ...prod], { cwd: dir });
    expect(named.exit, named.stderr).toBe(0);
    expect(named.stdout).toBe(`approve-script: pattern=aaa_first registry=reg/approved.json\npolicy_digest=${POLICY_DIGEST} script_hash=${SCRIPT_HASH}\n`);
    const two = parseRegistry(readFileSync(file, 'utf8'));
    expect(two.entries.map((e) => e.pattern_id)).toEqual(['aaa_first', `pattern_${SCRIPT_HASH.slice(0, 12)}`]);
    expect(await verifyRegistry(two, pub, new Date())).toEqual({ ok: true });

    const list = await gait(['list-scripts', '--registry', 'reg/approved.json', '--json'], { cwd: dir });
    expect(list.exit).toBe(0);
    expect(list.json).toMatchObject({ ok: true, registry: 'reg/approved.json', count: 2 });
    expect(list.json.entries).toEqual([
      { pattern_id: 'aaa_first', approver_identity: 'ops', policy_digest: POLICY_DIGEST, script_hash: SCRIPT_HASH, tool_sequence: ['tool.read', 'tool.write'], expires_at: two.entries[0]!.expires_at, expired: false },
      { pattern_id: `pattern_${SCRIPT_HASH.slice(0, 12)}`, approver_identity: 'lead', policy_digest: POLICY_DIGEST, script_hash: SCRIPT_HASH, tool_sequence: ['tool.read', 'tool.write'], scope: ['risk:high', 'tool:script'], expires_at: two.entries[1]!.expires_at, expired: false },
    ]);
    const listText = await gait(['list-scripts', '--registry', 'reg/approved.json'], { cwd: dir });
    expect(listText.exit).toBe(0);
    expect(listText.stdout).toBe(
      'list-scripts: 2 entries in reg/approved.json\n' +
      `- aaa_first (active) approver=ops expires=${two.entries[0]!.expires_at}\n` +
      `- pattern_${SCRIPT_HASH.slice(0, 12)} (active) approver=lead expires=${two.entries[1]!.expires_at}\n`,
    );
  });

  it('the entry pre-approves the script in gate eval (fast path)', async () => {
    const { dir, intent } = setup();
    const policy = write(dir, 'block.yaml', 'default_verdict: block\n');
    const a = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', 'registry.json', '--approver', 'secops', ...prod, '--json'], { cwd: dir });
    expect(a.exit).toBe(0);
    const blocked = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--json'], { cwd: dir });
    expect(blocked.exit).toBe(3);
    expect(blocked.json.script_hash).toBe(a.json.script_hash);
    expect(blocked.json.policy_digest).toBe(a.json.policy_digest);
    const r = await gait(['gate', 'eval', '--policy', policy, '--intent', intent, '--approved-script-registry', 'registry.json', '--approved-script-public-key', APPROVAL_PUBLIC, '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ verdict: 'allow', pre_approved: true, pattern_id: a.json.pattern_id, registry_reason: 'approved_script_match' });
  });

  it('dev mode signs with a throw-away key and prints no warning', async () => {
    const { dir, policy, intent } = setup();
    const r = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', 'r.json', '--approver', 'me', '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.warnings).toBeUndefined();
    const registry = parseRegistry(readFileSync(path.join(dir, 'r.json'), 'utf8'));
    const pub = parsePublicKey(readFileSync(APPROVAL_PUBLIC, 'utf8'));
    expect(await verifyRegistry(registry, pub, new Date())).toMatchObject({ ok: false, index: 0 });
  });

  it('expired entries are listed as expired', async () => {
    const { dir, policy, intent } = setup();
    const r = await gait(['approve-script', '--policy', policy, '--intent', intent, '--registry', 'r.json', '--approver', 'me', '--ttl', '1ms', ...prod, '--json'], { cwd: dir });
    expect(r.exit).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const list = await gait(['list-scripts', '--registry', 'r.json', '--json'], { cwd: dir });
    expect(list.json.count).toBe(1);
    expect(list.json.entries[0].expired).toBe(true);
    const text = await gait(['list-scripts', '--registry', 'r.json'], { cwd: dir });
    expect(text.stdout).toContain(`- ${r.json.pattern_id} (expired) approver=me expires=`);
  });

  it('validation errors in §5.3 order, and bad inputs, exit 6', async () => {
    const { dir, policy, intent } = setup();
    const as = (...extra: string[]) => ['approve-script', '--json', ...extra];
    const all = ['--policy', policy, '--intent', intent, '--registry', 'r.json', '--approver', 'me'];
    expectInvalid(await gait(as('--bogus')), 'flag provided but not defined: -bogus');
    expectInvalid(await gait(as('extra')), 'unexpected positional arguments');
    expectInvalid(await gait(as('--ttl', 'x')), '--policy, --intent, --registry, and --approver are required');
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', 'r.json', '--approver', '  ')), '--policy, --intent, --registry, and --approver are required');
    expectInvalid(await gait(as(...all, '--ttl', 'x', '--private-key', 'k'), { cwd: dir }), 'invalid --ttl duration');
    expectInvalid(await gait(as(...all, '--ttl', '0s'), { cwd: dir }), 'invalid --ttl duration');
    expectInvalid(await gait(as(...all, '--ttl', ''), { cwd: dir }), 'invalid --ttl duration');
    expectInvalid(await gait(as('--policy', 'missing.yaml', '--intent', 'missing.json', '--registry', 'r.json', '--approver', 'me', '--private-key', 'k'), { cwd: dir }), 'read policy: open missing.yaml: no such file or directory');
    expectInvalid(await gait(as('--policy', write(dir, 'bad.yaml', 'default_verdict: maybe\n'), '--intent', 'missing.json', '--registry', 'r.json', '--approver', 'me'), { cwd: dir }), /default_verdict/);
    expectInvalid(await gait(as('--policy', policy, '--intent', 'missing.json', '--registry', 'r.json', '--approver', 'me', '--private-key', 'k'), { cwd: dir }), 'read intent: open missing.json: no such file or directory');
    expectInvalid(await gait(as('--policy', policy, '--intent', write(dir, 'junk.json', '{nope'), '--registry', 'r.json', '--approver', 'me'), { cwd: dir }), /^parse intent json: /);
    expectInvalid(await gait(as('--policy', policy, '--intent', write(dir, 'empty-steps.json', { tool_name: 'script', script: { steps: [] } }), '--registry', 'r.json', '--approver', 'me'), { cwd: dir }), 'script.steps must not be empty'); // Gait 1.3.6: no prefix
    const single = write(dir, 'single.json', { tool_name: 'tool.write', args: {}, targets: [], context: scriptIntent.context });
    expectInvalid(await gait(as('--policy', policy, '--intent', single, '--registry', 'r.json', '--approver', 'me', '--private-key', 'k'), { cwd: dir }), 'intent must include script.steps');
    expectInvalid(await gait(as(...all, '--private-key', APPROVAL_PRIVATE), { cwd: dir }), 'dev mode does not accept explicit key sources');
    expectInvalid(await gait(as(...all, '--key-mode', 'prod', '--private-key', APPROVAL_PUBLIC), { cwd: dir }), 'invalid private key length: 32');
    expectInvalid(await gait(as(...all, '--key-mode', 'prod', '--private-key-env', 'GAIT_TEST_UNSET_KEY'), { cwd: dir }), 'private key env not set: GAIT_TEST_UNSET_KEY');
    // Registry read errors come after signing (step 10) and leave the file untouched.
    const corrupt = write(dir, 'corrupt.json', '{"entries": nope}');
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', corrupt, '--approver', 'me'), { cwd: dir }), /^parse approved script registry: invalid character/);
    expect(readFileSync(corrupt, 'utf8')).toBe('{"entries": nope}');
    const nullEntries = write(dir, 'null.json', '{"entries": null}');
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', nullEntries, '--approver', 'me'), { cwd: dir }), 'parse approved script registry: entries must be an array');
    const badEntry = write(dir, 'bad-entry.json', { entries: [{ pattern_id: 'p' }] });
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', badEntry, '--approver', 'me'), { cwd: dir }), 'approved script entries[0]: policy_digest must be sha256 hex');
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', dir, '--approver', 'me'), { cwd: dir }), `read approved script registry: read ${dir}: is a directory`);
    write(dir, 'file', 'x');
    expectInvalid(await gait(as('--policy', policy, '--intent', intent, '--registry', 'file/r.json', '--approver', 'me'), { cwd: dir }), /^read approved script registry: open file\/r.json: not a directory$/);
    expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
    const text = await gait(['approve-script', '--policy', policy], { cwd: dir });
    expect(text.exit).toBe(6);
    expect(text.stdout).toBe('approve-script error: --policy, --intent, --registry, and --approver are required\n');
  });
});

describe('gait list-scripts', () => {
  it('a missing registry file is an empty registry', async () => {
    const dir = tempDir();
    const r = await gait(['list-scripts', '--registry', ' none.json ', '--json'], { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json).toEqual({ ok: true, registry: 'none.json', correlation_id: r.json.correlation_id });
    const empty = write(dir, 'empty.json', '  \n');
    expect((await gait(['list-scripts', '--registry', empty, '--json'])).json.count).toBeUndefined();
    const t = await gait(['list-scripts', '--registry', 'none.json'], { cwd: dir });
    expect(t.stdout).toBe('list-scripts: 0 entries in none.json\n');
  });

  it('lists a legacy bare-array registry without checking signatures', async () => {
    const dir = tempDir();
    const reg = write(dir, 'legacy.json', [{
      pattern_id: 'legacy', policy_digest: 'A'.repeat(64), script_hash: 'b'.repeat(64), tool_sequence: ['Tool.Write', 'tool.read', 'tool.read'],
      approver_identity: 'secops', created_at: '2026-02-20T02:31:28.283948Z', expires_at: '2026-02-27T02:31:28.283948+01:00',
      signature: { alg: 'ed25519', key_id: '', sig: 'Zm9v', signed_digest: '' },
    }]);
    const r = await gait(['list-scripts', '--registry', reg, '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.entries).toEqual([{
      pattern_id: 'legacy', approver_identity: 'secops', policy_digest: 'a'.repeat(64), script_hash: 'b'.repeat(64),
      tool_sequence: ['tool.read', 'tool.write'], expires_at: '2026-02-27T01:31:28.283948Z', expired: true,
    }]);
  });

  it('bad inputs exit 6', async () => {
    const dir = tempDir();
    expectInvalid(await gait(['list-scripts', '--json']), '--registry is required');
    expectInvalid(await gait(['list-scripts', '--registry', ' ', '--json']), '--registry is required');
    expectInvalid(await gait(['list-scripts', '--registry', 'r.json', 'extra', '--json']), 'unexpected positional arguments');
    expectInvalid(await gait(['list-scripts', '--nope', '--json']), 'flag provided but not defined: -nope');
    expectInvalid(await gait(['list-scripts', '--registry', write(dir, 'obj.json', '{"other": 1}'), '--json']), 'parse approved script registry: json: cannot unmarshal object into Go value of type []gate.ApprovedScriptEntry');
    expectInvalid(await gait(['list-scripts', '--registry', write(dir, 'text.json', 'hello'), '--json']), /^parse approved script registry: invalid character 'h'/);
    const t = await gait(['list-scripts']);
    expect(t.exit).toBe(6);
    expect(t.stdout).toBe('list-scripts error: --registry is required\n');
  });
});
