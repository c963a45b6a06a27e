import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GaitError } from '../../bindings/errors.js';
import { toHex } from '../../bindings/canonical/sha256.js';
import { decodeBase64Std, encodeBase64Std } from '../../bindings/crypto/base64.js';
import { signSync, verifySync } from '../../bindings/crypto/ed25519.js';
import {
  DEV_MODE_WARNING,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  keyId,
  parsePrivateKey,
  parsePublicKey,
  resolveSigningKey,
  resolveVerifyKey,
  type KeyIO,
} from '../../bindings/crypto/keys.js';
import { nodeKeyIO } from '../../bindings/crypto/io-node.js';

const FIXTURES = new URL('../fixtures/gait/', import.meta.url);
const fixturePath = (rel: string): string => fileURLToPath(new URL(rel, FIXTURES));
const fixture = (rel: string): Promise<string> => readFile(fixturePath(rel), 'utf8');

const APPROVAL_PRIVATE = 'scenarios/keys/approval_private.key';
const APPROVAL_PUBLIC = 'scenarios/keys/approval_public.key';
const DELEGATION_PUBLIC = 'signed/delegation_public.key';

/** In-memory KeyIO: files by path, env by name; missing files fail with Go's os text. */
function memIO(files: Record<string, string>, env: Record<string, string> = {}): KeyIO {
  return {
    async readFile(path) {
      if (!(path in files)) throw new Error(`open ${path}: no such file or directory`);
      return files[path]!;
    },
    env: (name) => env[name],
  };
}

async function errorOf(p: Promise<unknown>): Promise<GaitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    return err as GaitError;
  }
  throw new Error('expected a rejection');
}

