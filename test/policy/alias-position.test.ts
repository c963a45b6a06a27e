// An alias to no anchor is reported at the name after `*`, as Gait's YAML library reports it
// (positions checked against the Gait binary; found by the differential runner).
import { describe, it, expect } from 'vitest';
import { parsePolicyYaml } from '../../bindings/index.js';

describe('undefined alias position', () => {
  it.each([
    ['a: 1\nb: *a\n', '[2:5] could not find alias "a"'],
    ['b: [ *zz ]\n', '[1:7] could not find alias "zz"'],
    ['b:\n  - *q\n', '[2:6] could not find alias "q"'],
    ['b: {x: *q}\n', '[1:9] could not find alias "q"'],
  ])('%j', (yaml, message) => {
    expect(() => parsePolicyYaml(yaml)).toThrow(`parse policy yaml: ${message}`);
  });
});
