// Positions in a policy's text for the workbench: parse errors at their line and column (as the
// policy front end reports them, policy.md §1.2), validation errors at the rule they name, and
// the lines of a rule (to highlight the rule that fired).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyErrorPosition, ruleLineRange } from '../../bindings/ui-lib/policy-text.js';

const errorOf = (text: string): unknown => {
  try {
    parsePolicyYaml(text);
  } catch (err) {
    return err;
  }
  throw new Error('expected a policy error');
};

describe('policyErrorPosition', () => {
  it.each([
    ['a syntax error', 'default_verdict: allow\nrules: [\n', 2, 8],
    ['an unknown field', 'default_verdict: allow\nfoo: 1\n', 2, 1],
    ['a wrong type', 'default_verdict: allow\nrules:\n  - name: x\n    effect: allow\n    match: {tool_names: 3}\n', 5, 25],
    ['a duplicate key', 'default_verdict: allow\ndefault_verdict: block\n', 2, 1],
  ])('%s: the line and column of the message', (_name, text, line, col) => {
    const err = errorOf(text);
    expect((err as Error).message).toContain(`[${line}:${col}]`);
    expect(policyErrorPosition(err, text)).toEqual({ line, col });
  });

  it('a validation error that names a rule: the rule', () => {
    const text = 'default_verdict: allow\nrules:\n  - name: ok\n    effect: allow\n  - name: bad one\n    effect: bogus\n';
    const err = errorOf(text);
    expect((err as Error).message).toBe('invalid rule effect "bogus" for bad one');
    expect(policyErrorPosition(err, text)).toEqual({ line: 5, col: 1 });
  });

  it('an error with no place: undefined', () => {
    const text = 'default_verdict: maybe\n';
    expect(policyErrorPosition(errorOf(text), text)).toBeUndefined();
  });
});

describe('ruleLineRange', () => {
  const policy = readFileSync(new URL('../../examples/gait/policy/base_medium_risk.yaml', import.meta.url), 'utf8');

  it('the lines of each rule of an example, up to its last line', () => {
    expect(ruleLineRange(policy, 'block-destructive-tool-delete')).toEqual({ start: 5, end: 11 });
    expect(ruleLineRange(policy, 'require-approval-tool-write')).toEqual({ start: 12, end: 19 });
    expect(ruleLineRange(policy, 'allow-safe-tool-read')).toEqual({ start: 20, end: 26 });
  });

  it('names compare trimmed; unknown names, no rules or broken YAML give undefined', () => {
    expect(ruleLineRange('rules:\n  - name: "  spaced "\n    effect: allow\n', 'spaced')).toEqual({ start: 2, end: 3 });
    expect(ruleLineRange(policy, 'nope')).toBeUndefined();
    expect(ruleLineRange('default_verdict: allow\n', 'x')).toBeUndefined();
    expect(ruleLineRange('rules: [', 'x')).toBeUndefined();
    expect(ruleLineRange(policy, '')).toBeUndefined();
  });
});
