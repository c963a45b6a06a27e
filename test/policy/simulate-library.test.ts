// simulatePolicies (the library behind `gait policy simulate`) over Gait's example intents: the
// same report as `gait policy simulate --json`, and as Gait's own when the oracle is there
// (GAIT_ORACLE or ../shared/oracle/gait; skipped otherwise).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGate, init, simulatePolicies, testIntent } from '../../bindings/load/node.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const LOCAL_ORACLE = join(REPO, '../shared/oracle/gait');
const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(LOCAL_ORACLE) ? LOCAL_ORACLE : undefined);
const EXAMPLES = join(REPO, 'examples/gait/policy');
const INTENTS = join(EXAMPLES, 'intents');
const fixtures = readdirSync(INTENTS).sort().map((f) => join(INTENTS, f));
const PAIRS = [
  ['base_high_risk.yaml', 'base_medium_risk.yaml'],
  ['base_low_risk.yaml', 'base_high_risk.yaml'],
  ['base_medium_risk.yaml', 'base_medium_risk.yaml'],
  ['base_medium_risk.yaml', 'knowledge_worker_safe.yaml'],
] as const;

beforeAll(() => init());

async function library(baseline: string, candidate: string) {
  const b = createGate(readFileSync(join(EXAMPLES, baseline)));
  const c = createGate(readFileSync(join(EXAMPLES, candidate)));
  return { ok: true, ...(await simulatePolicies(b, c, fixtures, (p) => readFileSync(p))) };
}

function cli(bin: string, baseline: string, candidate: string) {
  const args = ['policy', 'simulate', '--baseline', join(EXAMPLES, baseline), '--policy', join(EXAMPLES, candidate), '--fixtures', INTENTS, '--json'];
  const r = bin.endsWith('.js') ? spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' }) : spawnSync(bin, args, { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const { correlation_id: _, ...rest } = JSON.parse(r.stdout);
  return rest;
}

describe('simulatePolicies', () => {
  it.each(PAIRS)('%s -> %s: the same report as gait-wasm policy simulate --json', async (b, c) => {
    expect(await library(b, c)).toEqual(cli(join(REPO, 'bin/gait.js'), b, c));
  });

  it.skipIf(!ORACLE).each(PAIRS)('%s -> %s: the same report as Gait policy simulate --json', async (b, c) => {
    expect(await library(b, c)).toEqual(cli(ORACLE!, b, c));
  });

  it('finds changes in the examples (the table is not empty)', async () => {
    const r = await library('base_high_risk.yaml', 'base_medium_risk.yaml');
    expect(r.changed_fixtures).toBeGreaterThan(0);
  });

  it('takes intents as text, bytes or decoded; a fixture that fails to load fails the run', async () => {
    const gate = createGate(readFileSync(join(EXAMPLES, 'base_medium_risk.yaml')));
    const text = readFileSync(fixtures[0]!, 'utf8');
    expect(testIntent(gate, text).evaluation.result).toEqual(testIntent(gate, new TextEncoder().encode(text)).evaluation.result);
    await expect(simulatePolicies(gate, gate, ['a.json'], () => '{')).rejects.toThrow(/intent/);
  });
});
