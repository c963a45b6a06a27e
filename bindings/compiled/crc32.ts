/**
 * CRC-32 (IEEE 802.3, as zlib and PNG): the compiled file's checksum against corruption. Not a
 * defence against tampering (anyone can recompute it; that is the signature's job), and cheap on
 * a cold start, where a first SHA-256 in JavaScript costs milliseconds before the JIT warms up.
 */
let table: Int32Array | undefined;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

export function crc32(bytes: Uint8Array): number {
  const t = (table ??= makeTable());
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
