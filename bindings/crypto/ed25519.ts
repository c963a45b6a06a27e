/**
 * Portable Ed25519 (RFC 8032, pure, no prehash) with Go `crypto/ed25519` acceptance rules.
 *
 * Go's verifier (signed_artifacts.md §1.1; runtime_notes.md §4.8) is the compatibility target:
 *
 * - the signature must be 64 bytes and its scalar S canonical (S < L); S >= L is rejected;
 * - the public key A is decoded leniently: non-canonical y (y >= p) and the "negative zero" x
 *   encodings are accepted, and small-order keys are accepted;
 * - the challenge k = SHA-512(R || A || M) hashes the raw R and A bytes as given;
 * - the check is cofactorless: R' = [S]B - [k]A must re-encode (canonically) to exactly the
 *   32 R bytes of the signature, so a non-canonical R never verifies.
 *
 * `@noble/ed25519` with `zip215: false` is NOT identical to that: it rejects every small-order
 * public key (Go accepts them) and uses the cofactored equation (accepting mixed-order
 * signatures Go rejects). The "noble" backend here therefore implements the Go rule itself on top
 * of noble's point arithmetic. The WebCrypto fast path (OpenSSL in Node; other runtimes bring
 * their own library) is cofactorless and compares R bytes in Node, which is Go's rule; to stay identical on
 * runtimes whose decoders differ, every input where implementations are known to disagree
 * (S >= L, non-canonical or small-order A or R) is decided here before WebCrypto is asked, and
 * WebCrypto is only used after it passes known-answer tests that include a mixed-order key
 * (which catches a cofactored implementation). On Node 20 (OpenSSL 3.0) raw WebCrypto matches
 * Go on every edge-case vector in test/crypto/ed25519.test.ts.
 */
import { Point } from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { GaitError } from '../errors.js';

export const SEED_SIZE = 32;
export const PUBLIC_KEY_SIZE = 32;
export const PRIVATE_KEY_SIZE = 64;
export const SIGNATURE_SIZE = 64;

/** `auto`: WebCrypto when it is available and safe for the input, noble otherwise. */
export type Ed25519Backend = 'auto' | 'webcrypto' | 'noble';

export interface VerifyOptions {
  /** Force one backend (tests). A forced backend bypasses the verification cache. */
  backend?: Ed25519Backend;
  /** Use the verification cache (default true; only in `auto` mode). */
  cache?: boolean;
}

export interface SignOptions {
  backend?: Ed25519Backend;
}

// ---------------------------------------------------------------------------------------------
// Scalars and encodings

const L = 0x1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3edn;
const L_BYTES = numberToLE32(L);

function numberToLE32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

function leToNumber(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

const modL = (n: bigint): bigint => {
  const r = n % L;
  return r < 0n ? r + L : r;
};

function concat(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));
function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/** True when the 32 little-endian bytes of S encode an integer < L (Go's SetCanonicalBytes). */
export function isCanonicalScalar(s: Uint8Array): boolean {
  if (s.length !== 32) return false;
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L_BYTES[i]!) return true;
    if (s[i]! > L_BYTES[i]!) return false;
  }
  return false; // S == L
}

/**
 * True when a point encoding is the canonical one: y < p and no sign bit on an x = 0 point
 * (y = 1 or y = p - 1). Go re-encodes points canonically, so only these can equal `R'.Bytes()`.
 */
export function isCanonicalPointEncoding(b: Uint8Array): boolean {
  if (b.length !== 32) return false;
  const top = b[31]! & 0x7f;
  const sign = b[31]! & 0x80;
  let mid0 = true; // bytes 1..30 all 0x00
  let midF = true; // bytes 1..30 all 0xff
  for (let i = 1; i < 31; i++) {
    if (b[i] !== 0x00) mid0 = false;
    if (b[i] !== 0xff) midF = false;
  }
  // y >= p  <=>  y in [2^255 - 19, 2^255 - 1]
  if (top === 0x7f && midF && b[0]! >= 0xed) return false;
  if (sign !== 0) {
    if (top === 0x00 && mid0 && b[0] === 0x01) return false; // y = 1, x = 0 with sign bit
    if (top === 0x7f && midF && b[0] === 0xec) return false; // y = p - 1, x = 0 with sign bit
  }
  return true;
}

