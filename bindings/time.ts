/**
 * RFC 3339 times the way Gait's Go code reads and prints them.
 *
 * Parsing: `parseRfc3339` is what Gait v1.3.6 accepts for a time in its JSON inputs (intent
 * `created_at`, delegation and token times): checked against the binary, that is
 * `time.Parse(time.RFC3339, s)` (`T`, seconds required, optional `.digits` or `,digits`, `Z` or
 * `±hh:mm` with hours up to 24 and minutes up to 60, a one- or two-digit hour, years 0000-9999),
 * not Go's stricter RFC 3339 check (golang/go#54580). `parseRfc3339Go` is the same parse without
 * the fast path. Both keep nanoseconds and the offset, and fail with Go's own error text, since
 * that text reaches users inside `parse intent json: …`. Like Go, more than nine fraction digits
 * are accepted and truncated (not rounded).
 *
 * Formatting: `formatRfc3339Nano` is Go's `Format(time.RFC3339Nano)` (fraction with trailing
 * zeros trimmed, `Z` for a zero offset), in UTC or in the time's own offset.
 *
 * Times are plain values: seconds since 1970-01-01T00:00:00Z (proleptic Gregorian, year 0
 * exists), nanoseconds within that second, and the offset the text carried.
 */

export interface RfcTime {
  /** Whole seconds since the Unix epoch, UTC (may be negative). */
  readonly epochSeconds: number;
  /** 0..999_999_999. */
  readonly nanos: number;
  /** Offset east of UTC that the time is displayed in (0 for `Z`). */
  readonly offsetMinutes: number;
}

export const RFC3339_LAYOUT = '2006-01-02T15:04:05Z07:00';

/** Go's zero `time.Time` (0001-01-01T00:00:00Z), which Gait treats as "unset". */
export const ZERO_TIME: RfcTime = Object.freeze({ epochSeconds: -62135596800, nanos: 0, offsetMinutes: 0 });

/** A Go-compatible parse failure; `message` is the exact Go error text. */
export class TimeParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeParseError';
  }
}

// ---- calendar arithmetic (days from civil, H. Hinnant's algorithm; works for any year) -------

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = floorDiv(yy, 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = floorDiv(zz, 146097);
  const doe = zz - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  if (month === 2 && isLeap(year)) return 29;
  return MONTH_DAYS[month - 1] ?? 31;
}

function build(
  year: number, month: number, day: number, hour: number, min: number, sec: number, nanos: number,
  offsetMinutes: number,
): RfcTime {
  const local = daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
  return { epochSeconds: local - offsetMinutes * 60, nanos, offsetMinutes };
}

// ---- byte-level view: Go parses bytes, and quotes non-ASCII bytes as \xNN in its errors ------

const utf8 = new TextEncoder();

/** The UTF-8 bytes of `s` as a string of char codes 0..255 (identity for ASCII). */
function byteString(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  let out = '';
  for (const b of utf8.encode(s)) out += String.fromCharCode(b);
  return out;
}

const HEX = '0123456789abcdef';

/** time.quote: like strconv.Quote, but every control or non-ASCII byte is written as \xNN. */
function timeQuote(bytes: string): string {
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c >= 0x80 || c < 0x20) out += '\\x' + HEX[c >> 4]! + HEX[c & 15]!;
    else {
      if (c === 0x22 || c === 0x5c) out += '\\';
      out += bytes[i];
    }
  }
  return out + '"';
}

function parseError(value: string, layoutElem: string, valueElem: string, message: string): TimeParseError {
  if (message === '') {
    return new TimeParseError(
      `parsing time ${timeQuote(value)} as ${timeQuote(RFC3339_LAYOUT)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`,
    );
  }
  return new TimeParseError(`parsing time ${timeQuote(value)}${message}`);
}

const isDigitAt = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's parseNanoseconds: `value[0]` is the separator, digits follow; at most nine are used. */
function parseNanos(value: string, nbytes: number): number {
  const n = Math.min(nbytes, 10);
  let ns = 0;
  for (let i = 1; i < n; i++) ns = ns * 10 + (value.charCodeAt(i) - 48);
  for (let i = n; i < 10; i++) ns *= 10;
  return ns;
}

// ---- fast path: the common strict shape (Go's time.parseRFC3339) -------------------------------

