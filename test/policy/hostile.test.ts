// Bad and hostile input: every case is a GaitError(invalid_input) with a clear message, quickly,
// and never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { parsePolicyBytes, parsePolicyYaml } from '../../bindings/policy/parse.js';
import { MAX_POLICY_BYTES } from '../../bindings/policy/yaml-source.js';
import { expectInvalid, invalid } from './helpers.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('hostile YAML', () => {
  it('rejects a billion-laughs alias bomb', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    ].join('\n');
    expectInvalid(() => parsePolicyYaml(bomb), /^parse policy yaml: \[2:8\] excessive aliasing \(more than 1000 alias expansions\)/);
  });

  it('rejects an alias bomb hidden in valid keys too', () => {
    const bomb = [
      'rules:',
      '  - &r0 {name: r, effect: allow, reason_codes: &c0 [x, x, x, x, x, x, x, x, x, x]}',
      ...Array.from({ length: 6 }, (_, i) => `  - {name: r${i + 1}, effect: allow, reason_codes: &c${i + 1} [${Array(10).fill(`*c${i}`).join(', ')}]}`),
    ].join('\n');
    expectInvalid(() => parsePolicyYaml(bomb), /^parse policy yaml: \[\d+:\d+\] excessive aliasing/);
  });

  it('still accepts moderate alias reuse', () => {
    const rules = Array.from({ length: 50 }, (_, i) => `  - {name: r${i}, effect: allow, match: *m}`).join('\n');
    const p = parsePolicyYaml(`rules:\n  - {name: base, effect: allow, match: &m {tool_names: [tool.read]}}\n${rules}\n`);
    expect(p.rules).toHaveLength(51);
    expect(p.rules.every((r) => r.match.tool_names[0] === 'tool.read')).toBe(true);
  });

  it('rejects deep flow nesting before the YAML parser sees it (fast)', () => {
    const t0 = performance.now();
    expectInvalid(() => parsePolicyYaml('['.repeat(4 * 1024 * 1024)), 'parse policy yaml: [1:65] document nesting exceeds the maximum depth of 64');
    expectInvalid(() => parsePolicyYaml('rules: ' + '['.repeat(65) + ']'.repeat(65)), 'parse policy yaml: [1:72] document nesting exceeds the maximum depth of 64');
    expectInvalid(() => parsePolicyYaml('a: {b: ' + '{c: '.repeat(200000)), /^parse policy yaml: \[1:\d+\] document nesting exceeds the maximum depth of 64$/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('rejects deep block nesting', () => {
    const deep = 'rules:\n' + Array.from({ length: 80 }, (_, i) => ' '.repeat(i + 1) + '-').join('\n') + ' x\n';
    expectInvalid(() => parsePolicyYaml(deep), /^parse policy yaml: \[\d+:\d+\] document nesting exceeds the maximum depth of 64$/);
    expectInvalid(() => parsePolicyYaml('rules: ' + '- '.repeat(5000) + 'x'), /^parse policy yaml: \[1:\d+\] /);
  });

  it('accepts nesting at the limit', () => {
    // 64 nested collections in an ignored-by-type position still parse as YAML, then fail on type only.
    const yaml = 'rules: ' + '['.repeat(63) + ']'.repeat(63);
    expectInvalid(() => parsePolicyYaml(yaml), /cannot unmarshal sequence into field rules\[0\] of type mapping/);
  });

  it('rejects non-UTF-8 bytes with the offset', () => {
    expectInvalid(() => parsePolicyBytes(new Uint8Array([...encode('default_verdict: '), 0xff, 0x0a])), 'parse policy yaml: policy is not valid UTF-8 (invalid byte at offset 17)');
    expectInvalid(() => parsePolicyBytes(new Uint8Array([0xc3, 0x28])), /invalid byte at offset 0/); // bad continuation
    expectInvalid(() => parsePolicyBytes(new Uint8Array([0xe0, 0x80, 0xaf])), /invalid byte at offset 0/); // overlong
    expectInvalid(() => parsePolicyBytes(new Uint8Array([0xed, 0xa0, 0x80])), /invalid byte at offset 0/); // surrogate
    expectInvalid(() => parsePolicyBytes(new Uint8Array([0x61, 0xf0, 0x9f, 0x98])), /invalid byte at offset 1/); // truncated
  });

  it('accepts UTF-8 with and without a BOM', () => {
    expect(parsePolicyBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('default_verdict: allow\n')])).default_verdict).toBe('allow');
    expect(parsePolicyYaml('\ufeffdefault_verdict: block').default_verdict).toBe('block');
    expect(parsePolicyBytes(encode('rules:\n  - {name: règle-😀, effect: allow}')).rules[0]!.name).toBe('règle-😀');
  });

  it('rejects oversized input (text and bytes), at exactly the documented limit', () => {
    const message = 'policy exceeds maximum size of 4194304 bytes';
    expect(MAX_POLICY_BYTES).toBe(4194304);
    const padded = (n: number): string => 'default_verdict: allow\n#' + 'x'.repeat(n - 25) + '\n';
    expect(padded(MAX_POLICY_BYTES).length).toBe(MAX_POLICY_BYTES);
    expect(parsePolicyYaml(padded(MAX_POLICY_BYTES)).default_verdict).toBe('allow');
    expectInvalid(() => parsePolicyYaml(padded(MAX_POLICY_BYTES + 1)), message);
    expectInvalid(() => parsePolicyBytes(new Uint8Array(MAX_POLICY_BYTES + 1).fill(0x20)), message);
    // Counted in UTF-8 bytes, not UTF-16 units.
    expectInvalid(() => parsePolicyYaml('#' + 'é'.repeat(MAX_POLICY_BYTES / 2)), message);
  });

  it.each([
    ['unclosed flow sequence', 'default_verdict: ['],
    ['bad indentation', 'default_verdict: allow\n  rules: []'],
    ['compact nested mapping', 'default_verdict: a: b'],
    ['tab indentation', 'scripts:\n\tmax_steps: 1'],
    ['unterminated quote', 'default_verdict: "allow'],
    ['stray flow end', 'rules: [a, b]]'],
    ['invalid escape', 'default_verdict: "\\q"'],
  ])('reports a YAML syntax error with a position: %s', (_label, yaml) => {
    const err = invalid(() => parsePolicyYaml(yaml));
    expect(err.message).toMatch(/^parse policy yaml: \[\d+:\d+\] \S/);
  });

  it('never throws anything but GaitError on a batch of garbage', () => {
    const samples = ['{', '}', ']', '&', '*', '!', '!!binary x', '? ', ': :', '- - -', '|', '>', '%YAML 1.2\n---', '---\n---', '\u0001', '"\\x"', "'", '<<: 1', '<<: *x', 'a: &x\nb: *x', 'rules: *', '[a, b', '{a: 1, a: 2}'];
    for (const s of samples) {
      try {
        parsePolicyYaml(s);
      } catch (e) {
        expect((e as Error).name, s).toBe('GaitError');
      }
    }
  });
});
