// A flow collection the input never closes is reported at its innermost open `[` or `{`, as Gait's
// YAML library reports it (positions checked against the Gait binary, for policies and for the
// project config). Spec decision 9: the wording may differ, the line:column may not.
import { describe, it, expect } from 'vitest';
import { parsePolicyYaml } from '../../bindings/index.js';

describe('unclosed flow collection position', () => {
  it.each([
    ['a: [1', '[1:4]'],
    ['gate: [[1', '[1:8]'],
    ['gate: [{a: [1', '[1:12]'],
    ['gate:\n  policy: [a, {b: 1}\n', '[2:11]'],
    ['a: [1\nb: 2', '[2:1]'], // not at the end of the input: where the parser stopped
    ['gate: [{a: 1]', '[1:13]'],
  ])('%j', (yaml, at) => {
    expect(() => parsePolicyYaml(yaml)).toThrow(`parse policy yaml: ${at} `);
  });
});
