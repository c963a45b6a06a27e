/**
 * Byte-wise (UTF-8) string order, which is Go's `sort.Strings` order and equals Unicode code-point
 * order. JavaScript's `<` compares UTF-16 code units and disagrees for characters above U+FFFF
 * against U+E000..U+FFFF, so every "sorted" list in Gait's formats goes through this.
 */
export function compareBytewise(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Surrogates encode code points above U+FFFF: rank them above every other BMP unit.
    if (ca >= 0xd800 && ca <= 0xdfff) ca += 0x10000;
    if (cb >= 0xd800 && cb <= 0xdfff) cb += 0x10000;
    return ca < cb ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Trim, drop empties, de-duplicate, sort byte-wise. */
export function sortedUnique(values: Iterable<string>): string[] {
  if (Array.isArray(values) && values.length === 0) return []; // the usual case, without a Set
  const set = new Set<string>();
  for (const v of values) if (v !== '') set.add(v);
  return [...set].sort(compareBytewise);
}
