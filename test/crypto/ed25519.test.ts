import { describe, expect, it, beforeEach, vi } from 'vitest';
import * as noble from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  clearVerifyCache,
  generateKeyPair,
  isCanonicalPointEncoding,
  isCanonicalScalar,
  publicKeyFromSeed,
  sign,
  signSync,
  verify,
  verifyCacheSize,
  verifySync,
  webCryptoEd25519Available,
} from '../../bindings/crypto/ed25519.js';
import { fromHex, toHex } from '../../bindings/canonical/sha256.js';

/** RFC 8032 §7.1, TEST 1–3 (secret key = 32-byte seed). */
const RFC8032 = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

/**
 * Edge cases, constructed for this suite (no published Go vectors ship in node_modules).
 * `go` is the answer of Go's crypto/ed25519 rule: S < L, lenient decoding of A (non-canonical y
 * and small order accepted), challenge over the raw bytes, cofactorless check by comparing the
 * canonical encoding of [S]B - [k]A with the R bytes. Node's WebCrypto (OpenSSL 3) gives the same
 * answer on every row. `nobleStrict` is `@noble/ed25519` verify with `{ zip215: false }`, kept to
 * document where it differs from Go (small-order keys, cofactored equation).
 * The "small order" forgeries pick R = [S]B - T over the torsion points T until the equation holds.
 */
