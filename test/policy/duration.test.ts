// Go's time.ParseDuration / Duration.String, used for mcp_trust.max_age.
import { describe, expect, it } from 'vitest';
import { DurationError, formatGoDuration, parseGoDuration } from '../../bindings/policy/duration.js';

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const S = 1000n * MS;
const M = 60n * S;
const H = 60n * M;

describe('parseGoDuration', () => {
  it.each<[string, bigint]>([
    ['0', 0n], ['+0', 0n], ['-0', 0n], ['0s', 0n], ['5s', 5n * S], ['30s', 30n * S], ['1478s', 1478n * S],
    ['-5s', -5n * S], ['+5s', 5n * S], ['5.0s', 5n * S], ['5.6s', 5n * S + 600n * MS], ['5.s', 5n * S], ['.5s', 500n * MS],
    ['1.0s', S], ['1.00s', S], ['1.004s', S + 4n * MS], ['1.0040s', S + 4n * MS], ['100.00100s', 100n * S + MS],
    ['10ns', 10n], ['11us', 11n * US], ['12µs', 12n * US], ['12μs', 12n * US], ['13ms', 13n * MS], ['14s', 14n * S],
    ['15m', 15n * M], ['16h', 16n * H], ['3h30m', 3n * H + 30n * M], ['10.5s4m', 4n * M + 10n * S + 500n * MS],
    ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)], ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n],
    ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS], ['52763797000ns', 52763797000n],
    ['0.3333333333333333333h', 20n * M], ['9007199254740993ns', 9007199254740993n],
    ['9223372036854775807ns', 9223372036854775807n], ['9223372036854775.807us', 9223372036854775807n],
    ['9223372036s854ms775us807ns', 9223372036854775807n], ['-9223372036854775808ns', -9223372036854775808n],
    ['0.100000000000000000000h', 6n * M], ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n],
    ['1.5h', 90n * M], ['24h', 24n * H], ['90m', 90n * M],
  ])('%s', (input, ns) => {
    expect(parseGoDuration(input)).toBe(ns);
  });

  it.each<[string, string]>([
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1.1.1s', 'time: missing unit in duration "1.1.1s"'],
    ['1h 30m', 'time: unknown unit "h " in duration "1h 30m"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['-9223372036854775809ns', 'time: invalid duration "-9223372036854775809ns"'],
    ['1µ', 'time: unknown unit "\\xc2\\xb5" in duration "1\\xc2\\xb5"'],
    ['1"s', 'time: unknown unit "\\"s" in duration "1\\"s"'],
  ])('%j fails with Go text', (input, message) => {
    expect(() => parseGoDuration(input)).toThrow(DurationError);
    expect(() => parseGoDuration(input)).toThrow(message);
  });
});

describe('formatGoDuration', () => {
  it.each<[bigint, string]>([
    [0n, '0s'], [1n, '1ns'], [1100n, '1.1µs'], [2200n * US, '2.2ms'], [3300n * MS, '3.3s'], [4n * M + 5n * S, '4m5s'],
    [4n * M + 5001n * MS, '4m5.001s'], [5n * H + 6n * M + 7001n * MS, '5h6m7.001s'], [8n * M + 1n, '8m0.000000001s'],
    [9223372036854775807n, '2562047h47m16.854775807s'], [-9223372036854775808n, '-2562047h47m16.854775808s'],
    [24n * H, '24h0m0s'], [90n * M, '1h30m0s'], [300n * MS, '300ms'], [-1n * S, '-1s'], [60n * S, '1m0s'],
  ])('%s ns -> %s', (ns, text) => {
    expect(formatGoDuration(ns)).toBe(text);
  });

  it('canonical text re-parses to the same duration', () => {
    for (const text of ['24h', '90m', '1.5h', '300ms', '1h2m3.5s', '7µs', '1ns']) {
      const d = parseGoDuration(text);
      const canon = formatGoDuration(d);
      expect(parseGoDuration(canon)).toBe(d);
      expect(formatGoDuration(parseGoDuration(canon))).toBe(canon);
    }
  });
});
