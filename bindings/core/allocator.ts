/**
 * The engine's allocator for WASM linear memory: first fit over a free list kept sorted by
 * address, with freed blocks merged into their free neighbours, and into the unused top of the
 * heap when they end there. It only does arithmetic on addresses; the engine copies the bytes.
 *
 * Invariants (checked by test/core/allocator.test.ts):
 * - every block, free or live, is a multiple of ALIGN bytes at an ALIGN-aligned address, and lies
 *   in [base, top); live and free blocks never overlap;
 * - free blocks are sorted, never adjacent to each other (they would have been merged), and none
 *   ends at `top` (it would have lowered `top`);
 * - a failed allocation (the memory could not grow) changes nothing.
 */
export const ALIGN = 16;

/** Largest block we ever hand out: WASM32 addresses stay below 4 GiB. */
const MAX_BLOCK = 2 ** 32;

export class Allocator {
  /** Free blocks, sorted by address: starts[i] and sizes[i]. */
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  /** Live blocks: address → size (so that free() needs no size, and refuses a bad address). */
  private readonly live = new Map<number, number>();
  /** End of the highest block in use; memory above it is unused. */
  private end: number;
  private used = 0;

  /**
   * @param base first usable address (aligned up to ALIGN)
   * @param ensure makes memory at least `bytes` long; false when it cannot (then nothing changed)
   */
  constructor(
    base: number,
    private readonly ensure: (bytes: number) => boolean,
  ) {
    this.end = alignUp(base);
  }

  /** The address of a fresh block of at least `size` bytes, or undefined when memory is full. */
  allocate(size: number): number | undefined {
    const n = alignUp(Math.max(size, 1));
    if (!(n <= MAX_BLOCK)) return undefined;
    const { starts, sizes } = this;
    for (let i = 0; i < starts.length; i++) {
      const free = sizes[i]!;
      if (free < n) continue;
      const address = starts[i]!;
      if (free === n) {
        starts.splice(i, 1);
        sizes.splice(i, 1);
      } else {
        starts[i] = address + n;
        sizes[i] = free - n;
      }
      return this.hand(address, n);
    }
    const address = this.end;
    if (!this.ensure(address + n)) return undefined; // nothing has changed yet
    this.end = address + n;
    return this.hand(address, n);
  }

  /** Returns a block to the free list. Throws on an address that is not a live block. */
  free(address: number): void {
    const n = this.live.get(address);
    if (n === undefined) throw new RangeError(`allocator: ${address} is not an allocated block`);
    this.live.delete(address);
    this.used -= n;
    const { starts, sizes } = this;
    if (address + n === this.end) {
      // The top block: lower `end`, and past the free block below it if there is one.
      this.end = address;
      const last = starts.length - 1;
      if (last >= 0 && starts[last]! + sizes[last]! === address) {
        this.end = starts[last]!;
        starts.pop();
        sizes.pop();
      }
      return;
    }
    // i: the first free block above `address`.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < address) lo = mid + 1;
      else hi = mid;
    }
    const i = lo;
    const joinsBelow = i > 0 && starts[i - 1]! + sizes[i - 1]! === address;
    const joinsAbove = i < starts.length && address + n === starts[i]!;
    if (joinsBelow && joinsAbove) {
      sizes[i - 1] = sizes[i - 1]! + n + sizes[i]!;
      starts.splice(i, 1);
      sizes.splice(i, 1);
    } else if (joinsBelow) {
      sizes[i - 1] = sizes[i - 1]! + n;
    } else if (joinsAbove) {
      starts[i] = address;
      sizes[i] = sizes[i]! + n;
    } else {
      starts.splice(i, 0, address);
      sizes.splice(i, 0, n);
    }
  }

  /** Size of the live block at `address` (undefined when there is none). */
  sizeOf(address: number): number | undefined {
    return this.live.get(address);
  }

  /** Bytes in live blocks. */
  get usedBytes(): number {
    return this.used;
  }

  /** End of the highest live block (the heap's high-water mark for what is in use now). */
  get top(): number {
    return this.end;
  }

  /** The free list, as [address, size] pairs in address order (tests, diagnostics). */
  freeBlocks(): Array<[number, number]> {
    return this.starts.map((s, i) => [s, this.sizes[i]!]);
  }

  private hand(address: number, n: number): number {
    this.live.set(address, n);
    this.used += n;
    return address;
  }
}

/** `n` rounded up to a multiple of ALIGN (arithmetic: correct above 2^31, unlike `& -16`). */
function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
