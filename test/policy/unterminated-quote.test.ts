// An unterminated quoted scalar is reported at its opening quote, as Gait's YAML library reports
// it (positions checked against the Gait binary; found by the differential runner). Spec decision
// 9: the wording may differ, the line:column may not.
import { describe, it, expect } from 'vitest';
import { parsePolicyYaml } from '../../bindings/index.js';

describe('unterminated quoted scalar position', () => {
  it.each([
    ['default_verdict: "allow\n', '[1:18]'],
    ["default_verdict: 'allow\n", '[1:18]'],
    ['rules:\n  - name: "abc\n    effect: allow\n', '[2:11]'],
    ['a: 1\nb: [ "x, y\n', '[2:6]'],
  ])('%j', (yaml, at) => {
    expect(() => parsePolicyYaml(yaml)).toThrow(`parse policy yaml: ${at} `);
  });
});
