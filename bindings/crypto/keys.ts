/**
 * Gait key files, key ids and key-source resolution (signed_artifacts.md §1).
 *
 * Key files hold raw key bytes as standard padded base64: a private key is Go's 64-byte
 * `ed25519.PrivateKey` (seed || public key), a public key is 32 bytes. Readers trim space, `\n`,
 * `\r` and `\t` around the text. All file and environment access goes through {@link KeyIO} so
 * this module runs anywhere; `io-node.ts` is the Node implementation.
 */
import { invalidInput } from '../errors.js';
import { sha256Hex } from '../canonical/sha256.js';
import { goQuote } from '../policy/gostr.js';
import { decodeBase64Std, encodeBase64Std } from './base64.js';
import {
  generateKeyPair as generateEd25519, generateKeyPairAsync, publicKeyFromSeed, PRIVATE_KEY_SIZE, PUBLIC_KEY_SIZE,
} from './ed25519.js';

/** File and environment access, kept behind an interface for portability. */
export interface KeyIO {
  /** Resolves the file text; rejects with an Error whose message is Go's os error text. */
  readFile(path: string): Promise<string>;
  env(name: string): string | undefined;
}

/** The four optional key sources (`--private-key`, `--private-key-env`, `--public-key`, `--public-key-env`). */
export interface KeySources {
  privateKeyPath?: string | undefined;
  privateKeyEnv?: string | undefined;
  publicKeyPath?: string | undefined;
  publicKeyEnv?: string | undefined;
}

export interface SigningKeyConfig extends KeySources {
  /** `--key-mode`, already trimmed and lower-cased by the caller; '' means prod (§1.3). */
  mode?: string | undefined;
}

export interface KeyPair {
  /** 64 bytes: seed || public key. */
  privateKey: Uint8Array;
  /** 32 bytes. */
  publicKey: Uint8Array;
}

export interface SigningKey extends KeyPair {
  mode: 'dev' | 'prod';
  keyId: string;
  /** The dev-mode warning, or empty. */
  warnings: string[];
}

export interface VerifyKey {
  publicKey: Uint8Array;
  keyId: string;
}

export const DEV_MODE_WARNING = 'dev mode: ephemeral keypair generated; signatures will not verify across machines';

// ---------------------------------------------------------------------------------------------
// Encoding

/** Strips leading and trailing space, `\n`, `\r`, `\t` (and nothing else). */
export function trimKeyText(text: string): string {
  return text.replace(/^[ \n\r\t]+/, '').replace(/[ \n\r\t]+$/, '');
}

function decodeKey(text: string, kind: 'private' | 'public', size: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64Std(trimKeyText(text));
  } catch (err) {
    throw invalidInput(`decode ${kind} key: ${(err as Error).message}`);
  }
  if (bytes.length !== size) throw invalidInput(`invalid ${kind} key length: ${bytes.length}`);
  return bytes;
}

export const MISMATCHED_PRIVATE_KEY =
  'private key halves do not match: the public key (bytes 32-63) is not the one derived from the seed (bytes 0-31)';

/**
 * Parses private-key text (file content or env value): 64 bytes after base64, whose public half
 * must be the seed's public key. Gait accepts a key whose halves differ, and every signature made
 * with it fails to verify (Go hashes the stored half); gait-wasm rejects it at load.
 */
export function parsePrivateKey(text: string): Uint8Array {
  const key = decodeKey(text, 'private', PRIVATE_KEY_SIZE);
  const seed = key.subarray(0, 32);
  const derived = knownPublicKey(seed) ?? rememberPublicKey(seed, publicKeyFromSeed(seed));
  if (!equalBytes(derived, key.subarray(32, 64))) throw invalidInput(MISMATCHED_PRIVATE_KEY);
  return key;
}

// The last seed checked and its public key: a server that re-reads its key for every request (as
// Gait re-reads --private-key) derives it once, not once per request (~1 ms). Copies in and out.
let lastSeed: Uint8Array | undefined;
let lastPublicKey: Uint8Array | undefined;

function knownPublicKey(seed: Uint8Array): Uint8Array | undefined {
  if (!lastSeed || !lastPublicKey || lastSeed.length !== seed.length) return undefined;
  let diff = 0; // no early exit: the bytes are a secret seed
  for (let i = 0; i < seed.length; i++) diff |= lastSeed[i]! ^ seed[i]!;
  return diff === 0 ? lastPublicKey.slice() : undefined;
}

function rememberPublicKey(seed: Uint8Array, publicKey: Uint8Array): Uint8Array {
  lastSeed = seed.slice();
  lastPublicKey = publicKey.slice();
  return publicKey;
}

// PKCS #8 wrapping of a 32-byte Ed25519 seed (RFC 8410 §7).
const PKCS8_SEED_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/** The seed's public key through WebCrypto (a cold process pays ~2 ms instead of ~20), or undefined. */
async function webCryptoPublicKey(seed: Uint8Array): Promise<Uint8Array | undefined> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) return undefined;
  try {
    const pkcs8 = new Uint8Array(PKCS8_SEED_PREFIX.length + 32);
    pkcs8.set(PKCS8_SEED_PREFIX, 0);
    pkcs8.set(seed, PKCS8_SEED_PREFIX.length);
    const key = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
    const jwk = await subtle.exportKey('jwk', key);
    if (typeof jwk.x !== 'string') return undefined;
    const b64 = jwk.x.replace(/-/g, '+').replace(/_/g, '/');
    return decodeBase64Std(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    return undefined; // no Ed25519 in this runtime's WebCrypto: the portable path decides
  }
}

