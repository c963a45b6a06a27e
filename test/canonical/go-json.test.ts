// Go's string encoding, fast path against the rule: every string, printable ASCII or not, encodes
// as JSON.stringify of its well-formed form with `<`, `>`, `&`, U+2028 and U+2029 escaped (only the
// last two without HTML escaping), which is what Go's encoding/json writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goJson, goString } from '../../bindings/canonical/go-json.js';

const hex = (ch: string) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
const rule = (s: string, html: boolean) => JSON.stringify(s.toWellFormed()).replace(html ? /[<>&\u2028\u2029]/g : /[\u2028\u2029]/g, hex);

describe('goString', () => {
  it('every single code unit, alone and inside plain text', () => {
    for (let c = 0; c < 0x10000; c++) {
      const s = String.fromCharCode(c);
      expect(goString(s)).toBe(rule(s, true));
      expect(goString(`a${s}b`)).toBe(rule(`a${s}b`, true));
      expect(goJson(s, { sortKeys: false, escapeHtml: false })).toBe(rule(s, false));
    }
  });

  it('any string, any key', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '&', '"', '\\', '\u2028', '\ud800', '\n'), fc.string({ unit: 'binary', maxLength: 1 }), fc.string({ minLength: 1, maxLength: 1 })) }), (s) => {
        expect(goString(s)).toBe(rule(s, true));
        expect(goJson({ [s]: s }, { sortKeys: true })).toBe(`{${rule(s, true)}:${rule(s, true)}}`);
        expect(goJson({ [s]: s }, { sortKeys: true, escapeHtml: false })).toBe(`{${rule(s, false)}:${rule(s, false)}}`);
      }),
      { seed: 20261203, numRuns: 3000 },
    );
  });
});
