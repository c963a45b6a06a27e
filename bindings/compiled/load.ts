/**
 * Reading a compiled policy file: every check of format.ts, the key and signature rules, then the
 * sections as the gate needs them. No YAML parser, no compiler, no ed25519 code: the signature
 * equation itself is checked by the caller (load-sync.ts with the portable ed25519, verify.ts with
 * WebCrypto), so the decide-only build (entry-*.ts) carries no second ed25519 implementation.
 */
import type { Policy } from '../policy/model.js';
import type { CompiledPolicy } from '../core/compile.js';
import { sha256Bytes } from '../canonical/sha256.js';
import { CompiledPolicyError, decodeFile, KEY_ID_BYTES, toHex, type DecodedFile } from './format.js';
import { asGaitError, describeValue } from '../arguments.js';
import { invalidInput } from '../errors.js';
import * as L from '../core/layout.js';

export interface LoadCompiledPolicyOptions {
  /** The signer's ed25519 public key (32 raw bytes): the file must be signed with its private key. */
  publicKey?: Uint8Array;
  /** Refuse an unsigned file (default: true when `publicKey` is given). Needs `publicKey`. */
  requireSignature?: boolean;
}

/** A compiled policy that passed every check: pass it to `createGate` (or `new Gate(engine, it)`). */
export interface LoadedCompiledPolicy {
  readonly policy: Policy;
  readonly policyDigest: string;
  /** The compact form and its string table, as the engine loads them. */
  readonly compiled: CompiledPolicy;
  readonly formatVersion: number;
  /** Whether the file was signed (its signature was then verified with the given key). */
  readonly signed: boolean;
  /** Key id (hex SHA-256 of the public key) of the signer, when signed. */
  readonly keyId: string | undefined;
}

// Only what loadCompiledPolicy made is taken as checked: a look-alike object is not a compiled policy.
const checked = new WeakSet<object>();

/** Whether `x` is a compiled policy returned by loadCompiledPolicy (in this copy of gait-wasm). */
export function isLoadedCompiledPolicy(x: unknown): x is LoadedCompiledPolicy {
  return typeof x === 'object' && x !== null && checked.has(x);
}

/** Bytes of a compiled policy as callers have them: a Uint8Array (Buffer), any view, or an ArrayBuffer. */
export function compiledBytes(where: string, x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  throw invalidInput(`${where}: expected a compiled policy (its bytes as a Uint8Array or ArrayBuffer), got ${describeValue(x)}`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function json(section: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (err) {
    throw new CompiledPolicyError('malformed', `the ${section} section is not valid JSON: ${(err as Error).message}`);
  }
}

/** The signature equation still to check: `signature` by `publicKey` over `message`. */
export interface PendingSignature {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** A file that passed every check but the signature equation (`signature`, when signed). */
export interface ReadCompiledPolicy {
  signature: PendingSignature | undefined;
  /** The checked policy, once the caller has verified `signature` (if any). */
  finish(): LoadedCompiledPolicy;
}

export function signatureInvalid(): CompiledPolicyError {
  return new CompiledPolicyError('signature_invalid', 'signature verification failed: the file was modified or not signed by this key', 'verification_failed');
}

/**
 * Checks a compiled policy file up to the signature equation. Throws CompiledPolicyError (a
 * GaitError with a `code`) on a wrong magic, format version, core ABI, checksum or key, a missing
 * signature that is required, or a signed file without its `publicKey` (a signature nobody checks
 * would protect nothing).
 */
export function readCompiledPolicy(where: string, bytes: unknown, options: LoadCompiledPolicyOptions = {}): ReadCompiledPolicy {
  try {
    return readChecked(where, bytes, options);
  } catch (err) {
    throw asGaitError(where, err); // a throwing getter or Proxy trap of an argument, too
  }
}

function readChecked(where: string, bytes: unknown, options: LoadCompiledPolicyOptions): ReadCompiledPolicy {
  const data = compiledBytes(where, bytes);
  if (typeof options !== 'object' || options === null) throw invalidInput(`${where}: expected options as an object, got ${describeValue(options)}`);
  const { publicKey } = options;
  if (publicKey !== undefined && (!(publicKey instanceof Uint8Array) || publicKey.length !== 32)) {
    throw invalidInput(`${where}: publicKey must be the 32 raw bytes of an ed25519 public key, got ${describeValue(publicKey)}${publicKey instanceof Uint8Array ? ` of ${publicKey.length} bytes` : ''}`);
  }
  const requireSignature = options.requireSignature ?? publicKey !== undefined;
  if (requireSignature && publicKey === undefined) throw invalidInput(`${where}: requireSignature needs the signer's publicKey`);
  const file = decodeFile(data);
  let keyId: string | undefined;
  if (file.signed) {
    keyId = toHex(file.keyId!);
    if (publicKey === undefined) {
      throw new CompiledPolicyError('key_required', `the file is signed (key id ${keyId}): pass the signer's public key to verify it`, 'verification_failed');
    }
    const expected = sha256Bytes(publicKey);
    for (let i = 0; i < KEY_ID_BYTES; i++) {
      if (expected[i] !== file.keyId![i]) {
        throw new CompiledPolicyError('wrong_key', `signed with another key (key id ${keyId}, the given public key is ${toHex(expected)})`, 'verification_failed');
      }
    }
  } else if (requireSignature) {
    throw new CompiledPolicyError('signature_missing', 'the file is not signed, and a signature is required', 'verification_failed');
  }
  const signature = file.signed ? { publicKey: publicKey!, message: file.signedBytes, signature: file.signature! } : undefined;
  return { signature, finish: () => finish(file, keyId) };
}

function finish(file: DecodedFile, keyId: string | undefined): LoadedCompiledPolicy {
  if (!/^[0-9a-f]{64}$/.test(file.policyDigest)) throw new CompiledPolicyError('malformed', 'the policy digest is not 64 lowercase hex characters');
  const policy = json('policy', file.policyJson) as Policy;
  const strings = json('strings', file.stringsJson);
  if (typeof policy !== 'object' || policy === null || !Array.isArray(policy.rules)) throw new CompiledPolicyError('malformed', 'the policy section is not a policy');
  if (!Array.isArray(strings) || strings[0] !== '' || !strings.every((s) => typeof s === 'string')) {
    throw new CompiledPolicyError('malformed', 'the strings section is not a string table');
  }
  if (file.core.length < L.P_HEADER_WORDS * 4 || new DataView(file.core.buffer, file.core.byteOffset, 4).getInt32(0, true) !== L.POLICY_MAGIC) {
    throw new CompiledPolicyError('malformed', 'the core section is not a compact policy');
  }
  const ids = new Map<string, number>();
  strings.forEach((s: string, i) => ids.set(s, i));
  // A copy: the caller's buffer may change after loading; the engine copies it again into its memory.
  const compiled: CompiledPolicy = { bytes: file.core.slice(), strings, ids, policy };
  const loaded: LoadedCompiledPolicy = Object.freeze({ policy, policyDigest: file.policyDigest, compiled, formatVersion: 1, signed: file.signed, keyId });
  checked.add(loaded);
  return loaded;
}