/** parsePrivateKey, with the halves checked through WebCrypto where the runtime has it. */
async function parsePrivateKeyAsync(text: string): Promise<Uint8Array> {
  const key = decodeKey(text, 'private', PRIVATE_KEY_SIZE);
  const seed = key.subarray(0, 32);
  const derived = knownPublicKey(seed) ?? rememberPublicKey(seed, (await webCryptoPublicKey(seed)) ?? publicKeyFromSeed(seed));
  if (!equalBytes(derived, key.subarray(32, 64))) throw invalidInput(MISMATCHED_PRIVATE_KEY);
  return key;
}

/** Parses public-key text: 32 bytes after base64. */
export function parsePublicKey(text: string): Uint8Array {
  return decodeKey(text, 'public', PUBLIC_KEY_SIZE);
}

/** Key-file text as `gait keys init` writes it: base64 + "\n". */
export function encodePrivateKey(privateKey: Uint8Array): string {
  if (privateKey.length !== PRIVATE_KEY_SIZE) throw invalidInput(`invalid private key length: ${privateKey.length}`);
  return encodeBase64Std(privateKey) + '\n';
}

export function encodePublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_SIZE) throw invalidInput(`invalid public key length: ${publicKey.length}`);
  return encodeBase64Std(publicKey) + '\n';
}

/** `key_id`: lowercase hex SHA-256 of the 32 raw public-key bytes (§1.2). */
export function keyId(publicKey: Uint8Array): string {
  return sha256Hex(publicKey);
}

/** The public half of a 64-byte private key (Go's `PrivateKey.Public()`: bytes 32..63, not recomputed). */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== PRIVATE_KEY_SIZE) throw invalidInput(`invalid private key length: ${privateKey.length}`);
  return privateKey.slice(32, 64);
}

/** A fresh random key pair in Gait's layout. */
export function generateKeyPair(): KeyPair {
  return generateEd25519();
}

// ---------------------------------------------------------------------------------------------
// Sources

const given = (v: string | undefined): string => (v === undefined ? '' : v.trim());

async function loadFromSource(
  kind: 'private' | 'public',
  path: string,
  envName: string,
  io: KeyIO,
): Promise<Uint8Array> {
  let text: string;
  if (path !== '') {
    try {
      text = await io.readFile(path);
    } catch (err) {
      throw invalidInput(`read ${kind} key: ${err instanceof Error ? err.message : String(err)}`);
    }
  } else {
    const value = io.env(envName);
    if (value === undefined || trimKeyText(value) === '') throw invalidInput(`${kind} key env not set: ${envName}`);
    text = value;
  }
  return kind === 'private' ? parsePrivateKeyAsync(text) : parsePublicKey(text);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The mode-aware signing-key loader (§1.3): `approve`, `delegate mint`, `approve-script`,
 * `gate eval` trace signing and `keys verify`.
 * Errors are `GaitError`s with category `invalid_input` (exit 6).
 */
export async function resolveSigningKey(config: SigningKeyConfig, io: KeyIO): Promise<SigningKey> {
  const rawMode = config.mode ?? '';
  const mode = rawMode === '' ? 'prod' : rawMode;
  const privPath = given(config.privateKeyPath);
  const privEnv = given(config.privateKeyEnv);
  const pubPath = given(config.publicKeyPath);
  const pubEnv = given(config.publicKeyEnv);

  if (mode === 'dev') {
    if (privPath || privEnv || pubPath || pubEnv) throw invalidInput('dev mode does not accept explicit key sources');
    const pair = await generateKeyPairAsync();
    return { ...pair, mode: 'dev', keyId: keyId(pair.publicKey), warnings: [DEV_MODE_WARNING] };
  }
  if (mode !== 'prod') throw invalidInput(`unsupported key mode: ${goQuote(rawMode)}`);

  if (privPath && privEnv) throw invalidInput('private key source: set either path or env');
  if (!privPath && !privEnv) throw invalidInput('prod mode requires a private key source');
  const privateKey = await loadFromSource('private', privPath, privEnv, io);
  const publicKey = privateKey.slice(32, 64);

  if (pubPath && pubEnv) throw invalidInput('public key source: set either path or env');
  if (pubPath || pubEnv) {
    const configured = await loadFromSource('public', pubPath, pubEnv, io);
    if (!equalBytes(configured, publicKey)) throw invalidInput('public key does not match private key');
  }
  return { privateKey, publicKey, mode: 'prod', keyId: keyId(publicKey), warnings: [] };
}

/**
 * The mode-less verify-key loader (§1.3): a public source wins, else the public half of a private
 * source, else `public key not configured`. Both exclusivity checks run first.
 */
export async function resolveVerifyKey(config: KeySources, io: KeyIO): Promise<VerifyKey> {
  const privPath = given(config.privateKeyPath);
  const privEnv = given(config.privateKeyEnv);
  const pubPath = given(config.publicKeyPath);
  const pubEnv = given(config.publicKeyEnv);
  if (pubPath && pubEnv) throw invalidInput('public key source: set either path or env');
  if (privPath && privEnv) throw invalidInput('private key source: set either path or env');
  let publicKey: Uint8Array;
  if (pubPath || pubEnv) publicKey = await loadFromSource('public', pubPath, pubEnv, io);
  else if (privPath || privEnv) publicKey = (await loadFromSource('private', privPath, privEnv, io)).slice(32, 64);
  else throw invalidInput('public key not configured');
  return { publicKey, keyId: keyId(publicKey) };
}

/** True when any of the four sources is set (after trimming). */
export function hasKeySource(config: KeySources): boolean {
  return !!(given(config.privateKeyPath) || given(config.privateKeyEnv) || given(config.publicKeyPath) || given(config.publicKeyEnv));
}
