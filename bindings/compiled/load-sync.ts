/** Loading a compiled policy synchronously, its signature checked with the portable ed25519 (Go's rule). */
import { verifySync } from '../crypto/ed25519.js';
import { readCompiledPolicy, signatureInvalid, type LoadCompiledPolicyOptions, type LoadedCompiledPolicy } from './load.js';

/**
 * Checks a compiled policy file (magic, format version, core ABI, checksum, and with `publicKey`
 * its key and signature) and returns it ready for `createGate`. Throws CompiledPolicyError.
 */
export function loadCompiledPolicy(bytes: Uint8Array | ArrayBuffer, options: LoadCompiledPolicyOptions = {}): LoadedCompiledPolicy {
  const read = readCompiledPolicy('loadCompiledPolicy', bytes, options);
  const s = read.signature;
  if (s && !verifySync(s.publicKey, s.message, s.signature, { cache: false })) throw signatureInvalid();
  return read.finish();
}