describe('base64 (Go StdEncoding)', () => {
  it('round-trips and skips CR/LF like Go', () => {
    for (let n = 0; n < 10; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      const text = encodeBase64Std(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(toHex(decodeBase64Std(text))).toBe(toHex(bytes));
    }
    expect(new TextDecoder().decode(decodeBase64Std('QUJD\r\nQUJD\n'))).toBe('ABCABC');
    expect(new TextDecoder().decode(decodeBase64Std('QQ=\n='))).toBe('A');
    expect(decodeBase64Std('').length).toBe(0);
  });

  it.each([
    ['@', 0],
    ['QUJD!', 4],
    ['QU JD', 2],
    ['QQ', 0], // missing padding: offset of the unfinished quantum
    ['QUJDRA', 4],
    ['QQ=', 3], // "==" expected, input ends
    ['QQ=A', 2],
    ['=', 0],
    ['Q===', 1],
    ['QQ==QQ==', 4], // data after padding
    ['QUJ=\nx', 5],
    ['QUJD-_', 4], // base64url characters are not the standard alphabet
  ])('rejects %j at input byte %i', (text, offset) => {
    expect(() => decodeBase64Std(text)).toThrow(`illegal base64 data at input byte ${offset}`);
  });
});

describe('key files', () => {
  it('fixture private key: 64 bytes whose last 32 are the public key', async () => {
    const priv = parsePrivateKey(await fixture(APPROVAL_PRIVATE));
    const pub = parsePublicKey(await fixture(APPROVAL_PUBLIC));
    expect(priv.length).toBe(64);
    expect(toHex(priv.subarray(32))).toBe(toHex(pub));
    const msg = new Uint8Array(32).fill(5);
    expect(verifySync(pub, msg, signSync(priv, msg))).toBe(true);
  });

  it('key ids from §1.2', async () => {
    expect(keyId(parsePublicKey(await fixture(APPROVAL_PUBLIC)))).toBe(
      '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52',
    );
    expect(keyId(parsePublicKey(await fixture(DELEGATION_PUBLIC)))).toBe(
      '854baff4855aef78ee7bff54778815baba4f4c8dd693e12ad4429edd118f6590',
    );
    expect(keyId(parsePublicKey('2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg='))).toBe(
      '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52',
    );
  });

  it('encodes as base64 + "\\n", exactly the fixture text', async () => {
    const text = await fixture(APPROVAL_PRIVATE);
    const priv = parsePrivateKey(text);
    expect(encodePrivateKey(priv)).toBe(text.trim() + '\n');
    expect(encodePublicKey(priv.subarray(32))).toBe('2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=\n');
    const pair = generateKeyPair();
    expect(toHex(parsePrivateKey(encodePrivateKey(pair.privateKey)))).toBe(toHex(pair.privateKey));
    expect(toHex(parsePublicKey(encodePublicKey(pair.publicKey)))).toBe(toHex(pair.publicKey));
  });

  it('trims space, \\n, \\r, \\t only', () => {
    expect(parsePublicKey(' \t\r\n2452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=\r\n\t ').length).toBe(32);
    // U+00A0 is not trimmed: it is the first illegal byte.
    expect(() => parsePublicKey('\u00a02452IFcJJprSJUSaASiKpWRN4bzs7KbckliBk2cKGeg=')).toThrow(
      'decode public key: illegal base64 data at input byte 0',
    );
  });

  it('decode and length error strings', async () => {
    const pubText = await fixture(APPROVAL_PUBLIC);
    const privText = await fixture(APPROVAL_PRIVATE);
    expect(() => parsePrivateKey('not base64!')).toThrow('decode private key: illegal base64 data at input byte 3');
    expect(() => parsePublicKey('abc$')).toThrow('decode public key: illegal base64 data at input byte 3');
    expect(() => parsePrivateKey(pubText)).toThrow('invalid private key length: 32');
    expect(() => parsePublicKey(privText)).toThrow('invalid public key length: 64');
    expect(() => parsePublicKey('')).toThrow('invalid public key length: 0');
    // A 32-byte seed-only private key is rejected.
    expect(() => parsePrivateKey(encodeBase64Std(new Uint8Array(32)))).toThrow('invalid private key length: 32');
    expect(() => encodePrivateKey(new Uint8Array(32))).toThrow('invalid private key length: 32');
    expect(() => encodePublicKey(new Uint8Array(64))).toThrow('invalid public key length: 64');
    try {
      parsePrivateKey('x');
    } catch (err) {
      expect((err as GaitError).category).toBe('invalid_input');
    }
  });
});

describe('resolveSigningKey (§1.3)', () => {
  const io = memIO({});

  it('dev: ephemeral key and the warning', async () => {
    const a = await resolveSigningKey({ mode: 'dev' }, io);
    const b = await resolveSigningKey({ mode: 'dev' }, io);
    expect(a.mode).toBe('dev');
    expect(a.warnings).toEqual([DEV_MODE_WARNING]);
    expect(DEV_MODE_WARNING).toBe('dev mode: ephemeral keypair generated; signatures will not verify across machines');
    expect(a.privateKey.length).toBe(64);
    expect(toHex(a.privateKey.subarray(32))).toBe(toHex(a.publicKey));
    expect(a.keyId).toBe(keyId(a.publicKey));
    expect(toHex(a.publicKey)).not.toBe(toHex(b.publicKey));
  });

  it('dev rejects every explicit source', async () => {
    for (const src of [{ privateKeyPath: 'k' }, { privateKeyEnv: 'K' }, { publicKeyPath: 'p' }, { publicKeyEnv: 'P' }]) {
      const err = await errorOf(resolveSigningKey({ mode: 'dev', ...src }, io));
      expect(err.message).toBe('dev mode does not accept explicit key sources');
      expect(err.category).toBe('invalid_input');
    }
  });

  it('unsupported modes are quoted like Go %q', async () => {
    expect((await errorOf(resolveSigningKey({ mode: 'staging' }, io))).message).toBe('unsupported key mode: "staging"');
    expect((await errorOf(resolveSigningKey({ mode: 'Dev' }, io))).message).toBe('unsupported key mode: "Dev"');
    expect((await errorOf(resolveSigningKey({ mode: 'a"b' }, io))).message).toBe('unsupported key mode: "a\\"b"');
  });

  it('prod (and the empty mode) need a private source', async () => {
    expect((await errorOf(resolveSigningKey({ mode: 'prod' }, io))).message).toBe('prod mode requires a private key source');
    expect((await errorOf(resolveSigningKey({ mode: '' }, io))).message).toBe('prod mode requires a private key source');
    expect((await errorOf(resolveSigningKey({}, io))).message).toBe('prod mode requires a private key source');
    // A public source alone is not a private source.
    expect((await errorOf(resolveSigningKey({ mode: 'prod', publicKeyPath: 'p' }, io))).message).toBe(
      'prod mode requires a private key source',
    );
  });

  it('prod loads from a file (node io) and derives the public key', async () => {
    const key = await resolveSigningKey({ mode: 'prod', privateKeyPath: fixturePath(APPROVAL_PRIVATE) }, nodeKeyIO({}));
    expect(key.mode).toBe('prod');
    expect(key.warnings).toEqual([]);
    expect(key.keyId).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    const withPub = await resolveSigningKey(
      { mode: 'prod', privateKeyPath: fixturePath(APPROVAL_PRIVATE), publicKeyPath: fixturePath(APPROVAL_PUBLIC) },
      nodeKeyIO({}),
    );
    expect(withPub.keyId).toBe(key.keyId);
  });

  it('prod loads from env (trimmed value)', async () => {
    const text = await fixture(APPROVAL_PRIVATE);
    const key = await resolveSigningKey({ mode: 'prod', privateKeyEnv: 'GAIT_KEY' }, memIO({}, { GAIT_KEY: `  ${text}\n` }));
    expect(key.keyId).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
  });

  it('prod error strings', async () => {
    const privText = await fixture(APPROVAL_PRIVATE);
    const pubText = await fixture(APPROVAL_PUBLIC);
    const other = encodePublicKey(generateKeyPair().publicKey);
    const files = { 'priv.key': privText, 'pub.key': pubText, 'other.key': other, 'bad.key': 'zz!!' };
    const env = { PRIV: privText, BLANK: ' \n\t', PUB: pubText };
    const m = memIO(files, env);
    const cases: [Parameters<typeof resolveSigningKey>[0], string][] = [
      [{ mode: 'prod', privateKeyPath: 'priv.key', privateKeyEnv: 'PRIV' }, 'private key source: set either path or env'],
      [{ mode: 'prod', privateKeyEnv: 'MISSING' }, 'private key env not set: MISSING'],
      [{ mode: 'prod', privateKeyEnv: 'BLANK' }, 'private key env not set: BLANK'],
      [{ mode: 'prod', privateKeyPath: 'nope.key' }, 'read private key: open nope.key: no such file or directory'],
      [{ mode: 'prod', privateKeyPath: 'bad.key' }, 'decode private key: illegal base64 data at input byte 2'],
      [{ mode: 'prod', privateKeyPath: 'pub.key' }, 'invalid private key length: 32'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'pub.key', publicKeyEnv: 'PUB' }, 'public key source: set either path or env'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyEnv: 'MISSING' }, 'public key env not set: MISSING'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'nope.pub' }, 'read public key: open nope.pub: no such file or directory'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'bad.key' }, 'decode public key: illegal base64 data at input byte 2'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'priv.key' }, 'invalid public key length: 64'],
      [{ mode: 'prod', privateKeyPath: 'priv.key', publicKeyPath: 'other.key' }, 'public key does not match private key'],
    ];
    for (const [config, message] of cases) {
      const err = await errorOf(resolveSigningKey(config, m));
      expect(err.message, JSON.stringify(config)).toBe(message);
      expect(err.category).toBe('invalid_input');
    }
    // Matching public key from env passes.
    expect((await resolveSigningKey({ mode: 'prod', privateKeyPath: 'priv.key', publicKeyEnv: 'PUB' }, m)).warnings).toEqual([]);
  });

  it('node io reports Go-style os errors', async () => {
    const err = await errorOf(resolveSigningKey({ mode: 'prod', privateKeyPath: '/nonexistent/gait/x.key' }, nodeKeyIO({})));
    expect(err.message).toBe('read private key: open /nonexistent/gait/x.key: no such file or directory');
    const dir = fileURLToPath(FIXTURES);
    const err2 = await errorOf(resolveSigningKey({ mode: 'prod', privateKeyPath: dir }, nodeKeyIO({})));
    expect(err2.message).toBe(`read private key: read ${dir}: is a directory`);
  });
});