/** Canonical encodings of the eight points of small order, with both sign bits. */
const SMALL_ORDER = new Set<string>();
for (const h of [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4 (x = ±sqrt(-1))
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
]) {
  SMALL_ORDER.add(h);
  const flipped = h.slice(0, 62) + (parseInt(h.slice(62), 16) ^ 0x80).toString(16).padStart(2, '0');
  SMALL_ORDER.add(flipped);
}

/** True when the encoding (canonical or not) is one of the small-order points we route to noble. */
export function isSmallOrderEncoding(b: Uint8Array): boolean {
  return SMALL_ORDER.has(hex(b));
}

// ---------------------------------------------------------------------------------------------
// noble backend: Go's rule on noble's point arithmetic

function decodePointLenient(bytes: Uint8Array): Point | undefined {
  try {
    // zip215 = true decodes like Go's edwards25519 SetBytes: y taken mod p, x = 0 with the sign
    // bit accepted. Invalid points (no square root) throw.
    return Point.fromBytes(bytes, true);
  } catch {
    return undefined;
  }
}

function verifyNoble(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_SIZE || signature.length !== SIGNATURE_SIZE) return false;
  const rBytes = signature.subarray(0, 32);
  const sBytes = signature.subarray(32, 64);
  if (!isCanonicalScalar(sBytes)) return false;
  const A = decodePointLenient(publicKey);
  if (!A) return false;
  const k = modL(leToNumber(sha512(concat(rBytes, publicKey, message))));
  const S = leToNumber(sBytes);
  const Rp = Point.BASE.multiply(S, false).subtract(A.multiply(k, false));
  return bytesEqual(Rp.toBytes(), rBytes);
}

interface Expanded {
  scalar: bigint;
  prefix: Uint8Array;
}

function expandSeed(seed: Uint8Array): Expanded {
  const h = sha512(seed);
  const head = h.slice(0, 32);
  head[0] = head[0]! & 248;
  head[31] = (head[31]! & 127) | 64;
  return { scalar: modL(leToNumber(head)), prefix: h.slice(32, 64) };
}

const baseMul = (n: bigint): Point => (n === 0n ? Point.ZERO : Point.BASE.multiply(n));

/** The 32-byte public key of a 32-byte seed. */
export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  if (seed.length !== SEED_SIZE) throw new GaitError(`invalid seed length: ${seed.length}`, 'invalid_input');
  return baseMul(expandSeed(seed).scalar).toBytes();
}

function splitPrivateKey(privateKey: Uint8Array): { seed: Uint8Array; publicKey: Uint8Array | undefined } {
  if (privateKey.length === PRIVATE_KEY_SIZE) {
    return { seed: privateKey.subarray(0, 32), publicKey: privateKey.subarray(32, 64) };
  }
  if (privateKey.length === SEED_SIZE) return { seed: privateKey, publicKey: undefined };
  throw new GaitError(`invalid private key length: ${privateKey.length}`, 'invalid_input');
}

/**
 * Signs like Go's `ed25519.Sign`: for a 64-byte key the stored public half (bytes 32..63) is what
 * enters the challenge hash, exactly as Go does (it never recomputes it).
 */
function signNoble(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  const { seed, publicKey } = splitPrivateKey(privateKey);
  const { scalar, prefix } = expandSeed(seed);
  const A = publicKey ?? baseMul(scalar).toBytes();
  const r = modL(leToNumber(sha512(concat(prefix, message))));
  const R = baseMul(r).toBytes();
  const k = modL(leToNumber(sha512(concat(R, A, message))));
  const S = modL(r + k * scalar);
  return concat(R, numberToLE32(S));
}

// ---------------------------------------------------------------------------------------------
// WebCrypto backend

type Subtle = SubtleCrypto;
const ED25519 = { name: 'Ed25519' } as const;

function getSubtle(): Subtle | undefined {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  return c && c.subtle ? c.subtle : undefined;
}

