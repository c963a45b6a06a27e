/**
 * Loading a compiled policy with its signature checked by the runtime's WebCrypto Ed25519
 * (workerd, Deno, browsers, Node >= 20): what the decide-only build offers, so it carries no
 * ed25519 code of its own. Fails closed where WebCrypto has no Ed25519.
 */
import { CompiledPolicyError } from './format.js';
import { readCompiledPolicy, signatureInvalid, type LoadCompiledPolicyOptions, type LoadedCompiledPolicy, type PendingSignature } from './load.js';

// The group order L, little-endian: a signature's S must be below it (Go rejects S >= L).
const ORDER = [0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10];

function canonicalS(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! !== ORDER[i]!) return s[i]! < ORDER[i]!;
  }
  return false;
}

async function webCryptoVerify(p: PendingSignature): Promise<boolean> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) throw new CompiledPolicyError('signature_unverifiable', 'this runtime has no WebCrypto: verify with loadCompiledPolicy from the main gait-wasm entry', 'verification_failed');
  if (!canonicalS(p.signature.subarray(32))) return false;
  let key: CryptoKey;
  try {
    key = await subtle.importKey('raw', new Uint8Array(p.publicKey), { name: 'Ed25519' }, false, ['verify']);
  } catch (err) {
    throw new CompiledPolicyError('signature_unverifiable', `this runtime's WebCrypto cannot verify Ed25519 (${(err as Error).message}): verify with loadCompiledPolicy from the main gait-wasm entry`, 'verification_failed');
  }
  try {
    return await subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(p.signature), new Uint8Array(p.message));
  } catch {
    return false;
  }
}

/**
 * Like loadCompiledPolicy, with the signature checked by WebCrypto (asynchronous). Throws
 * CompiledPolicyError; `signature_unverifiable` where the runtime's WebCrypto has no Ed25519.
 */
export async function verifyCompiledPolicy(bytes: Uint8Array | ArrayBuffer, options: LoadCompiledPolicyOptions = {}): Promise<LoadedCompiledPolicy> {
  const read = readCompiledPolicy('verifyCompiledPolicy', bytes, options);
  if (read.signature && !(await webCryptoVerify(read.signature))) throw signatureInvalid();
  return read.finish();
}
