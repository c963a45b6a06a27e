// Issue 10, parse and output divergences: each case in test/fixtures/gait/divergences/<case>/
// (a pinned copy of the shared reference) is run through our CLI and must print what Gait v1.3.6
// printed (`reference.json`): the same exit code and the same JSON, key order included, except
// the correlation id (it hashes argv[0]).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

interface Reference {
  exit: number;
  stdout: Record<string, unknown>;
}

const CASES = [
  '08-null-yaml-document',
  '11-legacy-migration-envelope-shape',
];

/** The command that produced the reference: a policy test result, a validate result, or an error (both). */
function commands(ref: Reference): Array<'test' | 'validate'> {
  if (ref.stdout['schema_id'] === 'gait.policytest.result') return ['test'];
  if (ref.stdout['schema_id'] === 'gait.gate.policy') return ['validate'];
  return ['test', 'validate'];
}

describe.each(CASES)('divergence %s', (name) => {
  const dir = `${FIXTURES}divergences/${name}/`;
  const ref = JSON.parse(readFileSync(dir + 'reference.json', 'utf8')) as Reference;

  it.each(commands(ref))('policy %s prints what Gait printed', async (command) => {
    const args = command === 'test'
      ? ['policy', 'test', dir + 'policy.yaml', dir + 'intent.json', '--json']
      : ['policy', 'validate', dir + 'policy.yaml', '--json'];
    const r = await gait(args);
    expect(r.exit).toBe(ref.exit);
    const expected = { ...ref.stdout, correlation_id: r.json.correlation_id };
    expect(r.json).toEqual(expected);
    // Same key order at every level (JSON.parse keeps it; the reference keeps Go's).
    expect(JSON.stringify(r.json)).toBe(JSON.stringify(expected));
  });
});