/** Fresh ArrayBuffer-backed copy: what WebCrypto's `BufferSource` wants. */
const buf = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b);

// Known answers checked once before WebCrypto is trusted: RFC 8032 §7.1 TEST 1 (must verify, and
// fail with one bit flipped), and two signatures under a mixed-order public key (A + an order-8
// point) built for this module: one satisfies only the cofactored equation (Go rejects it; a
// cofactored WebCrypto would accept it) and one satisfies the cofactorless equation (Go accepts).
const KNOWN_ANSWERS: readonly { pub: string; msg: string; sig: string; ok: boolean }[] = [
  {
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ok: true,
  },
  {
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e4564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    ok: false,
  },
  {
    pub: 'fbb3211d177bccefd763d01a88f6473e43e5cf0a0740e44ab5c64460eefd4675',
    msg: '6d697865642030',
    sig: '205b0f537994e4754a69d556e021685ffabc6150ec47b726dbce0a7f6ee57dbdff6480afd2afbb58a13f6a376da1feecdbc36856bfda27b2fe05823bd1cfbf0f',
    ok: false,
  },
  {
    pub: 'fbb3211d177bccefd763d01a88f6473e43e5cf0a0740e44ab5c64460eefd4675',
    msg: '6d697865642035',
    sig: 'a6c0381cc655b64838b4b8b4f60b6f074a0ab8ffc7721699704bfd077262d1f38e08049a201c5a6d8ed3ca0da142e25940708319f5f8f458b563b620ea692a0e',
    ok: true,
  },
];

