// SHA-256 as the digests use it: a fresh module instance answers its first calls with the
// portable hash (a cold start skips loading node:crypto) and later ones natively; every answer,
// either way, is node:crypto's.
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256Hex / sha256Bytes', () => {
  it('the same digests before and after the switch to the native hash, small and large inputs', async () => {
    vi.resetModules();
    const { sha256Hex, sha256Bytes, toHex } = await import('../../bindings/canonical/sha256.js');
    const inputs: Array<string | Uint8Array> = ['', 'abc', 'é☃😀', 'x'.repeat(1365), 'x'.repeat(1366), new Uint8Array(4096).fill(7), new Uint8Array(4097).fill(7), 'y'.repeat(100_000)];
    for (let round = 0; round < 6; round++) {
      for (const input of inputs) {
        expect(sha256Hex(input), `${round} ${input.length}`).toBe(reference(input));
        expect(toHex(sha256Bytes(input))).toBe(reference(input));
      }
    }
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
