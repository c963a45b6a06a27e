// Numbers in int and float policy fields, as Gait v1.3.6's YAML decoder reads them (divergence
// case 07). numeric-coercion.gait.json holds what the binary printed for one-field policies
// (`policy validate --json`): the digest when it accepted the value, else the error (the position
// must match; the wording of YAML type errors may differ, spec README decision 9).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { invalid } from './helpers.js';

interface Table {
  templates: Record<string, string>;
  rows: Array<[field: string, value: string, exit: number, result: string]>;
}

const table = JSON.parse(readFileSync(new URL('./numeric-coercion.gait.json', import.meta.url), 'utf8')) as Table;

describe('int and float fields take what Gait takes', () => {
  it('covers every int and float field of the policy', () => {
    expect(Object.keys(table.templates).sort()).toEqual([
      'destructive_budget.requests', 'max_context_age_seconds', 'max_delegation_depth', 'mcp_trust.min_score', 'min_approvals',
      'priority', 'rate_limit.requests', 'scripts.max_steps', 'scripts.require_approval_above',
    ]);
  });

  it.each(table.rows)('%s: %s -> exit %i, %s', (field, value, exit, result) => {
    const yaml = table.templates[field]!.replace('{v}', value);
    if (exit === 0) {
      expect(policyDigest(parsePolicyYaml(yaml))).toBe(result);
      return;
    }
    const err = invalid(() => parsePolicyYaml(yaml));
    if (result.startsWith('E:')) expect(err.message.startsWith(result.slice(2)), err.message).toBe(true);
    else expect(err.message).toBe(result.slice(2));
  });
});

describe('values after coercion', () => {
  const rule = (yaml: string) => parsePolicyYaml(`rules:\n  - name: a\n    effect: allow\n${yaml}`).rules[0]!;
  it.each<[string, number]>([
    ['1.5', 1], ['1.9', 1], ['-1.5', -1], ['"1"', 1], ['"1.5"', 1], ['1e3', 1000], ['"1e3"', 1000], ['0x10', 16], ['017', 15],
    ['0o17', 15], ['08', 8], ['0b11', 3], ['1_000', 1000], ['"+5"', 5], ['".5"', 0], ['!!str 3', 3], ['-0', 0],
    ['9223372036854775807', 9223372036854775807], ['-9223372036854775808', -9223372036854775808],
    // Go converts an out-of-range float to the minimum int64 on amd64.
    ['1e19', -9223372036854775808], ['-1.0e19', -9223372036854775808], ['-.inf', -9223372036854775808],
  ])('priority: %s is %d', (value, n) => {
    expect(rule(`    priority: ${value}\n`).priority).toBe(n);
  });

  it('min_score: strings and integers are floats', () => {
    const trust = (v: string) => parsePolicyYaml(`mcp_trust:\n  snapshot: ./s.json\n  min_score: ${v}\n`).mcp_trust.min_score;
    expect(trust('"0.5"')).toBe(0.5);
    expect(trust('"5e-1"')).toBe(0.5);
    expect(trust('"0x1p-1"')).toBe(0.5);
    expect(trust('0x1')).toBe(1);
    expect(trust('!!int 1')).toBe(1);
  });

  it('a NaN min_score passes validation and then cannot be marshalled, as in Gait', () => {
    const err = invalid(() => parsePolicyYaml('mcp_trust:\n  snapshot: ./s.json\n  min_score: .nan\n'));
    expect(err.message).toBe('marshal normalized policy: json: unsupported value: NaN');
  });
});
