import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalize } from './jcs.js';

const encoder = new TextEncoder();
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('invalid hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Node and Bun expose their native hash synchronously through process.getBuiltinModule; it is
 * several times faster than the portable implementation, which every other runtime uses.
 */
interface NativeHash {
  update(data: string | Uint8Array, encoding?: 'utf8'): NativeHash;
  digest(): Uint8Array;
  digest(encoding: 'hex'): string;
}
type NativeCreateHash = (algorithm: string) => NativeHash;
// Looked up on first use, not at import: loading node:crypto costs milliseconds of a cold start
// that a decide-only gate (gate.verdict) never needs.
let nativeCreateHash: NativeCreateHash | undefined | null = null;
function native(): NativeCreateHash | undefined {
  if (nativeCreateHash !== null) return nativeCreateHash;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => { createHash?: NativeCreateHash } | undefined } }).process;
    const createHash = proc?.getBuiltinModule?.('node:crypto')?.createHash;
    return (nativeCreateHash = typeof createHash === 'function' ? createHash : undefined);
  } catch {
    return (nativeCreateHash = undefined);
  }
}

/**
 * A cold start's first digests (a decide-only edge function's first `gate.check`) skip the native
 * hash: loading node:crypto takes about 2.4 ms, the portable hash's first call about 0.9 ms. Small
 * inputs only (a policy can be megabytes), and only the first few: after that the native one.
 */
const PORTABLE_MAX_BYTES = 4096;
let portableFirst = 16;
function portableNow(data: Uint8Array | string): boolean {
  if (portableFirst <= 0 || nativeCreateHash !== null || oneShotHash !== null) return false;
  if ((typeof data === 'string' ? data.length * 3 : data.length) > PORTABLE_MAX_BYTES) return false;
  portableFirst--;
  return true;
}

export function sha256Bytes(data: Uint8Array | string): Uint8Array {
  if (portableNow(data)) return sha256(typeof data === 'string' ? encoder.encode(data) : data);
  const createHash = native();
  if (createHash) return new Uint8Array(createHash('sha256').update(data, 'utf8').digest());
  return sha256(typeof data === 'string' ? encoder.encode(data) : data);
}

/**
 * Node's one-shot `crypto.hash` (Node >= 20.12) skips the Hash object and is several times faster
 * on digest-sized inputs; checked once against a known answer before it is trusted.
 */
type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: 'hex') => string;
let oneShotHash: OneShotHash | undefined | null = null;
function oneShot(): OneShotHash | undefined {
  if (oneShotHash !== null) return oneShotHash;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => { hash?: OneShotHash } | undefined } }).process;
    const hash = proc?.getBuiltinModule?.('node:crypto')?.hash;
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    return (oneShotHash = typeof hash === 'function' && hash('sha256', '', 'hex') === empty ? hash : undefined);
  } catch {
    return (oneShotHash = undefined);
  }
}

/** Lowercase hex SHA-256 of a UTF-8 string or bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  if (portableNow(data)) return toHex(sha256(typeof data === 'string' ? encoder.encode(data) : data));
  const hash = oneShot();
  if (hash) return hash('sha256', data, 'hex');
  const createHash = native();
  if (createHash) return createHash('sha256').update(data, 'utf8').digest('hex');
  return toHex(sha256(typeof data === 'string' ? encoder.encode(data) : data));
}

/** The digest every Gait artifact uses: lowercase hex SHA-256 of the JCS form. */
export function digestJson(value: unknown): string {
  return sha256Hex(canonicalize(value));
}
