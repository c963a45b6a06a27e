// The engine's free-list allocator, alone (no WASM): its invariants under random use.
import { describe, expect, it } from 'vitest';
import { Allocator, ALIGN } from '../../bindings/core/allocator.js';

/** An allocator over a pretend memory of `capacity` bytes that grows in 64 KiB pages up to `max`. */
function make(base: number, max: number) {
  const memory = { bytes: 65536 };
  const allocator = new Allocator(base, (want) => {
    if (want > max) return false;
    memory.bytes = Math.max(memory.bytes, Math.ceil(want / 65536) * 65536);
    return true;
  });
  return { allocator, memory };
}

/** Throws unless the live and free blocks tile [base, top) as the allocator promises. */
function checkInvariants(a: Allocator, live: Map<number, number>, base: number): void {
  const fail = (why: string) => {
    throw new Error(`allocator invariant: ${why}`);
  };
  const blocks: Array<[number, number, 'live' | 'free']> = [];
  for (const at of live.keys()) blocks.push([at, a.sizeOf(at)!, 'live']);
  for (const [at, size] of a.freeBlocks()) blocks.push([at, size, 'free']);
  blocks.sort((x, y) => x[0] - y[0]);
  const start = Math.ceil(base / ALIGN) * ALIGN;
  let used = 0;
  let prevEnd = start;
  let prevFree = false;
  for (const [at, size, kind] of blocks) {
    if (at % ALIGN !== 0 || size % ALIGN !== 0 || !(size > 0)) fail(`misaligned or empty block ${at}+${size}`);
    if (at < prevEnd) fail(`overlap at ${at}`);
    if (kind === 'free' && prevFree && at === prevEnd) fail(`unmerged free neighbours at ${at}`);
    if (kind === 'live') used += size;
    prevEnd = at + size;
    prevFree = kind === 'free';
  }
  if (a.top !== prevEnd) fail(`top ${a.top} is not the end of the last block ${prevEnd}`);
  if (prevFree) fail('a free block ends at the top');
  if (a.usedBytes !== used) fail(`usedBytes ${a.usedBytes} != ${used}`);
}

describe('allocator', () => {
  it('keeps its invariants over random allocations and frees', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const base = 1037;
    const { allocator: a } = make(base, 4 * 1024 * 1024);
    const live = new Map<number, number>();
    let failed = 0;
    let holes = 0;
    for (let step = 0; step < 5000; step++) {
      if (live.size === 0 || rand(3) !== 0) {
        const size = 1 + rand(rand(4) === 0 ? 200_000 : 5000);
        const topBefore = a.top;
        const freeBefore = JSON.stringify(a.freeBlocks());
        const at = a.allocate(size);
        if (at === undefined) {
          failed++;
          // A failed allocation changes nothing.
          expect(a.top).toBe(topBefore);
          expect(JSON.stringify(a.freeBlocks())).toBe(freeBefore);
        } else {
          expect(a.sizeOf(at)).toBeGreaterThanOrEqual(size);
          live.set(at, size);
        }
      } else {
        const keys = [...live.keys()];
        const at = keys[rand(keys.length)]!;
        a.free(at);
        live.delete(at);
      }
      checkInvariants(a, live, base);
      holes = Math.max(holes, a.freeBlocks().length);
    }
    expect(failed).toBeGreaterThan(10); // the cap was reached, often
    expect(holes).toBeGreaterThan(10); // and the free list was exercised
    for (const at of [...live.keys()]) {
      a.free(at);
      live.delete(at);
    }
    checkInvariants(a, live, base);
    expect(a.top).toBe(Math.ceil(base / ALIGN) * ALIGN);
    expect(a.freeBlocks()).toEqual([]);
  });

  it('reuses the first freed block that fits, and merges neighbours both ways', () => {
    const { allocator: a } = make(0, 1 << 20);
    const [x, y, z, w] = [a.allocate(100)!, a.allocate(100)!, a.allocate(100)!, a.allocate(16)!];
    expect([x, y, z, w]).toEqual([0, 112, 224, 336]);
    a.free(x);
    a.free(z);
    expect(a.freeBlocks()).toEqual([[0, 112], [224, 112]]);
    a.free(y); // joins both
    expect(a.freeBlocks()).toEqual([[0, 336]]);
    expect(a.allocate(300)).toBe(0);
    a.free(w); // the top block: `top` falls to the live block below it
    expect(a.top).toBe(304);
  });

  it('refuses to free what it did not allocate, or twice', () => {
    const { allocator: a } = make(0, 1 << 20);
    const x = a.allocate(10)!;
    expect(() => a.free(x + 16)).toThrow(RangeError);
    a.free(x);
    expect(() => a.free(x)).toThrow(RangeError);
  });

  it('fails without changing anything when memory cannot grow, also for absurd sizes', () => {
    const { allocator: a, memory } = make(0, 1 << 20);
    const x = a.allocate(1000)!;
    for (const size of [2 << 20, 2 ** 40, Number.NaN, Infinity]) {
      expect(a.allocate(size)).toBeUndefined();
      expect(a.top).toBe(1008);
      expect(memory.bytes).toBe(65536);
    }
    expect(a.allocate(1000)).toBe(x + 1008);
  });
});