function parseStrictFast(b: string): RfcTime | undefined {
  if (b.length < 19) return undefined;
  let ok = true;
  const num = (s: string, min: number, max: number): number => {
    let x = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) {
        ok = false;
        return min;
      }
      x = x * 10 + (c - 48);
    }
    if (x < min || x > max) {
      ok = false;
      return min;
    }
    return x;
  };
  const year = num(b.slice(0, 4), 0, 9999);
  const month = num(b.slice(5, 7), 1, 12);
  const day = num(b.slice(8, 10), 1, daysIn(month, year));
  const hour = num(b.slice(11, 13), 0, 23);
  const min = num(b.slice(14, 16), 0, 59);
  const sec = num(b.slice(17, 19), 0, 59);
  if (!ok || b[4] !== '-' || b[7] !== '-' || b[10] !== 'T' || b[13] !== ':' || b[16] !== ':') return undefined;
  let s = b.slice(19);
  let nanos = 0;
  if (s.length >= 2 && s[0] === '.' && isDigitAt(s, 1)) {
    let n = 2;
    while (n < s.length && isDigitAt(s, n)) n++;
    nanos = parseNanos(s, n);
    s = s.slice(n);
  }
  let offset = 0;
  if (s.length !== 1 || s[0] !== 'Z') {
    if (s.length !== 6) return undefined;
    const hr = num(s.slice(1, 3), 0, 23);
    const mm = num(s.slice(4, 6), 0, 59);
    if (!ok || (s[0] !== '-' && s[0] !== '+') || s[3] !== ':') return undefined;
    offset = (hr * 60 + mm) * (s[0] === '-' ? -1 : 1);
  }
  return build(year, month, day, hour, min, sec, nanos, offset);
}

// ---- time.Parse(time.RFC3339, …), chunk by chunk, with Go's error texts -----------------------

type ParseResult = { ok: true; time: RfcTime } | { ok: false; error: TimeParseError };

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string, boolean] {
  if (!isDigitAt(s, 0)) return [0, s, false];
  if (!isDigitAt(s, 1)) {
    if (fixed) return [0, s, false];
    return [s.charCodeAt(0) - 48, s.slice(1), true];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2), true];
}

const CHUNKS: ReadonlyArray<readonly [prefix: string, std: string]> = [
  ['', '2006'], ['-', '01'], ['-', '02'], ['T', '15'], [':', '04'], [':', '05'], ['', 'Z07:00'],
];

function parseGoBytes(original: string): ParseResult {
  let value = original;
  let year = 0, month = 0, day = 0, hour = 0, min = 0, sec = 0, nanos = 0, offset = 0;
  for (const [prefix, std] of CHUNKS) {
    for (let i = 0; i < prefix.length; i++) {
      if (value.length === 0 || value[0] !== prefix[i]) {
        return { ok: false, error: parseError(original, prefix, value, '') };
      }
      value = value.slice(1);
    }
    const hold = value;
    let good = true;
    let range = '';
    switch (std) {
      case '2006':
        if (value.length < 4 || !isDigitAt(value, 0) || !/^[0-9]{4}$/.test(value.slice(0, 4))) good = false;
        else {
          year = Number(value.slice(0, 4));
          value = value.slice(4);
        }
        break;
      case '01':
        [month, value, good] = getnum(value, true);
        if (good && (month <= 0 || month > 12)) range = 'month';
        break;
      case '02':
        [day, value, good] = getnum(value, true); // validated against the month after parsing
        break;
      case '15':
        [hour, value, good] = getnum(value, false);
        if (hour >= 24) range = 'hour';
        break;
      case '04':
        [min, value, good] = getnum(value, true);
        if (min >= 60) range = 'minute';
        break;
      case '05':
        [sec, value, good] = getnum(value, true);
        if (!good) break;
        if (sec >= 60) {
          range = 'second';
          break;
        }
        // A fraction the layout does not mention is still accepted after the seconds.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          let n = 2;
          while (n < value.length && isDigitAt(value, n)) n++;
          nanos = parseNanos(value, n);
          value = value.slice(n);
        }
        break;
      case 'Z07:00': {
        if (value.length >= 1 && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          break;
        }
        if (value.length < 6 || value[3] !== ':') {
          good = false;
          break;
        }
        const sign = value[0];
        let hr = 0, mm = 0;
        [hr, , good] = getnum(value.slice(1, 3), true);
        if (good) [mm, , good] = getnum(value.slice(4, 6), true);
        value = value.slice(6);
        // Go tests with > rather than >=: offsets of 24 hours or 60 minutes pass here.
        if (hr > 24) range = 'time zone offset hour';
        if (mm > 60) range = 'time zone offset minute';
        offset = hr * 60 + mm;
        if (sign === '-') offset = -offset;
        else if (sign !== '+') good = false;
        break;
      }
    }
    if (range !== '') return { ok: false, error: parseError(original, std, value, `: ${range} out of range`) };
    if (!good) return { ok: false, error: parseError(original, std, hold, '') };
  }
  if (value.length > 0) {
    return { ok: false, error: parseError(original, '', value, `: extra text: ${timeQuote(value)}`) };
  }
  if (day < 1 || day > daysIn(month, year)) {
    return { ok: false, error: parseError(original, '', value, ': day out of range') };
  }
  return { ok: true, time: build(year, month, day, hour, min, sec, nanos, offset) };
}

