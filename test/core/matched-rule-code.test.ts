// policy.md §3.2's matched_rule_<name> code, checked against the Gait binary: Gait trims every
// leading and trailing `"` of the JSON-encoded name (strings.Trim), so a name ending in `"` loses
// the quote of its escape too.
import { describe, it, expect } from 'vitest';
import { matchedRuleCode } from '../../bindings/core/compile.js';

describe('matchedRuleCode', () => {
  it.each([
    ['"q"', 'matched_rule_\\"q\\'],
    ['"', 'matched_rule_\\'],
    ['a""', 'matched_rule_a\\"\\'],
    ['""b', 'matched_rule_\\"\\"b'],
    ['x"y', 'matched_rule_x\\"y'],
    ['Block Delete-All', 'matched_rule_block_delete_all'],
  ])('%s gives what Gait gives', (name, code) => {
    expect(matchedRuleCode(name)).toBe(code);
  });
});
