// A YAML merge (`<<: *anchor`) and an explicit key of the same name in one mapping: Gait's YAML
// library rejects it as a duplicate key (positions checked against the Gait binary; found by the
// differential runner). A merge that adds only new keys stays valid.
import { describe, it, expect } from 'vitest';
import { parsePolicyYaml } from '../../bindings/index.js';

describe('merge keys and explicit keys', () => {
  it.each([
    // explicit key after the merge: reported at the explicit key
    ['rules:\n  - &r {name: a, effect: allow}\n  - <<: *r\n    name: b\n', '[4:5] duplicate key "name"'],
    ['rules:\n  - &r {name: a, effect: allow}\n  - {<<: *r, name: b}\n', '[3:14] duplicate key "name"'],
    // merge after the explicit key: reported at the merged value
    ['rules:\n  - &r {name: a, effect: allow}\n  - name: b\n    <<: *r\n', '[2:15] duplicate key "name"'],
    ['rules:\n  - &r {effect: allow, name: aa}\n  - name: b\n    <<: *r\n', '[2:30] duplicate key "name"'],
    ['rules:\n  - &r\n    effect: allow\n    name: aa\n  - name: b\n    <<: *r\n', '[4:11] duplicate key "name"'],
  ])('%j', (yaml, message) => {
    expect(() => parsePolicyYaml(yaml)).toThrow(`parse policy yaml: ${message}`);
  });

  it('a merge that only adds keys is valid', () => {
    const p = parsePolicyYaml('rules:\n  - &r {name: a, effect: allow}\n  - <<: *r\n    priority: 3\n');
    expect(p.rules.map((r) => r.priority).sort()).toEqual([0, 3]);
    expect(p.rules.every((r) => r.name === 'a' && r.effect === 'allow')).toBe(true);
  });
});
