// Compiled policy files: round trip, every check on load (magic, version, core ABI, checksum,
// key, signature), and tampering with any byte of any section gives an error, never a gate.
import { describe, expect, it } from 'vitest';
import { compilePolicy, loadCompiledPolicy, verifyCompiledPolicy, CompiledPolicyError, parsePolicyYaml, policyDigest, generateKeyPair } from '../../bindings/index.js';
import { createGate, Gate, defaultEngine } from '../../bindings/load/node.js';
import { createGate as createDecideGate, verifyCompiledPolicy as decideVerify } from '../../bindings/compiled/entry-node.js';
import { BODY_START, CHECKSUM_BYTES, KEY_ID_BYTES, CORE_ABI, layoutFingerprint } from '../../bindings/compiled/format.js';

const YAML = `schema_id: gait.gate.policy
schema_version: 1.0.0
default_verdict: require_approval
rules:
  - name: allow-reads
    priority: 10
    effect: allow
    match:
      tool_names: [tool.read]
  - name: block-delete
    priority: 5
    effect: block
    match:
      tool_names: [tool.delete]
    reason_codes: [destructive]
    violations: [delete_blocked]
`;

const intent = (tool: string) => ({
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-05T00:00:00Z', producer_version: 't',
  tool_name: tool, args: { path: '/tmp/x' }, targets: [{ kind: 'path', value: '/tmp/x' }], arg_provenance: [{ arg_path: '$.path', source: 'user' }],
  context: { identity: 'u', workspace: '/tmp', risk_class: 'high' },
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CompiledPolicyError);
    return (err as CompiledPolicyError).code;
  }
  return undefined;
}

async function asyncCodeOf(f: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await f();
  } catch (err) {
    expect(err).toBeInstanceOf(CompiledPolicyError);
    return (err as CompiledPolicyError).code;
  }
  return undefined;
}

const flip = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at] ^= 0x01;
  return copy;
};

/** Offsets of one byte in each section of a file: [section, offset]. */
function sectionBytes(bytes: Uint8Array, signed: boolean): [string, number][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const policyLength = view.getUint32(84, true);
  const stringsLength = view.getUint32(88, true);
  const coreLength = view.getUint32(92, true);
  const checksumAt = BODY_START + policyLength + stringsLength + coreLength;
  const out: [string, number][] = [
    ['magic', 0], ['magic', 5], ['version', 8], ['core abi', 12], ['flags', 16], ['digest', 20], ['digest', 83],
    ['policy length', 84], ['strings length', 88], ['core length', 92],
    ['policy', BODY_START], ['policy', BODY_START + policyLength - 1], ['strings', BODY_START + policyLength + 2],
    ['core', BODY_START + policyLength + stringsLength], ['core', checksumAt - 1], ['checksum', checksumAt], ['checksum', checksumAt + CHECKSUM_BYTES - 1],
  ];
  if (signed) out.push(['key id', checksumAt + CHECKSUM_BYTES], ['signature', checksumAt + CHECKSUM_BYTES + KEY_ID_BYTES], ['signature', bytes.length - 1]);
  return out;
}

describe('compiled policy: core ABI', () => {
  it('CORE_ABI is the fingerprint of layout.ts and the builtin strings (update it when they change)', () => {
    expect('0x' + layoutFingerprint().toString(16).padStart(8, '0')).toBe('0x' + CORE_ABI.toString(16).padStart(8, '0'));
  });
});

describe('compiled policy: round trip', () => {
  const bytes = compilePolicy(YAML);

  it('loads the same normalized policy, digest and decisions as the YAML', () => {
    const policy = parsePolicyYaml(YAML);
    const loaded = loadCompiledPolicy(bytes);
    expect(loaded.policy).toEqual(policy);
    expect(loaded.policyDigest).toBe(policyDigest(policy));
    expect(policyDigest(loaded.policy)).toBe(loaded.policyDigest);
    expect(loaded.signed).toBe(false);
    const fromYaml = createGate(YAML);
    const fromBytes = createGate(bytes);
    const fromLoaded = createGate(loaded);
    expect(fromBytes).toBeInstanceOf(Gate);
    for (const tool of ['tool.read', 'tool.delete', 'tool.other']) {
      const want = fromYaml.check(intent(tool));
      expect(fromBytes.check(intent(tool))).toEqual(want);
      expect(fromLoaded.check(intent(tool))).toEqual(want);
      expect(createDecideGate(bytes).check(intent(tool))).toEqual(want);
    }
    for (const g of [fromYaml, fromBytes, fromLoaded]) g.dispose();
  });

  it('is deterministic: the same policy gives the same bytes (YAML, object or Policy)', () => {
    expect(compilePolicy(YAML)).toEqual(bytes);
    expect(compilePolicy(new TextEncoder().encode(YAML))).toEqual(bytes);
    expect(compilePolicy(parsePolicyYaml(YAML))).toEqual(bytes);
  });

  it('takes an ArrayBuffer and a Buffer', () => {
    expect(loadCompiledPolicy(bytes.slice().buffer).policyDigest).toBe(loadCompiledPolicy(bytes).policyDigest);
    expect(loadCompiledPolicy(Buffer.from(bytes)).policyDigest).toBe(loadCompiledPolicy(bytes).policyDigest);
  });

  it('refuses an invalid policy with the parser\'s error', () => {
    expect(() => compilePolicy('default_verdict: maybe\n')).toThrow(/default_verdict/);
  });
});

