// Issue 10, parse and output divergences: each case in test/fixtures/gait/divergences/<case>/
// (a pinned copy of the shared reference) is run through our CLI and must print what Gait v1.3.6
// printed (`reference.json`): the same exit code and the same JSON, key order included, except
// the correlation id (it hashes argv[0]).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

interface Reference {
  exit: number;
  stdout: Record<string, unknown>;
}

const CASES = [
  '06-summary-truncation-bytes',
  '07-yaml-numeric-coercion',
  '08-null-yaml-document',
  '09-rfc3339-offset-range',
  '10-rfc3339-comma-fraction',
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

describe('policy test summary: cut at 240 UTF-8 bytes like Go (case 06)', () => {
  // A rule name of `pad` + 40 x `ch` lands the cut inside its reason code `matched_rule_<name>`.
  // What gait v1.3.6 printed: how many whole `ch` survive, how many U+FFFD stand for the bytes
  // of a character cut in two (Go slices bytes; its JSON encoder writes each invalid byte as
  // U+FFFD), and the overflow in bytes.
  const dir = mkdtempSync(join(tmpdir(), 'gait-summary-'));
  const intent = `${FIXTURES}divergences/06-summary-truncation-bytes/intent.json`;
  it.each<[string, string, number, number, number]>([
    ['', 'é', 33, 0, 74], ['', '€', 21, 2, 114], ['', '😀', 16, 1, 154],
    ['x', 'é', 32, 1, 75], ['x', '€', 21, 1, 115], ['x', '😀', 16, 0, 155],
    ['xx', 'é', 32, 0, 76], ['xx', '€', 21, 0, 116], ['xx', '😀', 15, 3, 156],
    ['xxx', 'é', 31, 1, 77], ['xxx', '€', 20, 2, 117], ['xxx', '😀', 15, 2, 157],
  ])('%j + 40 x %s: %i whole, %i U+FFFD, overflow %i', async (pad, ch, whole, replaced, overflow) => {
    const policy = join(dir, `p${pad.length}-${ch.codePointAt(0)}.yaml`);
    writeFileSync(policy, `rules:\n  - name: ${pad}${ch.repeat(40)}\n    action: allow\n    required_context_evidence_mode: REQUIRED\n`);
    const r = await gait(['policy', 'test', policy, intent, '--json']);
    expect(r.exit).toBe(3);
    const summary = r.json.summary as string;
    expect(summary.startsWith('policy test verdict=block reasons=context_evidence_missing,')).toBe(true);
    expect(summary.split('matched_rule_')[1]).toBe(`${pad}${ch.repeat(whole)}${'\ufffd'.repeat(replaced)}...(+${overflow})`);
    // The text form prints the same summary (Go writes the cut bytes raw there; a JavaScript
    // string cannot, so it is only compared when no character was cut in two).
    const text = await gait(['policy', 'test', policy, intent]);
    if (replaced === 0) expect(text.stdout).toBe(summary + '\n');
  });
});
