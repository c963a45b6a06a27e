/**
 * Writing a compiled policy file (format.ts): the policy parsed and normalized as createGate would,
 * compiled to the core's compact form (core/compile.ts), with its policy_digest and a checksum,
 * optionally signed with an ed25519 private key. This side needs the YAML parser; loading does not.
 */
import { compilePolicy as compileCore } from '../core/compile.js';
import { policyDigest } from '../policy/digest.js';
import { parsePolicyYaml } from '../policy/parse.js';
import { asGaitError, describeValue, policyInput } from '../arguments.js';
import { invalidInput } from '../errors.js';
import { sha256Bytes } from '../canonical/sha256.js';
import { signSync, publicKeyFromSeed, PRIVATE_KEY_SIZE, SEED_SIZE } from '../crypto/ed25519.js';
import { encodeUnsigned, KEY_ID_BYTES, SIGNATURE_BYTES } from './format.js';
import type { Policy } from '../policy/model.js';

export interface CompilePolicyOptions {
  /** Signs the file: Gait's 64-byte ed25519 private key (seed then public key) or the 32-byte seed. */
  privateKey?: Uint8Array;
}

const encoder = new TextEncoder();

/** The public key a private key signs for (Go's layout keeps it in bytes 32..63). */
function publicKeyFor(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length === PRIVATE_KEY_SIZE) return privateKey.slice(32, 64);
  return publicKeyFromSeed(privateKey);
}

/**
 * Compiles a policy (YAML text, its UTF-8 bytes, a plain object with policy keys, or a Policy from
 * parsePolicyYaml) into a compiled policy file. Throws GaitError on an invalid policy or key.
 */
export function compilePolicy(policy: string | Uint8Array | Record<string, unknown> | Policy, options: CompilePolicyOptions = {}): Uint8Array {
  try {
    return compileChecked(policy, options);
  } catch (err) {
    throw asGaitError('compilePolicy', err); // a throwing getter or Proxy trap of an argument, too
  }
}

function compileChecked(policy: unknown, options: CompilePolicyOptions): Uint8Array {
  const { privateKey } = options;
  if (privateKey !== undefined && (!(privateKey instanceof Uint8Array) || (privateKey.length !== PRIVATE_KEY_SIZE && privateKey.length !== SEED_SIZE))) {
    throw invalidInput(`compilePolicy: privateKey must be a 64-byte ed25519 private key or its 32-byte seed, got ${describeValue(privateKey)}${privateKey instanceof Uint8Array ? ` of ${privateKey.length} bytes` : ''}`);
  }
  const input = policyInput('compilePolicy', policy);
  const normalized: Policy = typeof input === 'string' ? parsePolicyYaml(input) : input;
  const core = compileCore(normalized);
  const unsigned = encodeUnsigned(
    {
      policyDigest: policyDigest(normalized),
      policyJson: encoder.encode(JSON.stringify(normalized)),
      stringsJson: encoder.encode(JSON.stringify(core.strings)),
      core: core.bytes,
    },
    privateKey !== undefined,
  );
  if (privateKey === undefined) return unsigned;
  const out = new Uint8Array(unsigned.length + KEY_ID_BYTES + SIGNATURE_BYTES);
  out.set(unsigned, 0);
  out.set(sha256Bytes(publicKeyFor(privateKey)), unsigned.length);
  out.set(signSync(privateKey, unsigned), unsigned.length + KEY_ID_BYTES);
  return out;
}