describe('compiled policy: load fails closed', () => {
  const bytes = compilePolicy(YAML);

  it('wrong magic, truncation, trailing bytes', () => {
    expect(codeOf(() => loadCompiledPolicy(new TextEncoder().encode(YAML)))).toBe('bad_magic');
    expect(codeOf(() => loadCompiledPolicy(bytes.subarray(0, 4)))).toBe('truncated');
    expect(codeOf(() => loadCompiledPolicy(bytes.subarray(0, 50)))).toBe('truncated');
    expect(codeOf(() => loadCompiledPolicy(bytes.subarray(0, bytes.length - 1)))).toBe('truncated');
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(codeOf(() => loadCompiledPolicy(longer))).toBe('malformed');
  });

  it('another format version or core ABI: a message that says to recompile', () => {
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    expect(codeOf(() => loadCompiledPolicy(v2))).toBe('unsupported_version');
    expect(() => loadCompiledPolicy(v2)).toThrow(/format version 2 is not supported.*recompile/);
    const abi = flip(bytes, 12);
    expect(codeOf(() => loadCompiledPolicy(abi))).toBe('core_abi_mismatch');
    expect(() => loadCompiledPolicy(abi)).toThrow(/another core ABI.*recompile/);
  });

  it('a flipped byte anywhere: an error with a code, never a gate (every entry)', () => {
    const codes = new Map<string, string | undefined>();
    for (const [section, at] of sectionBytes(bytes, false)) {
      const bad = flip(bytes, at);
      const code = codeOf(() => loadCompiledPolicy(bad));
      expect(code, `${section} @${at}`).toBeDefined();
      codes.set(section, code);
      expect(() => createDecideGate(bad), `${section} @${at}`).toThrow();
      expect(() => createGate(bad), `${section} @${at}`).toThrow();
    }
    expect(codes.get('magic')).toBe('bad_magic');
    expect(codes.get('version')).toBe('unsupported_version');
    expect(codes.get('core abi')).toBe('core_abi_mismatch');
    // The signed flag set on an unsigned file: its signature is missing from the end.
    expect(codes.get('flags')).toBe('truncated');
    for (const s of ['digest', 'policy', 'strings', 'core', 'checksum']) expect(codes.get(s), s).toBe('checksum_mismatch');
  });

  it('errors are GaitErrors with a category (exit 6 for input problems)', () => {
    try {
      loadCompiledPolicy(flip(bytes, BODY_START));
      expect.unreachable();
    } catch (err) {
      expect((err as CompiledPolicyError).category).toBe('invalid_input');
      expect((err as Error).message).toMatch(/^compiled policy: checksum mismatch/);
    }
  });

  it('refuses what is not bytes', () => {
    expect(() => loadCompiledPolicy('text' as never)).toThrow(/expected a compiled policy/);
    expect(() => createDecideGate(YAML as never)).toThrow(/takes compiled policies, not YAML text/);
    expect(() => createDecideGate({ policy: {}, policyDigest: 'x', compiled: {} } as never)).toThrow(/expected a compiled policy/);
  });
});