const EDGE: { name: string; pub: string; msg: string; sig: string; go: boolean; nobleStrict: boolean }[] = [
  { name: "valid signature", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: true, nobleStrict: true },
  { name: "S + L (non-canonical S)", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5012ba6f7f4413290cafbfbca3fc715d15c0ceaa6ac3c6e80248a944bd47104f1c', go: false, nobleStrict: false },
  { name: "S = L", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb50edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', go: false, nobleStrict: false },
  { name: "S with top three bits set", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104fec', go: false, nobleStrict: false },
  { name: "A = identity (small order)", pub: '0100000000000000000000000000000000000000000000000000000000000000', msg: '41203d206964656e746974792028736d616c6c206f72646572292030', sig: 'ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a0813930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = identity, S = L - 1", pub: '0100000000000000000000000000000000000000000000000000000000000000', msg: '41203d206964656e746974792c2053203d204c202d20312030', sig: '58666666666666666666666666666666666666666666666666666666666666e6ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', go: true, nobleStrict: false },
  { name: "A = identity, non-canonical y = p + 1", pub: 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', msg: '41203d206964656e746974792c206e6f6e2d63616e6f6e6963616c2079203d2070202b20312030', sig: 'ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a0813930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = identity with sign bit (x = 0)", pub: '0100000000000000000000000000000000000000000000000000000000000080', msg: '41203d206964656e746974792077697468207369676e20626974202878203d2030292030', sig: 'ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a0813930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = all-zero bytes (order 4)", pub: '0000000000000000000000000000000000000000000000000000000000000000', msg: '41203d20616c6c2d7a65726f20627974657320286f726465722034292030', sig: 'ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a0813930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = non-canonical y = p (order 4)", pub: 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', msg: '41203d206e6f6e2d63616e6f6e6963616c2079203d207020286f726465722034292032', sig: 'af6e8e63f857d90bf1afb0d2cd8753a15efed2964adc823c24f85082207e073e3930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = order-8 point", pub: '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', msg: '41203d206f726465722d3820706f696e742030', sig: '2043e9e419b3bcfd0a9bbc00d6330c95df8a41e5e059800ed94a9cea0a97e3c73930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = order-2 point", pub: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', msg: '41203d206f726465722d3220706f696e742031', sig: 'feaf9d07b868cc52786305312c376563c622b0386a10d105e3c1501b28d65f7e3930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = order-2 point with sign bit (x = 0)", pub: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', msg: '41203d206f726465722d3220706f696e742077697468207369676e20626974202878203d2030292031', sig: 'feaf9d07b868cc52786305312c376563c622b0386a10d105e3c1501b28d65f7e3930000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "A = all-zero, signature all-zero", pub: '0000000000000000000000000000000000000000000000000000000000000000', msg: '68656c6c6f', sig: '00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', go: false, nobleStrict: false },
  { name: "mixed-order A, only the cofactored equation holds", pub: 'fbb3211d177bccefd763d01a88f6473e43e5cf0a0740e44ab5c64460eefd4675', msg: '6d697865642030', sig: '205b0f537994e4754a69d556e021685ffabc6150ec47b726dbce0a7f6ee57dbdff6480afd2afbb58a13f6a376da1feecdbc36856bfda27b2fe05823bd1cfbf0f', go: false, nobleStrict: true },
  { name: "mixed-order A, cofactorless equation holds", pub: 'fbb3211d177bccefd763d01a88f6473e43e5cf0a0740e44ab5c64460eefd4675', msg: '6d697865642035', sig: 'a6c0381cc655b64838b4b8b4f60b6f074a0ab8ffc7721699704bfd077262d1f38e08049a201c5a6d8ed3ca0da142e25940708319f5f8f458b563b620ea692a0e', go: true, nobleStrict: true },
  { name: "R = identity, A = identity, S = 0", pub: '0100000000000000000000000000000000000000000000000000000000000000', msg: '68656c6c6f', sig: '01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', go: true, nobleStrict: false },
  { name: "R = identity non-canonical (y = p + 1), A = identity, S = 0", pub: '0100000000000000000000000000000000000000000000000000000000000000', msg: '68656c6c6f', sig: 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000', go: false, nobleStrict: false },
  { name: "R = identity (small order) with a real key", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '01000000000000000000000000000000000000000000000000000000000000003d0bbf5a4ed793ead3f7b10780839e942adb184cbef90ff5eb180831f811eb05', go: true, nobleStrict: true },
  { name: "R + order-8 point", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '48887c92a383e1df47d61cb47c05103cbbd9486893a10e20e4ec150e7da3643925e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
  { name: "flipped bit in R", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d8541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
  { name: "flipped bit in S", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d922c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
  { name: "public key sign bit flipped", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d2ac', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
  { name: "A not on the curve", pub: '0200000000000000000000000000000000000000000000000000000000000000', msg: '68656c6c6f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
  { name: "wrong message", pub: 'ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c', msg: '68656c6c4f', sig: '359a315920d9541c3cc2a1dd1839f3e40bf23358a1d93a6ebd8303c0310ceb5025e679222ab016b4d822c5001e787e00c0ceaa6ac3c6e80248a944bd47104f0c', go: false, nobleStrict: false },
];

const hex = fromHex;
const subtleAvailable = await webCryptoEd25519Available();
noble.hashes.sha512 = sha512;

describe('ed25519: RFC 8032 test vectors', () => {
  for (const v of RFC8032) {
    it(`${v.name}: public key, signature, verification`, async () => {
      const seed = hex(v.secret);
      const pub = hex(v.public);
      const msg = hex(v.message);
      expect(toHex(publicKeyFromSeed(seed))).toBe(v.public);
      const priv64 = new Uint8Array([...seed, ...pub]);
      expect(toHex(signSync(seed, msg))).toBe(v.signature);
      expect(toHex(signSync(priv64, msg))).toBe(v.signature);
      expect(toHex(await sign(priv64, msg))).toBe(v.signature);
      expect(toHex(await sign(seed, msg, { backend: 'noble' }))).toBe(v.signature);
      if (subtleAvailable) expect(toHex(await sign(priv64, msg, { backend: 'webcrypto' }))).toBe(v.signature);
      expect(verifySync(pub, msg, hex(v.signature))).toBe(true);
      expect(await verify(pub, msg, hex(v.signature))).toBe(true);
      expect(await verify(pub, msg, hex(v.signature), { backend: 'noble' })).toBe(true);
      if (subtleAvailable) expect(await verify(pub, msg, hex(v.signature), { backend: 'webcrypto' })).toBe(true);
      const bad = hex(v.signature);
      bad[10] = bad[10]! ^ 0x40;
      expect(await verify(pub, msg, bad, { cache: false })).toBe(false);
    });
  }
});

describe('ed25519: sign/verify round trip', () => {
  it('signs and verifies with a generated key, both backends', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    expect(privateKey.length).toBe(64);
    expect(toHex(privateKey.subarray(32))).toBe(toHex(publicKey));
    const msg = new TextEncoder().encode('gait trace digest');
    const a = await sign(privateKey, msg);
    const b = signSync(privateKey, msg);
    expect(toHex(a)).toBe(toHex(b)); // deterministic, same bytes from either backend
    expect(await verify(publicKey, msg, a)).toBe(true);
    expect(verifySync(publicKey, msg, a)).toBe(true);
    expect(await verify(publicKey, new TextEncoder().encode('other'), a, { cache: false })).toBe(false);
  });

  it('signs like Go with a 64-byte key whose public half does not match the seed', async () => {
    const { privateKey } = generateKeyPair();
    const other = generateKeyPair().publicKey;
    const mismatched = new Uint8Array([...privateKey.subarray(0, 32), ...other]);
    const msg = new Uint8Array([1, 2, 3]);
    // Go hashes the stored public half into the challenge: the signature verifies under neither key.
    const s1 = signSync(mismatched, msg);
    const s2 = await sign(mismatched, msg); // WebCrypto would use the real key: falls back to noble
    expect(toHex(s2)).toBe(toHex(s1));
    expect(await verify(other, msg, s1, { cache: false })).toBe(false);
    expect(await verify(privateKey.subarray(32), msg, s1, { cache: false })).toBe(false);
  });

  // A server signs one trace per request: in Node, node:crypto signs synchronously, without
  // WebCrypto's round trip through the thread pool. Same bytes (Ed25519 is deterministic).
  it.skipIf(typeof process.getBuiltinModule !== 'function')('signs through node:crypto in Node, not through crypto.subtle', async () => {
    const { privateKey } = generateKeyPair();
    const msg = new TextEncoder().encode('one trace per request');
    const subtleSign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    try {
      const a = await sign(privateKey, msg);
      const b = await sign(privateKey, msg);
      expect(toHex(a)).toBe(toHex(signSync(privateKey, msg)));
      expect(toHex(b)).toBe(toHex(a));
      expect(subtleSign).not.toHaveBeenCalled();
    } finally {
      subtleSign.mockRestore();
    }
  });

  it('rejects private keys that are neither 32 nor 64 bytes', async () => {
    expect(() => signSync(new Uint8Array(33), new Uint8Array())).toThrow('invalid private key length: 33');
    await expect(sign(new Uint8Array(10), new Uint8Array())).rejects.toThrow('invalid private key length: 10');
  });

  it('returns false for wrong lengths instead of throwing', async () => {
    const { publicKey } = generateKeyPair();
    expect(await verify(publicKey, new Uint8Array(), new Uint8Array(63))).toBe(false);
    expect(await verify(publicKey.subarray(1), new Uint8Array(), new Uint8Array(64))).toBe(false);
    expect(verifySync(publicKey, new Uint8Array(), new Uint8Array(65))).toBe(false);
  });
});

describe('ed25519: Go acceptance rules on edge cases', () => {
  it('WebCrypto Ed25519 is available on Node 20', () => {
    expect(subtleAvailable).toBe(true);
  });

  for (const v of EDGE) {
    it(`${v.name}: ${v.go ? 'accepted' : 'rejected'} by every backend`, async () => {
      const pub = hex(v.pub);
      const msg = hex(v.msg);
      const sig = hex(v.sig);
      expect(await verify(pub, msg, sig, { cache: false }), 'auto').toBe(v.go);
      expect(await verify(pub, msg, sig, { backend: 'noble' }), 'noble').toBe(v.go);
      expect(verifySync(pub, msg, sig, { cache: false }), 'sync').toBe(v.go);
      if (subtleAvailable) expect(await verify(pub, msg, sig, { backend: 'webcrypto' }), 'webcrypto').toBe(v.go);
    });
  }

  it('raw WebCrypto (no pre-checks at all) agrees with Go on every edge case', async () => {
    if (!subtleAvailable) return;
    for (const v of EDGE) {
      const b = (h: string): Uint8Array<ArrayBuffer> => new Uint8Array(hex(h));
      const key = await crypto.subtle.importKey('raw', b(v.pub), { name: 'Ed25519' }, false, ['verify']);
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, b(v.sig), b(v.msg));
      expect(ok, v.name).toBe(v.go);
    }
  });

  it('documents where noble { zip215: false } differs from Go (why the noble backend implements Go\'s rule)', () => {
    const differing: string[] = [];
    for (const v of EDGE) {
      const ok = noble.verify(hex(v.sig), hex(v.msg), hex(v.pub), { zip215: false });
      expect(ok, v.name).toBe(v.nobleStrict);
      if (ok !== v.go) differing.push(v.name);
    }
    expect(differing).toContain('A = identity (small order)');
    expect(differing).toContain('mixed-order A, only the cofactored equation holds');
  });

  it('scalar and point encoding predicates', () => {
    const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
    const Lminus1 = L.slice();
    Lminus1[0] = Lminus1[0]! - 1;
    expect(isCanonicalScalar(L)).toBe(false);
    expect(isCanonicalScalar(Lminus1)).toBe(true);
    expect(isCanonicalScalar(new Uint8Array(32))).toBe(true);
    expect(isCanonicalPointEncoding(hex('0100000000000000000000000000000000000000000000000000000000000000'))).toBe(true);
    expect(isCanonicalPointEncoding(hex('0100000000000000000000000000000000000000000000000000000000000080'))).toBe(false);
    expect(isCanonicalPointEncoding(hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(false);
    expect(isCanonicalPointEncoding(hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(true);
    expect(isCanonicalPointEncoding(hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'))).toBe(false);
  });
});

describe('ed25519: verification cache', () => {
  beforeEach(() => clearVerifyCache());

  it('caches results by (public key, message, signature) and stays bounded', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    const msg = new Uint8Array(32).fill(9);
    const sig = signSync(privateKey, msg);
    expect(await verify(publicKey, msg, sig)).toBe(true);
    expect(verifyCacheSize()).toBe(1);
    expect(await verify(publicKey, msg, sig)).toBe(true);
    expect(verifySync(publicKey, msg, sig)).toBe(true);
    expect(verifyCacheSize()).toBe(1);
    const bad = sig.slice();
    bad[0] = bad[0]! ^ 1;
    expect(await verify(publicKey, msg, bad)).toBe(false);
    expect(verifyCacheSize()).toBe(2);
    // A different message with the same signature is a different entry (and fails).
    expect(await verify(publicKey, new Uint8Array(32), sig)).toBe(false);
    expect(verifyCacheSize()).toBe(3);
    // Forced backends bypass the cache.
    await verify(publicKey, new Uint8Array(32).fill(1), sig, { backend: 'noble' });
    expect(verifyCacheSize()).toBe(3);
    const cheap = sig.slice();
    cheap.fill(0xff, 32); // S >= L: rejected before any curve arithmetic, still cached
    for (let i = 0; i < 1100; i++) {
      const m = new Uint8Array(4);
      new DataView(m.buffer).setUint32(0, i);
      expect(verifySync(publicKey, m, cheap)).toBe(false);
    }
    expect(verifyCacheSize()).toBe(1024);
  });

  it('makes repeated verification cheap', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    const msg = new Uint8Array(32).fill(3);
    const sig = signSync(privateKey, msg);
    verifySync(publicKey, msg, sig);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) expect(verifySync(publicKey, msg, sig)).toBe(true);
    const cached = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < 5; i++) verifySync(publicKey, msg, sig, { cache: false });
    const uncached = (performance.now() - t1) / 5;
    expect(cached / 200).toBeLessThan(uncached);
  });
});

describe('generateKeyPairAsync (WebCrypto key generation)', () => {
  it('returns Go-layout pairs whose halves agree and that sign and verify', async () => {
    const { generateKeyPairAsync, publicKeyFromSeed, sign, verify } = await import('../../bindings/crypto/ed25519.js');
    for (let i = 0; i < 3; i++) {
      const pair = await generateKeyPairAsync();
      expect(pair.privateKey).toHaveLength(64);
      expect(Array.from(pair.privateKey.subarray(32))).toEqual(Array.from(pair.publicKey));
      expect(Array.from(publicKeyFromSeed(pair.privateKey.subarray(0, 32)))).toEqual(Array.from(pair.publicKey));
      const msg = new TextEncoder().encode(`m${i}`);
      expect(await verify(pair.publicKey, msg, await sign(pair.privateKey, msg))).toBe(true);
    }
  });
});