describe('resolveVerifyKey (§1.3)', () => {
  it('exclusivity checks come first, public before private', async () => {
    const m = memIO({});
    expect((await errorOf(resolveVerifyKey({ publicKeyPath: 'a', publicKeyEnv: 'B', privateKeyPath: 'c', privateKeyEnv: 'D' }, m))).message).toBe(
      'public key source: set either path or env',
    );
    expect((await errorOf(resolveVerifyKey({ publicKeyPath: 'a', privateKeyPath: 'c', privateKeyEnv: 'D' }, m))).message).toBe(
      'private key source: set either path or env',
    );
    expect((await errorOf(resolveVerifyKey({}, m))).message).toBe('public key not configured');
  });

  it('a public source wins; otherwise the private key is used', async () => {
    const io = nodeKeyIO({});
    const fromPub = await resolveVerifyKey({ publicKeyPath: fixturePath(DELEGATION_PUBLIC), privateKeyPath: fixturePath(APPROVAL_PRIVATE) }, io);
    expect(fromPub.keyId).toBe('854baff4855aef78ee7bff54778815baba4f4c8dd693e12ad4429edd118f6590');
    const fromPriv = await resolveVerifyKey({ privateKeyPath: fixturePath(APPROVAL_PRIVATE) }, io);
    expect(fromPriv.keyId).toBe('8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52');
    const fromEnv = await resolveVerifyKey({ publicKeyEnv: 'PUB' }, nodeKeyIO({ PUB: await fixture(APPROVAL_PUBLIC) }));
    expect(fromEnv.keyId).toBe(fromPriv.keyId);
    // The public source is used even when the private one is broken (it is never read).
    expect((await resolveVerifyKey({ publicKeyEnv: 'PUB', privateKeyPath: '/nonexistent' }, nodeKeyIO({ PUB: await fixture(APPROVAL_PUBLIC) }))).keyId).toBe(
      fromPriv.keyId,
    );
  });

  it('loader errors', async () => {
    const m = memIO({ 'bad.pub': 'AAAA' }, {});
    expect((await errorOf(resolveVerifyKey({ publicKeyEnv: 'X' }, m))).message).toBe('public key env not set: X');
    expect((await errorOf(resolveVerifyKey({ privateKeyEnv: 'Y' }, m))).message).toBe('private key env not set: Y');
    expect((await errorOf(resolveVerifyKey({ publicKeyPath: 'bad.pub' }, m))).message).toBe('invalid public key length: 3');
    expect((await errorOf(resolveVerifyKey({ publicKeyPath: 'none.pub' }, m))).message).toBe(
      'read public key: open none.pub: no such file or directory',
    );
  });
});