/** `time.Parse(time.RFC3339, text)`. Throws TimeParseError with Go's message. */
export function parseRfc3339Go(text: string): RfcTime {
  const r = parseGoBytes(byteString(text));
  if (!r.ok) throw r.error;
  return r.time;
}

/**
 * A time as Gait reads it from JSON (intent `created_at`, delegation `issued_at`/`expires_at`,
 * token times): `time.Parse(time.RFC3339, text)`, with a fast path for the common shape. Gait
 * v1.3.6 accepts `2026-02-05T00:00:00+24:00`, `…+05:60`, `…T0:00:00Z` and `…00:00:00,5Z`, which a
 * strict RFC 3339 reader would refuse. Throws TimeParseError with Go's message.
 */
export function parseRfc3339(text: string): RfcTime {
  const b = byteString(text);
  const fast = parseStrictFast(b);
  if (fast) return fast;
  const r = parseGoBytes(b);
  if (!r.ok) throw r.error;
  return r.time;
}

/**
 * True for the common strict shape `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)` with every field in
 * range: a cheap check, without building a time, that parseRfc3339 accepts the text. False says
 * nothing (the text may still parse); callers then parse it for real.
 */
export function isPlainRfc3339(text: string): boolean {
  const n = text.length;
  if (n < 20) return false;
  const year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const day = digitAt(text, 8) * 10 + digitAt(text, 9);
  const hour = digitAt(text, 11) * 10 + digitAt(text, 12);
  const min = digitAt(text, 14) * 10 + digitAt(text, 15);
  const sec = digitAt(text, 17) * 10 + digitAt(text, 18);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (hour < 0 || hour > 23 || min < 0 || min > 59 || sec < 0 || sec > 59) return false;
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) {
    return false; // - - T : :
  }
  let i = 19;
  if (text.charCodeAt(i) === 0x2e /* . */) {
    const start = ++i;
    while (i < n && digitAt(text, i) >= 0) i++;
    if (i === start) return false;
  }
  if (i === n - 1) return text.charCodeAt(i) === 0x5a; // Z
  const sign = text.charCodeAt(i);
  if (i !== n - 6 || (sign !== 0x2b && sign !== 0x2d) || text.charCodeAt(i + 3) !== 0x3a) return false;
  const oh = digitAt(text, i + 1) * 10 + digitAt(text, i + 2);
  const om = digitAt(text, i + 4) * 10 + digitAt(text, i + 5);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

/** The digit at `i`, or -1e9 for anything else: a field holding a non-digit sums to < 0. */
function digitAt(text: string, i: number): number {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1e9;
}

/**
 * formatRfc3339Nano(parseRfc3339(text), true) for the common case where that is `text` itself:
 * the plain shape in UTC (`Z`), with no trailing zero in a fraction of at most nine digits; or
 * undefined (then parse and format for real).
 */
export function unchangedUtcText(text: string): string | undefined {
  if (!isPlainRfc3339(text) || text.charCodeAt(text.length - 1) !== 0x5a /* Z */) return undefined;
  if (text.length > 20) {
    const digits = text.length - 21; // `.` at 19, `Z` last
    if (digits > 9 || text.charCodeAt(text.length - 2) === 0x30 /* 0 */) return undefined;
  }
  return text;
}

/** parseRfc3339 without the exception. */
export function tryParseRfc3339(text: string): RfcTime | undefined {
  try {
    return parseRfc3339(text);
  } catch {
    return undefined;
  }
}

// ---- formatting -----------------------------------------------------------------------------

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Go's appendInt(year, 4): a sign, then at least four digits. */
function formatYear(year: number): string {
  return year < 0 ? '-' + pad(-year, 4) : pad(year, 4);
}

