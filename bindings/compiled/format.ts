/**
 * The compiled policy file (`.gaitc`): a normalized policy in the core's compact form, ready to
 * load without the YAML parser or the compiler. Every runtime reads it (no node: imports, no YAML).
 *
 * Layout (integers are little-endian u32):
 *
 *   header      magic "\x89GAITC\r\n" (8 bytes: not UTF-8, so never mistaken for policy text),
 *               format version, core ABI, flags (bit 0: signed)
 *   digest      Gait's policy_digest of the policy, 64 lowercase hex characters
 *   lengths     policy, strings and core section lengths
 *   policy      the normalized policy as JSON (gate.policy: limits, trust, enforcement read it)
 *   strings     the compact form's string table as a JSON array (id -> string)
 *   core        the compact form (core/compile.ts, layout.ts), copied as-is into engine memory
 *   checksum    CRC-32 of every byte before it (corruption; tampering is the signature's job)
 *   signature   only when signed: key id (SHA-256 of the ed25519 public key, 32 bytes), then the
 *               ed25519 signature (64 bytes) of every byte before the key id
 *
 * Reading checks, in order: length, magic, format version, core ABI, checksum, signature (when
 * asked for), then the sections' contents. Any failure is a CompiledPolicyError: never a gate.
 */
import { GaitError, type ErrorCategory } from '../errors.js';
import { toHex } from '../canonical/sha256.js';
import { crc32 } from './crc32.js';
import * as L from '../core/layout.js';
import { BUILTIN_STRINGS } from '../core/builtins.js';

export const MAGIC: Uint8Array = new Uint8Array([0x89, 0x47, 0x41, 0x49, 0x54, 0x43, 0x0d, 0x0a]);
export const FORMAT_VERSION = 1;
export const FLAG_SIGNED = 1;

const HEADER_BYTES = 20; // magic, version, core ABI, flags
const DIGEST_BYTES = 64;
const LENGTHS_BYTES = 12;
export const BODY_START = HEADER_BYTES + DIGEST_BYTES + LENGTHS_BYTES;
export const CHECKSUM_BYTES = 4;
export const KEY_ID_BYTES = 32;
export const SIGNATURE_BYTES = 64;

/** Why a compiled policy was refused: `code` is stable, the message says what to do. */
export type CompiledPolicyErrorCode =
  | 'truncated'
  | 'bad_magic'
  | 'unsupported_version'
  | 'core_abi_mismatch'
  | 'checksum_mismatch'
  | 'signature_missing'
  | 'signature_invalid'
  | 'wrong_key'
  | 'key_required'
  | 'signature_unverifiable'
  | 'malformed';

export class CompiledPolicyError extends GaitError {
  readonly code: CompiledPolicyErrorCode;
  constructor(code: CompiledPolicyErrorCode, message: string, category: ErrorCategory = 'invalid_input') {
    super(`compiled policy: ${message}`, category);
    this.name = 'CompiledPolicyError';
    this.code = code;
  }
}

/**
 * The core ABI a compact form is written for: the fingerprint of layout.ts and the builtin
 * strings below, pinned here so a cold start does not compute it. test/compiled/format.test.ts
 * recomputes it: when the layout changes, that test fails until this constant is updated, and
 * files compiled before the change are then refused (`core_abi_mismatch`).
 */
export const CORE_ABI = 0xeb2eece0;

/** CRC-32 of every numeric layout constant (sorted by name) and builtin string. */
export function layoutFingerprint(): number {
  const constants = Object.entries(L).filter(([, v]) => typeof v === 'number').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return crc32(new TextEncoder().encode(JSON.stringify([constants, BUILTIN_STRINGS])));
}

export function coreAbi(): number {
  return CORE_ABI;
}

/** The sections of a compiled policy file, before or after encoding. */
export interface CompiledSections {
  policyDigest: string;
  policyJson: Uint8Array;
  stringsJson: Uint8Array;
  core: Uint8Array;
}

/** Header, sections and checksum: the bytes a signature covers. */
export function encodeUnsigned(s: CompiledSections, signed: boolean): Uint8Array {
  const bodyBytes = s.policyJson.length + s.stringsJson.length + s.core.length;
  const out = new Uint8Array(BODY_START + bodyBytes + CHECKSUM_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, coreAbi(), true);
  view.setUint32(16, signed ? FLAG_SIGNED : 0, true);
  for (let i = 0; i < DIGEST_BYTES; i++) out[HEADER_BYTES + i] = s.policyDigest.charCodeAt(i);
  view.setUint32(HEADER_BYTES + DIGEST_BYTES, s.policyJson.length, true);
  view.setUint32(HEADER_BYTES + DIGEST_BYTES + 4, s.stringsJson.length, true);
  view.setUint32(HEADER_BYTES + DIGEST_BYTES + 8, s.core.length, true);
  let at = BODY_START;
  for (const part of [s.policyJson, s.stringsJson, s.core]) {
    out.set(part, at);
    at += part.length;
  }
  view.setUint32(at, crc32(out.subarray(0, at)), true);
  return out;
}