// A server that re-reads its key for every request (`gait mcp serve --private-key`, as Gait does)
// parses the same text each time; the seed → public-key check must not cost a scalar
// multiplication every time, and must still hold.
/** Per-call time of the fastest of 10 batches of 20 calls (a GC pause or a busy machine only slows a batch down). */
function fastestBatch(fn: () => unknown): number {
  let best = Infinity;
  for (let b = 0; b < 10; b++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) fn();
    best = Math.min(best, (performance.now() - t) / 20);
  }
  return best;
}

async function fastestBatchAsync(fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let b = 0; b < 10; b++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) await fn();
    best = Math.min(best, (performance.now() - t) / 20);
  }
  return best;
}

describe('parsePrivateKey on the same text again', () => {
  it('is cheap after the first parse', () => {
    const text = encodePrivateKey(generateKeyPair().privateKey);
    parsePrivateKey(text);
    const again = fastestBatch(() => parsePrivateKey(text));
    const fresh = Array.from({ length: 5 }, () => encodePrivateKey(generateKeyPair().privateKey));
    const t1 = performance.now();
    for (const t of fresh) parsePrivateKey(t);
    const first = (performance.now() - t1) / 5;
    expect(again).toBeLessThan(first / 10);
  });

  it('still rejects a key whose public half does not match its seed, right after the good one', () => {
    const { privateKey } = generateKeyPair();
    const good = encodePrivateKey(privateKey);
    expect(parsePrivateKey(good)).toEqual(privateKey);
    const bad = privateKey.slice();
    bad[63] = bad[63]! ^ 1;
    expect(() => parsePrivateKey(encodePrivateKey(bad))).toThrow(GaitError);
    expect(parsePrivateKey(good)).toEqual(privateKey);
  });

  it('is cheap after the first load from a file or env (resolveSigningKey, the WebCrypto check)', async () => {
    const load = (text: string) => resolveSigningKey({ mode: 'prod', privateKeyEnv: 'K' }, memIO({}, { K: text }));
    const text = encodePrivateKey(generateKeyPair().privateKey);
    await load(text);
    const again = await fastestBatchAsync(() => load(text));
    const fresh = Array.from({ length: 5 }, () => encodePrivateKey(generateKeyPair().privateKey));
    const t1 = performance.now();
    for (const t of fresh) await load(t);
    const first = (performance.now() - t1) / 5;
    expect(again).toBeLessThan(first / 5);
  });

  it('still refuses a mismatched key from a file or env, right after the good one', async () => {
    const load = (text: string) => resolveSigningKey({ mode: 'prod', privateKeyEnv: 'K' }, memIO({}, { K: text }));
    const { privateKey } = generateKeyPair();
    expect((await load(encodePrivateKey(privateKey))).privateKey).toEqual(privateKey);
    const bad = privateKey.slice();
    bad[40] = bad[40]! ^ 4;
    await errorOf(load(encodePrivateKey(bad)));
  });

  it('hands out keys the caller may change without changing the next parse', () => {
    const { privateKey } = generateKeyPair();
    const text = encodePrivateKey(privateKey);
    const first = parsePrivateKey(text);
    first.fill(0);
    expect(parsePrivateKey(text)).toEqual(privateKey);
  });
});
