import { describe, expect, test } from 'vitest';
import {
  addSeconds, compareTime, formatNowRfc3339Nano, formatRfc3339, formatRfc3339Nano, isPlainRfc3339, isZeroTime, parseRfc3339, parseRfc3339Go, unchangedUtcText,
  secondsBetween, timeFromEpochMillis, toEpochMillis, truncateTime, tryParseRfc3339, TimeParseError, ZERO_TIME,
} from '../../bindings/time.js';

const LAYOUT = '"2006-01-02T15:04:05Z07:00"';

function parseMessage(text: string, parse = parseRfc3339): string {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(TimeParseError);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('formatting', () => {
  test('RFC3339Nano trims trailing fraction zeros', () => {
    expect(formatRfc3339Nano(parseRfc3339('2026-02-18T19:13:04.953970Z'))).toBe('2026-02-18T19:13:04.95397Z');
    expect(formatRfc3339Nano(parseRfc3339('2026-02-18T19:13:04.000000000Z'))).toBe('2026-02-18T19:13:04Z');
    expect(formatRfc3339Nano(parseRfc3339('2026-02-18T19:13:04.123456789Z'))).toBe('2026-02-18T19:13:04.123456789Z');
    expect(formatRfc3339(parseRfc3339('2026-02-18T19:13:04.999Z'))).toBe('2026-02-18T19:13:04Z');
  });

  test('offsets: kept, or converted to UTC', () => {
    const t = parseRfc3339('2026-02-06T00:30:00.5+02:00');
    expect(t.offsetMinutes).toBe(120);
    expect(formatRfc3339Nano(t)).toBe('2026-02-06T00:30:00.5+02:00');
    expect(formatRfc3339Nano(t, true)).toBe('2026-02-05T22:30:00.5Z');
    expect(formatRfc3339Nano(parseRfc3339('2026-02-06T00:30:00-05:30'))).toBe('2026-02-06T00:30:00-05:30');
    expect(formatRfc3339Nano(parseRfc3339('2026-02-06T00:30:00-05:30'), true)).toBe('2026-02-06T06:00:00Z');
    // A zero offset prints as Z, as Go's Z07:00 does.
    expect(formatRfc3339Nano(parseRfc3339('2026-02-06T00:30:00+00:00'))).toBe('2026-02-06T00:30:00Z');
    expect(formatRfc3339Nano(parseRfc3339('2026-02-06T00:30:00-00:00'))).toBe('2026-02-06T00:30:00Z');
  });

  test('calendar edges', () => {
    expect(formatRfc3339Nano(parseRfc3339('2024-02-29T23:59:59Z'))).toBe('2024-02-29T23:59:59Z');
    expect(formatRfc3339Nano(parseRfc3339('0000-01-01T00:00:00Z'))).toBe('0000-01-01T00:00:00Z');
    expect(formatRfc3339Nano(parseRfc3339('9999-12-31T23:59:59.999999999Z'))).toBe('9999-12-31T23:59:59.999999999Z');
    // Converting to UTC can leave the 4-digit range; Go prints a sign.
    expect(formatRfc3339Nano(parseRfc3339('0000-01-01T00:00:00+01:00'), true)).toBe('-0001-12-31T23:00:00Z');
    expect(formatRfc3339Nano(parseRfc3339('9999-12-31T23:00:00-01:00'), true)).toBe('10000-01-01T00:00:00Z');
    expect(formatRfc3339Nano(ZERO_TIME)).toBe('0001-01-01T00:00:00Z');
    expect(parseRfc3339('1970-01-01T00:00:00Z').epochSeconds).toBe(0);
  });

  test('now and JS dates', () => {
    expect(formatNowRfc3339Nano(new Date(Date.UTC(2026, 1, 18, 19, 13, 4, 953)))).toBe('2026-02-18T19:13:04.953Z');
    expect(formatNowRfc3339Nano(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatNowRfc3339Nano(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(toEpochMillis(timeFromEpochMillis(1771441984953))).toBe(1771441984953);
    expect(formatNowRfc3339Nano()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/);
  });
});

describe('parsing (what Gait accepts in JSON: time.Parse(time.RFC3339))', () => {
  test('accepts what Go accepts', () => {
    expect(parseRfc3339('2026-02-18T19:13:04Z').nanos).toBe(0);
    expect(parseRfc3339('2026-02-18T19:13:04.5Z').nanos).toBe(500_000_000);
    // More than nine digits: Go truncates instead of failing.
    expect(parseRfc3339('2026-02-18T19:13:04.1234567899Z').nanos).toBe(123_456_789);
    expect(tryParseRfc3339('2026-02-18T19:13:04+23:59')?.offsetMinutes).toBe(23 * 60 + 59);
  });

  test.each([
    ['', `parsing time "" as ${LAYOUT}: cannot parse "" as "2006"`],
    ['2026', `parsing time "2026" as ${LAYOUT}: cannot parse "" as "-"`],
    ['2026-02-18 19:13:04Z', `parsing time "2026-02-18 19:13:04Z" as ${LAYOUT}: cannot parse " 19:13:04Z" as "T"`],
    ['2026-02-18t19:13:04Z', `parsing time "2026-02-18t19:13:04Z" as ${LAYOUT}: cannot parse "t19:13:04Z" as "T"`],
    ['2026-02-18T19:13:04', `parsing time "2026-02-18T19:13:04" as ${LAYOUT}: cannot parse "" as "Z07:00"`],
    ['2026-02-18T19:13:04z', `parsing time "2026-02-18T19:13:04z" as ${LAYOUT}: cannot parse "z" as "Z07:00"`],
    ['2026-02-18T19:13Z', `parsing time "2026-02-18T19:13Z" as ${LAYOUT}: cannot parse "Z" as ":"`],
    ['26-02-18T19:13:04Z', `parsing time "26-02-18T19:13:04Z" as ${LAYOUT}: cannot parse "26-02-18T19:13:04Z" as "2006"`],
    ['2026-2-18T19:13:04Z', `parsing time "2026-2-18T19:13:04Z" as ${LAYOUT}: cannot parse "2-18T19:13:04Z" as "01"`],
    ['2026-13-01T00:00:00Z', 'parsing time "2026-13-01T00:00:00Z": month out of range'],
    ['2026-02-30T00:00:00Z', 'parsing time "2026-02-30T00:00:00Z": day out of range'],
    ['2100-02-29T00:00:00Z', 'parsing time "2100-02-29T00:00:00Z": day out of range'],
    ['2026-02-18T24:00:00Z', 'parsing time "2026-02-18T24:00:00Z": hour out of range'],
    ['2026-02-18T19:60:00Z', 'parsing time "2026-02-18T19:60:00Z": minute out of range'],
    ['2026-02-18T19:13:60Z', 'parsing time "2026-02-18T19:13:60Z": second out of range'],
    ['2026-02-18T19:13:04Zjunk', 'parsing time "2026-02-18T19:13:04Zjunk": extra text: "junk"'],
    ['2026-02-18T19:13:04+25:00', 'parsing time "2026-02-18T19:13:04+25:00": time zone offset hour out of range'],
    ['2026-02-18T19:13:04-24:61', 'parsing time "2026-02-18T19:13:04-24:61": time zone offset minute out of range'],
    ['2026-02-18T19:13:04+00:61', 'parsing time "2026-02-18T19:13:04+00:61": time zone offset minute out of range'],
    ['2026-02-18T19:13:04+2400', `parsing time "2026-02-18T19:13:04+2400" as ${LAYOUT}: cannot parse "+2400" as "Z07:00"`],
    ['2026-02-18T19:13:04,Z', `parsing time "2026-02-18T19:13:04,Z" as ${LAYOUT}: cannot parse ",Z" as "Z07:00"`],
    ['2026-02-18T19:13:04.Z', `parsing time "2026-02-18T19:13:04.Z" as ${LAYOUT}: cannot parse ".Z" as "Z07:00"`],
    // Non-ASCII bytes are quoted as \x escapes.
    ['2026-02-18T19:13:04Ü', `parsing time "2026-02-18T19:13:04\\xc3\\x9c" as ${LAYOUT}: cannot parse "\\xc3\\x9c" as "Z07:00"`],
    ['"2026-02-18T19:13:04Z', `parsing time "\\"2026-02-18T19:13:04Z" as ${LAYOUT}: cannot parse "\\"2026-02-18T19:13:04Z" as "2006"`],
  ])('rejects %j', (text, message) => {
    expect(parseMessage(text)).toBe(message);
    expect(tryParseRfc3339(text)).toBeUndefined();
  });

  // gait v1.3.6 (policy test, intent created_at, delegation and approval token times) accepts what
  // time.Parse(time.RFC3339) accepts, not only Go's strict RFC 3339 (golang/go#54580): a one-digit
  // hour, `,` before the fraction, offset hours of 24 and offset minutes of 60. The expected UTC
  // texts are what gait printed as the policy test `created_at`.
  test.each([
    ['2026-02-05T00:00:00+24:00', '2026-02-04T00:00:00Z'],
    ['2026-02-05T00:00:00+24:59', '2026-02-03T23:01:00Z'],
    ['2026-02-05T00:00:00+05:60', '2026-02-04T18:00:00Z'],
    ['2026-02-05T00:00:00+24:60', '2026-02-03T23:00:00Z'],
    ['2026-02-05T00:00:00-24:59', '2026-02-06T00:59:00Z'],
    ['2026-02-05T00:00:00-24:60', '2026-02-06T01:00:00Z'],
    ['2026-02-05T00:00:00,5Z', '2026-02-05T00:00:00.5Z'],
    ['2026-02-05T00:00:00,123456789123Z', '2026-02-05T00:00:00.123456789Z'],
    ['2026-02-05T00:00:00,5+24:00', '2026-02-04T00:00:00.5Z'],
    ['2026-02-05T0:00:00Z', '2026-02-05T00:00:00Z'],
    ['9999-12-31T23:59:59-24:59', '10000-01-02T00:58:59Z'],
    ['0000-01-01T00:00:00+24:59', '-0001-12-30T23:01:00Z'],
  ])('accepts %j like Gait (UTC %s)', (text, utc) => {
    expect(formatRfc3339Nano(parseRfc3339(text), true)).toBe(utc);
    expect(formatRfc3339Nano(parseRfc3339Go(text), true)).toBe(utc);
  });

  test('time.Parse(RFC3339) checks the day against the month after parsing', () => {
    expect(parseMessage('2026-02-30T00:00:00Z', parseRfc3339Go)).toBe('parsing time "2026-02-30T00:00:00Z": day out of range');
  });
});

describe('comparison and arithmetic', () => {
  test('instants compare across offsets', () => {
    const a = parseRfc3339('2026-01-01T01:00:00+01:00');
    const b = parseRfc3339('2026-01-01T00:00:00Z');
    expect(compareTime(a, b)).toBe(0);
    expect(compareTime(parseRfc3339('2026-01-01T00:00:00.000000001Z'), b)).toBe(1);
    expect(compareTime(b, addSeconds(b, 1))).toBe(-1);
    expect(secondsBetween(addSeconds(b, 90), b)).toBe(90);
  });

  test('zero time', () => {
    expect(isZeroTime(parseRfc3339('0001-01-01T00:00:00Z'))).toBe(true);
    expect(isZeroTime(parseRfc3339('0001-01-01T01:00:00+01:00'))).toBe(true);
    expect(isZeroTime(parseRfc3339('0001-01-01T00:00:00.000000001Z'))).toBe(false);
  });

  test('truncation to minute and hour', () => {
    const t = parseRfc3339('2026-02-18T19:13:04.95Z');
    expect(formatRfc3339Nano(truncateTime(t, 60))).toBe('2026-02-18T19:13:00Z');
    expect(formatRfc3339Nano(truncateTime(t, 3600))).toBe('2026-02-18T19:00:00Z');
  });
});

describe('isPlainRfc3339 and unchangedUtcText (fast paths)', () => {
  test('it only accepts what parseRfc3339 accepts, and takes the common forms', () => {
    let seed = 7;
    const r = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const base = ['2026-02-05T00:00:00Z', '2024-02-29T23:59:59.123456789+05:30', '0000-01-01T00:00:00-23:59', '9999-12-31T23:59:59.5Z'];
    const alphabet = '0123456789-:TZtz.+ ,';
    let accepted = 0;
    let unchanged = 0;
    for (let i = 0; i < 20000; i++) {
      const chars = [...base[i % base.length]!];
      const edits = 1 + Math.floor(r() * 3);
      for (let k = 0; k < edits && i % 5 !== 0; k++) {
        const at = Math.floor(r() * chars.length);
        const op = Math.floor(r() * 3);
        const ch = alphabet[Math.floor(r() * alphabet.length)]!;
        if (op === 0) chars[at] = ch;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, ch);
      }
      const text = chars.join('');
      if (!isPlainRfc3339(text)) continue;
      accepted++;
      expect(() => parseRfc3339(text), text).not.toThrow();
      const same = unchangedUtcText(text);
      if (same !== undefined) {
        unchanged++;
        expect(formatRfc3339Nano(parseRfc3339(text), true), text).toBe(same);
      }
    }
    expect(accepted).toBeGreaterThan(4000);
    expect(unchanged).toBeGreaterThan(1000);
    expect(unchangedUtcText('2026-02-05T00:00:00.120Z')).toBeUndefined(); // Go trims the zero
    expect(unchangedUtcText('2026-02-05T00:00:00+01:00')).toBeUndefined(); // moves to UTC
    for (const t of base) expect(isPlainRfc3339(t), t).toBe(true);
    for (const t of ['2026-02-29T00:00:00Z', '2026-02-05T24:00:00Z', '2026-02-05T00:00:00+24:00', '2026-02-05t00:00:00Z', '2026-02-05T00:00:00.Z', '2026-02-05T00:00:60Z']) {
      expect(isPlainRfc3339(t), t).toBe(false);
    }
  });
});