function formatWith(t: RfcTime, utc: boolean, withFraction: boolean): string {
  const offset = utc ? 0 : t.offsetMinutes;
  const local = t.epochSeconds + offset * 60;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const [y, m, d] = civilFromDays(days);
  let out = `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}T${pad(floorDiv(secOfDay, 3600), 2)}:${pad(floorDiv(secOfDay % 3600, 60), 2)}:${pad(secOfDay % 60, 2)}`;
  if (withFraction && t.nanos !== 0) out += '.' + pad(t.nanos, 9).replace(/0+$/, '');
  if (offset === 0) return out + 'Z';
  const abs = Math.abs(offset);
  return `${out}${offset < 0 ? '-' : '+'}${pad(floorDiv(abs, 60), 2)}:${pad(abs % 60, 2)}`;
}

/** Go's `Format(time.RFC3339Nano)`; `utc` converts first (as Go's `t.UTC()` does). */
export function formatRfc3339Nano(t: RfcTime, utc = false): string {
  return formatWith(t, utc, true);
}

/** Go's `Format(time.RFC3339)`: whole seconds, the fraction dropped (not rounded). */
export function formatRfc3339(t: RfcTime, utc = false): string {
  return formatWith(t, utc, false);
}

// ---- construction and comparison ------------------------------------------------------------

/** A time from JavaScript epoch milliseconds (fractions of a millisecond are dropped), in UTC. */
export function timeFromEpochMillis(ms: number): RfcTime {
  const whole = Math.floor(ms);
  const epochSeconds = floorDiv(whole, 1000);
  return { epochSeconds, nanos: (whole - epochSeconds * 1000) * 1_000_000, offsetMinutes: 0 };
}

export function timeFromDate(date: Date): RfcTime {
  return timeFromEpochMillis(date.getTime());
}

/** The wall clock, in UTC. */
export function nowTime(): RfcTime {
  return timeFromEpochMillis(Date.now());
}

/** A JS Date or epoch-ms "now" as Go prints `time.Now().UTC().Format(time.RFC3339Nano)`. */
export function formatNowRfc3339Nano(now: Date | number = Date.now()): string {
  return formatRfc3339Nano(typeof now === 'number' ? timeFromEpochMillis(now) : timeFromDate(now), true);
}

export function toUtc(t: RfcTime): RfcTime {
  return t.offsetMinutes === 0 ? t : { epochSeconds: t.epochSeconds, nanos: t.nanos, offsetMinutes: 0 };
}

/** Go's `IsZero`: the instant 0001-01-01T00:00:00Z, whatever the offset. */
export function isZeroTime(t: RfcTime): boolean {
  return t.epochSeconds === ZERO_TIME.epochSeconds && t.nanos === 0;
}

/** Instant order (offsets ignored): -1, 0 or 1. */
export function compareTime(a: RfcTime, b: RfcTime): number {
  if (a.epochSeconds !== b.epochSeconds) return a.epochSeconds < b.epochSeconds ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

export const isBefore = (a: RfcTime, b: RfcTime): boolean => compareTime(a, b) < 0;
export const isAfter = (a: RfcTime, b: RfcTime): boolean => compareTime(a, b) > 0;
export const isSameInstant = (a: RfcTime, b: RfcTime): boolean => compareTime(a, b) === 0;

/** `t` plus whole seconds (may be negative); the offset is kept. */
export function addSeconds(t: RfcTime, seconds: number): RfcTime {
  return { epochSeconds: t.epochSeconds + Math.trunc(seconds), nanos: t.nanos, offsetMinutes: t.offsetMinutes };
}

/** `a - b` in seconds, fractional (Go's `a.Sub(b).Seconds()`). */
export function secondsBetween(a: RfcTime, b: RfcTime): number {
  return a.epochSeconds - b.epochSeconds + (a.nanos - b.nanos) / 1e9;
}

/**
 * Go's `t.Truncate(d)` for d a whole number of seconds dividing a day (minute, hour): Go counts
 * from the zero time, whose epoch offset is a multiple of every such d, so flooring works.
 */
export function truncateTime(t: RfcTime, unitSeconds: number): RfcTime {
  return { epochSeconds: floorDiv(t.epochSeconds, unitSeconds) * unitSeconds, nanos: 0, offsetMinutes: t.offsetMinutes };
}

/** Milliseconds since the epoch (nanoseconds below a millisecond dropped), for JS Date interop. */
export function toEpochMillis(t: RfcTime): number {
  return t.epochSeconds * 1000 + Math.floor(t.nanos / 1_000_000);
}