describe('compiled policy: signatures', () => {
  const keys = generateKeyPair();
  const other = generateKeyPair();
  const signed = compilePolicy(YAML, { privateKey: keys.privateKey });
  const unsigned = compilePolicy(YAML);

  it('a signed file loads with its public key (sync and WebCrypto) and decides like the YAML', async () => {
    const loaded = loadCompiledPolicy(signed, { publicKey: keys.publicKey });
    expect(loaded.signed).toBe(true);
    expect(loaded.keyId).toMatch(/^[0-9a-f]{64}$/);
    const verified = await verifyCompiledPolicy(signed, { publicKey: keys.publicKey });
    expect(verified.policyDigest).toBe(loaded.policyDigest);
    const decided = await decideVerify(signed, { publicKey: keys.publicKey });
    const gate = createDecideGate(decided);
    expect(gate.check(intent('tool.delete'))).toEqual(createGate(YAML).check(intent('tool.delete')));
    gate.dispose();
    // The 32-byte seed signs the same bytes as Go's 64-byte key.
    expect(compilePolicy(YAML, { privateKey: keys.privateKey.subarray(0, 32) })).toEqual(signed);
  });

  it('a signed file without a key is refused: key_required', () => {
    expect(codeOf(() => loadCompiledPolicy(signed))).toBe('key_required');
    expect(() => createGate(signed)).toThrow(/signed.*public key/);
    expect(() => createDecideGate(signed)).toThrow(/signed.*public key/);
  });

  it('another key: wrong_key; an unsigned file when a signature is required: signature_missing', async () => {
    expect(codeOf(() => loadCompiledPolicy(signed, { publicKey: other.publicKey }))).toBe('wrong_key');
    expect(await asyncCodeOf(() => verifyCompiledPolicy(signed, { publicKey: other.publicKey }))).toBe('wrong_key');
    expect(codeOf(() => loadCompiledPolicy(unsigned, { publicKey: keys.publicKey }))).toBe('signature_missing');
    expect(codeOf(() => loadCompiledPolicy(unsigned, { publicKey: keys.publicKey, requireSignature: true }))).toBe('signature_missing');
    expect(await asyncCodeOf(() => decideVerify(unsigned, { publicKey: keys.publicKey }))).toBe('signature_missing');
    expect(() => loadCompiledPolicy(unsigned, { requireSignature: true })).toThrow(/requireSignature needs the signer's publicKey/);
    // An explicit opt-out accepts an unsigned file with a key given.
    expect(loadCompiledPolicy(unsigned, { publicKey: keys.publicKey, requireSignature: false }).signed).toBe(false);
  });

  it('a flipped byte in any section of a signed file is refused (sync and WebCrypto)', async () => {
    for (const [section, at] of sectionBytes(signed, true)) {
      const bad = flip(signed, at);
      const code = codeOf(() => loadCompiledPolicy(bad, { publicKey: keys.publicKey }));
      expect(code, `${section} @${at}`).toBeDefined();
      expect(await asyncCodeOf(() => decideVerify(bad, { publicKey: keys.publicKey })), `${section} @${at}`).toBe(code);
      if (section === 'signature') expect(code).toBe('signature_invalid');
      if (section === 'key id') expect(code).toBe('wrong_key');
    }
  });

  it('a re-signed checksum cannot hide a stripped signature when one is required', () => {
    // Dropping the signature and its flag, with a recomputed checksum, is an unsigned file.
    const stripped = compilePolicy(YAML);
    expect(codeOf(() => loadCompiledPolicy(stripped, { publicKey: keys.publicKey }))).toBe('signature_missing');
  });

  it('refuses a bad key argument', () => {
    expect(() => compilePolicy(YAML, { privateKey: new Uint8Array(10) })).toThrow(/privateKey must be/);
    expect(() => loadCompiledPolicy(signed, { publicKey: new Uint8Array(10) })).toThrow(/publicKey must be/);
  });
});

describe('compiled policy: engine', () => {
  it('gates from compiled policies share the default engine and dispose cleanly', () => {
    const g = createGate(defaultEngine(), compilePolicy(YAML));
    g.dispose();
    expect(() => g.check(intent('tool.read'))).toThrow(/disposed/);
  });
});

describe('compiled policy: hostile arguments', () => {
  it('a Proxy whose traps throw is a GaitError from every createGate and compilePolicy, never a raw error', async () => {
    const { GaitError } = await import('../../bindings/index.js');
    const trap = () => {
      throw new RangeError('trap');
    };
    // (A throwing getPrototypeOf trap already fails `instanceof Engine` in load/runtime.ts, before any policy code.)
    const hostile = new Proxy({}, { has: trap, get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
    for (const f of [() => createGate(hostile as never), () => createDecideGate(hostile as never), () => compilePolicy(hostile as never), () => loadCompiledPolicy(hostile as never)]) {
      expect(f).toThrow(GaitError);
    }
  });
});