/** A file taken apart and checked up to (not including) its signature. */
export interface DecodedFile extends CompiledSections {
  signed: boolean;
  /** The bytes the signature covers (header through checksum). */
  signedBytes: Uint8Array;
  keyId: Uint8Array | undefined;
  signature: Uint8Array | undefined;
}

const truncated = (what: string): CompiledPolicyError =>
  new CompiledPolicyError('truncated', `the file ends early (${what}); it is not a whole compiled policy`);

/** Checks length, magic, version, core ABI and checksum, and splits the sections. */
export function decodeFile(bytes: Uint8Array): DecodedFile {
  if (bytes.length < MAGIC.length) throw truncated('no header');
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new CompiledPolicyError('bad_magic', 'not a compiled policy file (wrong magic bytes); compile one with `gait policy compile`');
  }
  if (bytes.length < BODY_START + CHECKSUM_BYTES) throw truncated('header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new CompiledPolicyError('unsupported_version', `format version ${version} is not supported (this gait-wasm reads version ${FORMAT_VERSION}); recompile the policy with this version`);
  }
  const fileAbi = view.getUint32(12, true);
  if (fileAbi !== coreAbi()) {
    throw new CompiledPolicyError('core_abi_mismatch', `compiled for another core ABI (${hex32(fileAbi)}, this core is ${hex32(coreAbi())}); recompile the policy with this version of gait-wasm`);
  }
  const flags = view.getUint32(16, true);
  const policyLength = view.getUint32(HEADER_BYTES + DIGEST_BYTES, true);
  const stringsLength = view.getUint32(HEADER_BYTES + DIGEST_BYTES + 4, true);
  const coreLength = view.getUint32(HEADER_BYTES + DIGEST_BYTES + 8, true);
  const checksumAt = BODY_START + policyLength + stringsLength + coreLength;
  const signed = (flags & FLAG_SIGNED) !== 0;
  const expected = checksumAt + CHECKSUM_BYTES + (signed ? KEY_ID_BYTES + SIGNATURE_BYTES : 0);
  // Lengths are read before the checksum can vouch for them: bound them first (no huge reads).
  if (bytes.length < expected) throw truncated('sections');
  if (bytes.length > expected) throw new CompiledPolicyError('malformed', `${bytes.length - expected} unexpected bytes after the ${signed ? 'signature' : 'checksum'}`);
  if (crc32(bytes.subarray(0, checksumAt)) !== view.getUint32(checksumAt, true)) {
    throw new CompiledPolicyError('checksum_mismatch', 'checksum mismatch: the file is corrupt or was modified');
  }
  if ((flags & ~FLAG_SIGNED) !== 0) throw new CompiledPolicyError('malformed', `unknown flags ${hex32(flags)}`);
  const signedEnd = checksumAt + CHECKSUM_BYTES;
  let digest = '';
  for (let i = 0; i < DIGEST_BYTES; i++) digest += String.fromCharCode(bytes[HEADER_BYTES + i]!);
  const policyAt = BODY_START;
  const stringsAt = policyAt + policyLength;
  const coreAt = stringsAt + stringsLength;
  return {
    policyDigest: digest,
    policyJson: bytes.subarray(policyAt, stringsAt),
    stringsJson: bytes.subarray(stringsAt, coreAt),
    core: bytes.subarray(coreAt, checksumAt),
    signed,
    signedBytes: bytes.subarray(0, signedEnd),
    keyId: signed ? bytes.subarray(signedEnd, signedEnd + KEY_ID_BYTES) : undefined,
    signature: signed ? bytes.subarray(signedEnd + KEY_ID_BYTES) : undefined,
  };
}

function hex32(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

export { toHex };

/**
 * Whether createGate should read `x` as a compiled policy: bytes starting with the magic's first
 * byte, 0x89, which never starts UTF-8 text (so never a YAML policy). The rest is checked on load.
 */
export function isCompiledPolicyBytes(x: unknown): x is Uint8Array | ArrayBuffer {
  if (x instanceof Uint8Array) return x.length > 0 && x[0] === MAGIC[0];
  if (x instanceof ArrayBuffer) return x.byteLength > 0 && new Uint8Array(x, 0, 1)[0] === MAGIC[0];
  return false;
}
