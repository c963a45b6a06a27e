/**
 * The signature envelope shared by approval tokens, delegation tokens, approved-script entries and
 * traces (signed_artifacts.md §2; proof's SignJSON / VerifyJSON).
 *
 * digest = SHA-256 of the JCS form of the payload without `signature`; the Ed25519 signature is
 * over the 32 raw digest bytes (not the hex text, not the JSON). Normalization and projection of a
 * particular artifact type are the caller's job: pass the payload exactly as Go would marshal it.
 */
import { GaitError } from '../errors.js';
import { digestJson, fromHex } from '../canonical/sha256.js';
import { Base64Error, decodeBase64Std, encodeBase64Std } from './base64.js';
import {
  PRIVATE_KEY_SIZE,
  PUBLIC_KEY_SIZE,
  SEED_SIZE,
  SIGNATURE_SIZE,
  publicKeyFromSeed,
  sign,
  signSync,
  verify,
  verifySync,
  type Ed25519Backend,
} from './ed25519.js';
import { keyId } from './keys.js';

export const SIGNATURE_ALG = 'ed25519';

/** `signature` member, in Go struct order. */
export interface Signature {
  alg: string;
  key_id: string;
  sig: string;
  signed_digest: string;
}

/** A `signature` object as read from a file: any member may be missing or mistyped. */
export type SignatureInput = { readonly [K in keyof Signature]?: unknown };

/** Final error when the Ed25519 check itself fails (callers map it to their own reason code). */
export const SIGNATURE_VERIFY_FAILED = 'signature verification failed';

export interface SignedJsonOptions {
  backend?: Ed25519Backend;
}

/** The payload without a top-level `signature` member (harmless when there is none). */
export function withoutSignature<T extends object>(payload: T): Omit<T, 'signature'> {
  if (!Object.prototype.hasOwnProperty.call(payload, 'signature')) return payload;
  const { signature: _drop, ...rest } = payload as T & { signature?: unknown };
  return rest;
}

/** `signed_digest`: lowercase hex SHA-256 of JCS(payload without `signature`). */
export function signedDigest(payload: object): string {
  return digestJson(withoutSignature(payload));
}

function signerPublicKey(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length === PRIVATE_KEY_SIZE) return privateKey.subarray(32, 64);
  if (privateKey.length === SEED_SIZE) return publicKeyFromSeed(privateKey);
  throw new GaitError(`invalid private key length: ${privateKey.length}`, 'invalid_input');
}

function envelope(privateKey: Uint8Array, digest: string, sig: Uint8Array): Signature {
  return { alg: SIGNATURE_ALG, key_id: keyId(signerPublicKey(privateKey)), sig: encodeBase64Std(sig), signed_digest: digest };
}

/** Signs `payload` (its `signature` member, if any, is ignored). */
export async function signJson(payload: object, privateKey: Uint8Array, options: SignedJsonOptions = {}): Promise<Signature> {
  signerPublicKey(privateKey);
  const digest = signedDigest(payload);
  const sig = await sign(privateKey, fromHex(digest), options.backend ? { backend: options.backend } : {});
  return envelope(privateKey, digest, sig);
}

export function signJsonSync(payload: object, privateKey: Uint8Array): Signature {
  signerPublicKey(privateKey);
  const digest = signedDigest(payload);
  return envelope(privateKey, digest, signSync(privateKey, fromHex(digest)));
}

const fail = (message: string): GaitError => new GaitError(message, 'verification_failed');
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** §2.4 steps 1–7; returns the digest bytes and signature bytes for step 8. */
function precheck(payload: object, signature: SignatureInput, publicKey: Uint8Array): { digest: Uint8Array; sig: Uint8Array } {
  if (publicKey.length !== PUBLIC_KEY_SIZE) throw fail(`invalid public key length: ${publicKey.length}`);
  const computed = signedDigest(payload);
  const stated = str(signature.signed_digest);
  if (stated === '') throw fail('missing signed_digest');
  if (stated !== computed) throw fail('signed_digest mismatch');
  // Unreachable after the exact comparison with a lowercase 64-hex digest, kept for the order of checks.
  let digest: Uint8Array;
  try {
    digest = fromHex(stated);
  } catch {
    throw fail('decode digest: encoding/hex: invalid byte');
  }
  if (digest.length !== 32) throw fail(`invalid digest length: ${digest.length}`);
  const alg = str(signature.alg);
  if (alg !== SIGNATURE_ALG) throw fail(`unsupported alg: ${alg}`);
  const kid = str(signature.key_id);
  if (kid !== '' && kid !== keyId(publicKey)) throw fail('key id mismatch');
  let sig: Uint8Array;
  try {
    sig = decodeBase64Std(str(signature.sig));
  } catch (err) {
    throw fail(`decode sig: ${err instanceof Base64Error ? err.message : String(err)}`);
  }
  if (sig.length !== SIGNATURE_SIZE) throw fail(`invalid signature length: ${sig.length}`);
  return { digest, sig };
}

/**
 * proof's VerifyJSON (§2.4), in order. Resolves when the signature holds; otherwise throws a
 * `GaitError` (category `verification_failed`) with the exact message of the first failed step:
 * `missing signed_digest`, `signed_digest mismatch`, `unsupported alg: <alg>`, `key id mismatch`,
 * `decode sig: …`, `invalid signature length: <n>`, or {@link SIGNATURE_VERIFY_FAILED}.
 */
export async function verifyJson(
  payload: object,
  signature: SignatureInput,
  publicKey: Uint8Array,
  options: SignedJsonOptions = {},
): Promise<void> {
  const { digest, sig } = precheck(payload, signature, publicKey);
  const ok = await verify(publicKey, digest, sig, options.backend ? { backend: options.backend } : {});
  if (!ok) throw fail(SIGNATURE_VERIFY_FAILED);
}

export function verifyJsonSync(payload: object, signature: SignatureInput, publicKey: Uint8Array): void {
  const { digest, sig } = precheck(payload, signature, publicKey);
  if (!verifySync(publicKey, digest, sig)) throw fail(SIGNATURE_VERIFY_FAILED);
}
