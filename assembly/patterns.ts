// Path, domain and workspace pattern matching on UTF-8 bytes (policy.md §3.8): exact match, a
// trailing `/**` subtree, `*.` domain suffixes, and Go path.Match shell globs where `*` and `?`
// never cross `/`. A malformed glob never matches.

@inline function byteAt(p: usize, i: i32): i32 {
  return <i32>load<u8>(p + <usize>i);
}

/** Length in bytes of the UTF-8 sequence starting with byte `b`. */
@inline function runeLen(b: i32): i32 {
  if (b < 0x80) return 1;
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  return 4;
}

let decodedRune: i32 = 0;

/** Decodes the rune at p[i]; sets decodedRune and returns its byte length. */
function decodeRune(p: usize, i: i32, len: i32): i32 {
  const b = byteAt(p, i);
  const n = runeLen(b);
  if (n == 1 || i + n > len) {
    decodedRune = b;
    return 1;
  }
  let r = n == 2 ? b & 0x1f : n == 3 ? b & 0x0f : b & 0x07;
  for (let k = 1; k < n; k++) r = (r << 6) | (byteAt(p, i + k) & 0x3f);
  decodedRune = r;
  return n;
}

export function bytesEqual(a: usize, alen: i32, b: usize, blen: i32): bool {
  if (alen != blen) return false;
  return memory.compare(a, b, <usize>alen) == 0;
}

export function hasPrefix(s: usize, slen: i32, prefix: usize, plen: i32): bool {
  if (plen > slen) return false;
  return memory.compare(s, prefix, <usize>plen) == 0;
}

export function hasSuffix(s: usize, slen: i32, suffix: usize, xlen: i32): bool {
  if (xlen > slen) return false;
  return memory.compare(s + <usize>(slen - xlen), suffix, <usize>xlen) == 0;
}

// ---- Glob (Go path.Match) ----

/** Parses one class `[...]` starting after '['; returns the index after ']' or -1 if malformed. */
function classEnd(p: usize, i: i32, plen: i32): i32 {
  if (i < plen && byteAt(p, i) == 0x5e /* ^ */) i++;
  let first = true;
  while (true) {
    if (i >= plen) return -1;
    const c = byteAt(p, i);
    if (c == 0x5d /* ] */ && !first) return i + 1;
    first = false;
    // lo
    if (c == 0x5c /* \ */) {
      i++;
      if (i >= plen) return -1;
    } else if (c == 0x2d /* - */ || c == 0x5d) {
      return -1;
    }
    i += decodeRune(p, i, plen);
    if (i < plen && byteAt(p, i) == 0x2d) {
      i++;
      if (i >= plen) return -1;
      const h = byteAt(p, i);
      if (h == 0x5c) {
        i++;
        if (i >= plen) return -1;
      } else if (h == 0x2d || h == 0x5d) {
        return -1;
      }
      i += decodeRune(p, i, plen);
    }
  }
}

/** Whole-pattern syntax check, so that a malformed glob never matches (as in Go 1.16+). */
export function globValid(p: usize, plen: i32): bool {
  let i: i32 = 0;
  while (i < plen) {
    const c = byteAt(p, i);
    if (c == 0x5c) {
      if (i + 1 >= plen) return false;
      i += 1 + decodeRune(p, i + 1, plen);
    } else if (c == 0x5b /* [ */) {
      i = classEnd(p, i + 1, plen);
      if (i < 0) return false;
    } else {
      i++;
    }
  }
  return true;
}