function fromHexStr(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

let webCryptoProbe: Promise<boolean> | undefined;

/**
 * Whether `crypto.subtle` supports Ed25519 here and answers the known-answer tests as Go would
 * (memoized). A runtime that fails any of them (for instance one using the cofactored equation)
 * never gets the fast path.
 */
export function webCryptoEd25519Available(): Promise<boolean> {
  if (!webCryptoProbe) {
    webCryptoProbe = (async () => {
      const subtle = getSubtle();
      if (!subtle) return false;
      for (const t of KNOWN_ANSWERS) {
        const key = await subtle.importKey('raw', buf(fromHexStr(t.pub)), ED25519, false, ['verify']);
        const ok = await subtle.verify(ED25519, key, buf(fromHexStr(t.sig)), buf(fromHexStr(t.msg)));
        if (ok !== t.ok) return false;
      }
      return true;
    })().catch(() => false);
  }
  return webCryptoProbe;
}

/** Small LRU of imported CryptoKeys (public keys by hex, private keys by a digest of the key). */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  set(key: string, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

const publicKeys = new Lru<Promise<CryptoKey>>(64);
const privateKeys = new Lru<Promise<CryptoKey | null>>(8);

function importPublic(subtle: Subtle, publicKey: Uint8Array): Promise<CryptoKey> {
  const id = hex(publicKey);
  let p = publicKeys.get(id);
  if (!p) {
    p = subtle.importKey('raw', buf(publicKey), ED25519, false, ['verify']);
    publicKeys.set(id, p);
    p.catch(() => publicKeys.delete(id)); // the caller sees the rejection; don't keep it
  }
  return p;
}

// PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410 §7): WebCrypto cannot import raw private keys.
const PKCS8_PREFIX = fromHexStr('302e020100300506032b657004220420');

function b64urlToBytes(s: string): Uint8Array {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Imports a signing key, or resolves null when WebCrypto would not sign like Go: a 64-byte key
 * whose stored public half is not the seed's public key (Go hashes the stored half).
 */
function importPrivate(subtle: Subtle, privateKey: Uint8Array): Promise<CryptoKey | null> {
  const id = hex(sha256(privateKey));
  let p = privateKeys.get(id);
  if (!p) {
    const { seed, publicKey } = splitPrivateKey(privateKey);
    p = (async () => {
      const key = await subtle.importKey('pkcs8', buf(concat(PKCS8_PREFIX, seed)), ED25519, true, ['sign']);
      if (publicKey) {
        const jwk = await subtle.exportKey('jwk', key);
        if (typeof jwk.x !== 'string' || !bytesEqual(b64urlToBytes(jwk.x), publicKey)) return null;
      }
      return key;
    })().catch(() => null);
    privateKeys.set(id, p);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// node:crypto signer

// Node's own crypto signs synchronously (WebCrypto's sign is a thread-pool job and a promise):
// reached through process.getBuiltinModule, so this module keeps no node: import.
interface NodeSigner {
  createPrivateKey(options: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): object;
  createPublicKey(key: object): { export(options: { format: 'jwk' }): { x?: unknown } };
  sign(algorithm: null, data: Uint8Array, key: object): Uint8Array;
}
const nodeSigner: NodeSigner | undefined = (() => {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => Partial<NodeSigner> | undefined } }).process;
    const c = proc?.getBuiltinModule?.('node:crypto');
    return c && typeof c.createPrivateKey === 'function' && typeof c.createPublicKey === 'function' && typeof c.sign === 'function' ? (c as NodeSigner) : undefined;
  } catch {
    return undefined;
  }
})();
const nodePrivateKeys = new Lru<object | null>(8);

/** importPrivate for node:crypto: the key object, or null when it would not sign like Go (or cannot be made). */
function nodePrivateKey(signer: NodeSigner, privateKey: Uint8Array): object | null {
  const id = hex(sha256(privateKey));
  const known = nodePrivateKeys.get(id);
  if (known !== undefined) return known;
  let key: object | null;
  try {
    const { seed, publicKey } = splitPrivateKey(privateKey);
    key = signer.createPrivateKey({ key: concat(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' });
    if (publicKey) {
      const x = signer.createPublicKey(key).export({ format: 'jwk' }).x;
      if (typeof x !== 'string' || !bytesEqual(b64urlToBytes(x), publicKey)) key = null;
    }
  } catch {
    key = null;
  }
  nodePrivateKeys.set(id, key);
  return key;
}

async function verifyWebCrypto(
  subtle: Subtle,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const key = await importPublic(subtle, publicKey);
  return subtle.verify(ED25519, key, buf(signature), buf(message));
}

// ---------------------------------------------------------------------------------------------
// Verification cache

const CACHE_SIZE = 1024;
const verifyCache = new Lru<boolean>(CACHE_SIZE);

function cacheKey(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
  // Public key and signature have fixed sizes (checked by the caller), so the layout is unambiguous.
  return hex(sha256(concat(publicKey, signature, message)));
}

export function clearVerifyCache(): void {
  verifyCache.clear();
}

export function verifyCacheSize(): number {
  return verifyCache.size;
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Inputs that Go decides without the group equation, or where runtimes' decoders are known to
 * differ. Returns false (reject), 'noble' (decide with the Go-exact backend) or undefined (safe for
 * WebCrypto).
 */
function screen(publicKey: Uint8Array, signature: Uint8Array): false | 'noble' | undefined {
  if (!isCanonicalScalar(signature.subarray(32, 64))) return false;
  const r = signature.subarray(0, 32);
  if (!isCanonicalPointEncoding(r)) return false; // Go compares against a canonical encoding
  if (!isCanonicalPointEncoding(publicKey)) return 'noble';
  if (isSmallOrderEncoding(publicKey) || isSmallOrderEncoding(r)) return 'noble';
  return undefined;
}

/** Verifies with the Go rule, synchronously (noble backend), using the cache unless told not to. */
export function verifySync(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: VerifyOptions = {},
): boolean {
  if (publicKey.length !== PUBLIC_KEY_SIZE || signature.length !== SIGNATURE_SIZE) return false;
  const backend = options.backend ?? 'auto';
  if (backend === 'webcrypto') throw new Error('ed25519: the WebCrypto backend is asynchronous');
  const useCache = backend === 'auto' && options.cache !== false;
  const ck = useCache ? cacheKey(publicKey, message, signature) : '';
  if (useCache) {
    const hit = verifyCache.get(ck);
    if (hit !== undefined) return hit;
  }
  const ok = verifyNoble(publicKey, message, signature);
  if (useCache) verifyCache.set(ck, ok);
  return ok;
}

/** Verifies with the Go rule; WebCrypto fast path where safe, noble otherwise; cached. */
export async function verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  options: VerifyOptions = {},
): Promise<boolean> {
  if (publicKey.length !== PUBLIC_KEY_SIZE || signature.length !== SIGNATURE_SIZE) return false;
  const backend = options.backend ?? 'auto';
  if (backend === 'noble') return verifyNoble(publicKey, message, signature);
  if (backend === 'webcrypto') {
    const subtle = getSubtle();
    if (!subtle || !(await webCryptoEd25519Available())) throw new Error('ed25519: WebCrypto Ed25519 is not available');
    // Only the checks Go makes before the equation; everything else is the runtime's own answer.
    if (!isCanonicalScalar(signature.subarray(32, 64))) return false;
    return verifyWebCrypto(subtle, publicKey, message, signature);
  }
  const useCache = options.cache !== false;
  const ck = useCache ? cacheKey(publicKey, message, signature) : '';
  if (useCache) {
    const hit = verifyCache.get(ck);
    if (hit !== undefined) return hit;
  }
  let ok: boolean;
  const route = screen(publicKey, signature);
  if (route === false) ok = false;
  else if (route === 'noble') ok = verifyNoble(publicKey, message, signature);
  else {
    const subtle = getSubtle();
    if (subtle && (await webCryptoEd25519Available())) {
      try {
        ok = await verifyWebCrypto(subtle, publicKey, message, signature);
      } catch {
        ok = verifyNoble(publicKey, message, signature);
      }
    } else {
      ok = verifyNoble(publicKey, message, signature);
    }
  }
  if (useCache) verifyCache.set(ck, ok);
  return ok;
}

/** Signs synchronously (noble backend). `privateKey` is a 32-byte seed or Go's 64-byte seed||pub. */
export function signSync(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return signNoble(privateKey, message);
}

/** Signs; WebCrypto when available and equivalent (Ed25519 is deterministic: same bytes either way). */
export async function sign(
  privateKey: Uint8Array,
  message: Uint8Array,
  options: SignOptions = {},
): Promise<Uint8Array> {
  splitPrivateKey(privateKey); // length check first, whatever the backend
  const backend = options.backend ?? 'auto';
  if (backend === 'noble') return signNoble(privateKey, message);
  if (backend === 'auto' && nodeSigner) {
    const key = nodePrivateKey(nodeSigner, privateKey);
    if (key) return new Uint8Array(nodeSigner.sign(null, message, key));
  }
  const subtle = getSubtle();
  const available = subtle !== undefined && (await webCryptoEd25519Available());
  if (!available) {
    if (backend === 'webcrypto') throw new Error('ed25519: WebCrypto Ed25519 is not available');
    return signNoble(privateKey, message);
  }
  const key = await importPrivate(subtle, privateKey);
  if (!key) {
    if (backend === 'webcrypto') throw new Error('ed25519: WebCrypto cannot sign with this key like Go does');
    return signNoble(privateKey, message);
  }
  return new Uint8Array(await subtle.sign(ED25519, key, buf(message)));
}

/**
 * A fresh key pair through WebCrypto where the runtime has Ed25519 (tens of microseconds, where
 * noble's first scalar multiplication costs tens of milliseconds in a cold process).
 */
export async function generateKeyPairAsync(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> {
  const subtle = getSubtle();
  if (subtle) {
    try {
      const pair = (await subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
      const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
      const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
      const prefix = pkcs8.subarray(0, pkcs8.length - SEED_SIZE);
      if (publicKey.length === PUBLIC_KEY_SIZE && bytesEqual(prefix, PKCS8_PREFIX)) {
        return { privateKey: concat(pkcs8.subarray(prefix.length), publicKey), publicKey };
      }
    } catch {
      // fall through to the portable implementation
    }
  }
  return generateKeyPair();
}

/** A fresh random key pair in Go's layout: 64-byte private key (seed || public) and public key. */
export function generateKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const seed = new Uint8Array(SEED_SIZE);
  globalThis.crypto.getRandomValues(seed);
  const publicKey = publicKeyFromSeed(seed);
  return { privateKey: concat(seed, publicKey), publicKey };
}
