// Conformance across runtimes: the corpus (conformance/corpus.jsonl) evaluated in Node, Deno, Bun,
// workerd and headless Chromium must give byte-identical result JSON, equal to the Node reference
// stored in the corpus. Prints each runtime's cold start (compile + instantiate + policy load).
// Needs `npm run build` (npm test and npm run test:runtimes do it first).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import { parseCorpus, sortedJson } from '../../conformance/runner.mjs';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from './runtimes.mjs';

interface Case { id: string; group: string; policy: string; intent: string | null; result: unknown }
interface RuntimeRun { runtime: string; entry: string; cold_start_ms: Record<string, number>; corpus_ms: number; results: string[] }

const cases: Case[] = parseCorpus(readFileSync(R.CORPUS, 'utf8'));
const stored: string[] = cases.map((c) => sortedJson(c.result));
const runs: RuntimeRun[] = [];
let reference: string[] | undefined;

const SLOW = 180_000;

function expectIdentical(run: RuntimeRun, against: string[], label: string) {
  const { count, diffs } = R.differences(cases, against, run.results);
  expect(count, `${run.runtime}: ${count} case(s) differ from ${label}:\n${diffs.join('\n')}`).toBe(0);
}

describe('conformance corpus', () => {
  it('is what conformance/generate.mjs writes, and covers every selector and verdict path', async () => {
    const r = await R.exec(process.execPath, ['conformance/generate.mjs', '--check']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(cases.length).toBeGreaterThan(400);
    expect(cases.filter((c) => c.group.startsWith('generated/')).length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  }, SLOW);
});

describe.sequential('every runtime gives Node’s result, byte for byte', () => {
  it('node (the reference) reproduces the stored results', async () => {
    const run: RuntimeRun = await R.runNode();
    runs.push(run);
    expect(run.entry).toBe('node');
    expectIdentical(run, stored, 'the results stored in conformance/corpus.jsonl (regenerate with `node conformance/generate.mjs`)');
    reference = run.results;
  }, SLOW);

  for (const [name, entry, runner] of [
    ['deno', 'deno', 'runDeno'],
    ['bun', 'node', 'runBun'],
    ['workerd', 'workerd', 'runWorkerd'],
    ['chromium', 'browser', 'runChromium'],
  ] as const) {
    // Browser cases skip only where no Chromium can be had, and say so (.ci/run fails then).
    const unavailable: string | undefined = name === 'chromium' ? R.browserUnavailable() : undefined;
    if (unavailable) console.warn(`\n*** BROWSER CASES SKIPPED: ${unavailable} ***\n`);
    it.skipIf(unavailable)(`${name} (the "${entry}" build)${unavailable ? ` SKIPPED: ${unavailable}` : ''}`, async () => {
      const run: RuntimeRun = await R[runner]();
      runs.push(run);
      expect(run.entry).toBe(entry);
      expect(run.results.length).toBe(cases.length);
      expectIdentical(run, reference ?? stored, 'node');
    }, SLOW);
  }
});

afterAll(() => {
  if (runs.length) console.log(`\ncold start per runtime (${cases.length} corpus cases):\n${R.coldStartTable(runs)}\n`);
});