/** Does rune r match the class starting after '[' at p[i]? (pattern already validated) */
function classMatches(p: usize, i: i32, plen: i32, r: i32): bool {
  let negated = false;
  if (byteAt(p, i) == 0x5e) {
    negated = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (true) {
    const c = byteAt(p, i);
    if (c == 0x5d && !first) break;
    first = false;
    if (c == 0x5c) i++;
    i += decodeRune(p, i, plen);
    const lo = decodedRune;
    let hi = lo;
    if (byteAt(p, i) == 0x2d) {
      i++;
      if (byteAt(p, i) == 0x5c) i++;
      i += decodeRune(p, i, plen);
      hi = decodedRune;
    }
    if (lo <= r && r <= hi) matched = true;
  }
  return matched != negated;
}

/** End (exclusive) of the chunk starting at p[i]: up to the next `*` outside a class. */
function chunkEnd(p: usize, i: i32, plen: i32): i32 {
  let inClass = false;
  while (i < plen) {
    const c = byteAt(p, i);
    if (c == 0x5c) {
      i += 2;
      continue;
    }
    if (c == 0x5b) inClass = true;
    else if (c == 0x5d) inClass = false;
    else if (c == 0x2a && !inClass) return i;
    i++;
  }
  return plen;
}

/**
 * Matches the chunk p[ci..cend) at the start of s[si..slen); returns the position in s after the
 * chunk, or -1. Literals compare bytes, `?` and classes consume one rune.
 */
function matchChunk(p: usize, ci: i32, cend: i32, s: usize, si: i32, slen: i32): i32 {
  while (ci < cend) {
    if (si >= slen) return -1;
    const c = byteAt(p, ci);
    if (c == 0x5b) {
      const n = decodeRune(s, si, slen);
      if (!classMatches(p, ci + 1, cend, decodedRune)) return -1;
      si += n;
      ci = classEnd(p, ci + 1, cend);
      continue;
    }
    if (c == 0x3f) {
      if (byteAt(s, si) == 0x2f) return -1;
      si += decodeRune(s, si, slen);
      ci++;
      continue;
    }
    if (c == 0x5c) ci++;
    if (byteAt(p, ci) != byteAt(s, si)) return -1;
    ci++;
    si++;
  }
  return si;
}

/**
 * Go path.Match: the pattern is a sequence of (stars, chunk); each chunk is matched at the
 * leftmost position a star allows, stars never skip `/`. Linear per chunk: no backtracking
 * blow-up on hostile values.
 */
export function globMatch(p: usize, plen: i32, s: usize, slen: i32): bool {
  if (!globValid(p, plen)) return false;
  let pi: i32 = 0;
  let si: i32 = 0;
  while (pi < plen) {
    let star = false;
    while (pi < plen && byteAt(p, pi) == 0x2a) {
      star = true;
      pi++;
    }
    const cend = chunkEnd(p, pi, plen);
    const last = cend == plen;
    if (star && pi == cend) {
      // Trailing star: the rest must hold no '/'.
      for (let k = si; k < slen; k++) if (byteAt(s, k) == 0x2f) return false;
      return true;
    }
    let t = matchChunk(p, pi, cend, s, si, slen);
    if (t >= 0 && (t == slen || !last)) {
      si = t;
      pi = cend;
      continue;
    }
    if (!star) return false;
    let found = false;
    for (let k = si; k < slen && byteAt(s, k) != 0x2f; k++) {
      t = matchChunk(p, pi, cend, s, k + 1, slen);
      if (t >= 0) {
        if (last && t < slen) continue;
        si = t;
        found = true;
        break;
      }
    }
    if (!found) return false;
    pi = cend;
  }
  return si == slen;
}

/** policy.md §3.8 path pattern: exact, trailing `/**` subtree, else glob. */
export function pathMatch(p: usize, plen: i32, s: usize, slen: i32): bool {
  if (plen == 0) return false;
  if (bytesEqual(p, plen, s, slen)) return true;
  if (plen >= 3 && byteAt(p, plen - 3) == 0x2f && byteAt(p, plen - 2) == 0x2a && byteAt(p, plen - 1) == 0x2a) {
    const prefixLen = plen - 3;
    if (bytesEqual(p, prefixLen, s, slen)) return true;
    return slen > prefixLen && hasPrefix(s, slen, p, prefixLen) && byteAt(s, prefixLen) == 0x2f;
  }
  return globMatch(p, plen, s, slen);
}

/** policy.md §3.8 domain pattern (both sides already lower-cased): exact, `*.suffix`, glob. */
export function domainMatch(p: usize, plen: i32, s: usize, slen: i32): bool {
  if (plen == 0) return false;
  if (bytesEqual(p, plen, s, slen)) return true;
  if (plen >= 2 && byteAt(p, 0) == 0x2a && byteAt(p, 1) == 0x2e) {
    if (hasSuffix(s, slen, p + 1, plen - 1)) return true;
  }
  return globMatch(p, plen, s, slen);
}
