// `gait policy compile`: writes a file the library loads (signed with prod keys when asked),
// --json like its siblings, --help; bad input is exit 6 with the JSON error envelope, and nothing
// is written (the output is written atomically, after every check).
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, gaitProcess } from '../cli/run.js';
import { loadCompiledPolicy, parsePublicKey, policyDigest, parsePolicyYaml, CompiledPolicyError } from '../../bindings/index.js';
import { createGate } from '../../bindings/load/node.js';

const POLICY = 'default_verdict: block\nrules:\n  - name: reads\n    effect: allow\n    match:\n      tool_names: [tool.read]\n';

function workdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-compile-'));
  writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
  return dir;
}

describe('gait policy compile', () => {
  it('writes policy.gaitc beside the policy by default; the file loads and decides like the YAML', async () => {
    const dir = workdir();
    const r = await gait(['policy', 'compile', 'policy.yaml'], { cwd: dir });
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    const digest = policyDigest(parsePolicyYaml(POLICY));
    expect(r.stdout).toMatch(new RegExp(`^policy compile ok: out=policy\\.gaitc bytes=\\d+ digest=${digest} signed=false\\n$`));
    const bytes = readFileSync(path.join(dir, 'policy.gaitc'));
    const loaded = loadCompiledPolicy(bytes);
    expect(loaded.policyDigest).toBe(digest);
    const intent = { schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', tool_name: 'tool.read', args: {}, targets: [], context: { identity: 'u', workspace: '/w', risk_class: 'low' } };
    expect(createGate(bytes).check(intent)).toEqual(createGate(POLICY).check(intent));
  });

  it('--json: ok, paths, digest, format version, signed', async () => {
    const dir = workdir();
    const r = await gait(['policy', 'compile', 'policy.yaml', '--out', 'out/p.gaitc', '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json).toMatchObject({ ok: true, path: 'policy.yaml', out: 'out/p.gaitc', format_version: 1, signed: false, default_verdict: 'block', rule_count: 1 });
    expect(r.json.policy_digest).toBe(policyDigest(parsePolicyYaml(POLICY)));
    expect(r.json.bytes).toBe(readFileSync(path.join(dir, 'out/p.gaitc')).length);
    expect(r.json.key_id).toBeUndefined();
  });

  it('--key-mode prod --private-key signs with `gait keys init` keys; the public key verifies it', async () => {
    const dir = workdir();
    const k = await gait(['keys', 'init', '--out-dir', 'keys', '--prefix', 'pc', '--json'], { cwd: dir });
    expect(k.exit).toBe(0);
    const r = await gait(['policy', 'compile', 'policy.yaml', '--out', 'p.gaitc', '--key-mode', 'prod', '--private-key', k.json.private_key_path, '--json'], { cwd: dir });
    expect(r.exit, r.stdout).toBe(0);
    expect(r.json.signed).toBe(true);
    expect(r.json.key_id).toBe(k.json.key_id);
    const publicKey = parsePublicKey(readFileSync(path.join(dir, k.json.public_key_path), 'utf8'));
    const bytes = readFileSync(path.join(dir, 'p.gaitc'));
    expect(loadCompiledPolicy(bytes, { publicKey }).keyId).toBe(k.json.key_id);
    expect(() => loadCompiledPolicy(bytes)).toThrow(CompiledPolicyError);
  });

  it('--help prints the usage, exit 0; `gait policy --help` lists compile', async () => {
    const r = await gait(['policy', 'compile', '--help']);
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gait policy compile <policy\.yaml> \[--out policy\.gaitc\]/);
    expect((await gait(['policy', '--help'])).stdout).toMatch(/gait policy compile/);
  });

  const failures: [string, string[], RegExp][] = [
    ['invalid policy', ['bad.yaml'], /default_verdict/],
    ['missing policy', ['nope.yaml'], /nope\.yaml/],
    ['no policy argument', [], /expected <policy\.yaml>/],
    ['dev key mode', ['policy.yaml', '--key-mode', 'dev'], /--key-mode prod/],
    ['a key without prod mode', ['policy.yaml', '--private-key', 'k.key'], /dev mode does not accept explicit key sources/],
    ['prod without a key', ['policy.yaml', '--key-mode', 'prod'], /prod mode requires a private key source/],
    ['an unreadable key', ['policy.yaml', '--key-mode', 'prod', '--private-key', 'missing.key'], /missing\.key/],
    ['an empty --out', ['policy.yaml', '--out', ''], /--out must not be empty/],
  ];
  for (const [name, args, pattern] of failures) {
    it(`${name}: exit 6, the JSON error envelope, nothing written`, async () => {
      const dir = workdir();
      writeFileSync(path.join(dir, 'bad.yaml'), 'default_verdict: maybe\n');
      const before = readdirSync(dir).sort();
      const r = await gait(['policy', 'compile', ...args, '--json'], { cwd: dir });
      expect(r.exit, r.stdout + r.stderr).toBe(6);
      expect(r.json.ok).toBe(false);
      expect(r.json.error).toMatch(pattern);
      expect(r.json.error_code).toBe('invalid_input');
      expect(r.json.error_category).toBe('invalid_input');
      expect(readdirSync(dir).sort()).toEqual(before);
      const text = await gait(['policy', 'compile', ...args], { cwd: dir });
      expect(text.exit).toBe(6);
      expect(text.stdout).toMatch(/^policy compile error: /);
    });
  }

  it('an output path that cannot be written leaves the existing file as it was', async () => {
    const dir = workdir();
    writeFileSync(path.join(dir, 'bad.yaml'), 'default_verdict: maybe\n');
    writeFileSync(path.join(dir, 'p.gaitc'), 'old');
    const r = await gait(['policy', 'compile', 'bad.yaml', '--out', 'p.gaitc', '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(readFileSync(path.join(dir, 'p.gaitc'), 'utf8')).toBe('old');
    const dirOut = await gait(['policy', 'compile', 'policy.yaml', '--out', '.', '--json'], { cwd: dir });
    expect(dirOut.exit).toBe(6);
    expect(dirOut.json.ok).toBe(false);
    expect(existsSync(path.join(dir, 'policy.gaitc'))).toBe(false);
  });

  it('the installed command (bin/gait.js) compiles too', () => {
    const dir = workdir();
    const r = gaitProcess(['policy', 'compile', 'policy.yaml', '--json'], { cwd: dir });
    expect(r.exit, r.stdout + r.stderr).toBe(0);
    expect(loadCompiledPolicy(readFileSync(path.join(dir, 'policy.gaitc'))).policyDigest).toBe(r.json.policy_digest);
  });
});
