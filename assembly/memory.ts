// Raw-memory helpers shared by the core: word loads, the per-evaluation scratch arena, and id
// lists. The core never allocates managed objects, so memory stays flat across evaluations.

@inline export function word(base: usize, index: i32): i32 {
  return load<i32>(base + (<usize>index << 2));
}

@inline export function setWord(base: usize, index: i32, value: i32): void {
  store<i32>(base + (<usize>index << 2), value);
}

/** Address of a list stored at a word offset relative to `base`. */
@inline export function listAt(base: usize, wordOffset: i32): usize {
  return base + (<usize>wordOffset << 2);
}

@inline export function listCount(list: usize): i32 {
  return load<i32>(list);
}

@inline export function listItem(list: usize, i: i32): i32 {
  return load<i32>(list + 4 + (<usize>i << 2));
}

/** Membership in a list sorted ascending. Id 0 (unknown) is never a member. */
export function listHas(list: usize, id: i32): bool {
  if (id == 0) return false;
  let lo: i32 = 0;
  let hi: i32 = listCount(list) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = listItem(list, mid);
    if (v == id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

// ---- Scratch arena: reset at the start of every evaluation. ----

let scratchTop: usize = 0;
let scratchEnd: usize = 0;
export let outOfSpace: bool = false;

export function scratchReset(start: usize, end: usize): void {
  scratchTop = start;
  scratchEnd = end;
  outOfSpace = false;
}

/** Reserve `words` words; on exhaustion flags outOfSpace and returns a harmless address. */
export function scratchAlloc(words: i32): usize {
  const ptr = scratchTop;
  const next = ptr + (<usize>words << 2);
  if (next > scratchEnd) {
    outOfSpace = true;
    return scratchEnd - 4 >= ptr ? ptr : 0;
  }
  scratchTop = next;
  return ptr;
}

export function scratchMark(): usize {
  return scratchTop;
}

export function scratchRelease(mark: usize): void {
  scratchTop = mark;
}

/** Free words left in the scratch arena. */
export function scratchFree(): i32 {
  return <i32>((scratchEnd - scratchTop) >> 2);
}

// ---- Growable id collector living at the top of the scratch arena. ----
// A collector is used while nothing else is allocated, then frozen into a sorted, unique list.

export function collectorStart(): usize {
  const ptr = scratchAlloc(1);
  store<i32>(ptr, 0);
  return ptr;
}

export function collectorPush(c: usize, id: i32): void {
  const n = load<i32>(c);
  const slot = scratchAlloc(1);
  if (outOfSpace) return;
  // Items are contiguous because the collector owns the top of the arena while it grows.
  store<i32>(slot, id);
  store<i32>(c, n + 1);
}

export function collectorPushList(c: usize, list: usize): void {
  const n = listCount(list);
  for (let i = 0; i < n; i++) collectorPush(c, listItem(list, i));
}

/** Sort ascending, drop duplicates and zeros (absent ids), and shrink the arena to the result. */
export function collectorFinish(c: usize): usize {
  return finishSorted(c, true);
}

/** Like collectorFinish for rule indices, where 0 is a valid value. */
export function collectorFinishIndices(c: usize): usize {
  return finishSorted(c, false);
}

function finishSorted(c: usize, dropZero: bool): usize {
  const n = load<i32>(c);
  sortWords(c + 4, n);
  let out: i32 = 0;
  for (let i = 0; i < n; i++) {
    const v = listItem(c, i);
    if (dropZero && v == 0) continue;
    if (out > 0 && listItem(c, out - 1) == v) continue;
    store<i32>(c + 4 + (<usize>out << 2), v);
    out++;
  }
  store<i32>(c, out);
  scratchRelease(c + 4 + (<usize>out << 2));
  return c;
}

/** Shell sort of `n` i32 words at `ptr` (lists are short; no quadratic worst case). */
export function sortWords(ptr: usize, n: i32): void {
  let gap = n >> 1;
  while (gap > 0) {
    for (let i = gap; i < n; i++) {
      const v = load<i32>(ptr + (<usize>i << 2));
      let j = i;
      while (j >= gap) {
        const u = load<i32>(ptr + (<usize>(j - gap) << 2));
        if (u <= v) break;
        store<i32>(ptr + (<usize>j << 2), u);
        j -= gap;
      }
      store<i32>(ptr + (<usize>j << 2), v);
    }
    gap = gap == 2 ? 1 : <i32>(<f64>gap / 2.2);
  }
}
