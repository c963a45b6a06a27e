/**
 * How many cases, which seed, and how a failure is reported (with the line that replays it).
 *
 * `npm test` runs every property with its small default count and the fixed seed below (printed).
 * `npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_RUNS (cases per library property), a random seed
 * unless --seed is given, and optionally FUZZ_PATH + an --only filter to replay one failure.
 *
 *   FUZZ_RUNS        cases per library property (default: each property's short count)
 *   FUZZ_CLI_RUNS    cases per in-process CLI property (default: short count, or FUZZ_RUNS / 200)
 *   FUZZ_SPAWN_RUNS  cases per real-process CLI property (default: short count)
 *   FUZZ_SEED        fast-check seed (default: FIXED_SEED in npm test, random in npm run fuzz)
 *   FUZZ_PATH        fast-check counterexample path, to replay one failure (with FUZZ_SEED)
 */
import fc from 'fast-check';

export const FIXED_SEED = 20261203;

const env = process.env;
const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

export const LONG = num(env['FUZZ_RUNS']) !== undefined;
export const SEED = num(env['FUZZ_SEED']) ?? FIXED_SEED;
export const PATH = env['FUZZ_PATH'] || undefined;

export type Kind = 'library' | 'cli' | 'spawn';

/**
 * Cases for one property: its short default, or the long-run setting for its kind (times
 * `weight`: the properties that parse YAML on every case use 0.1, being ~10x costlier).
 */
export function runs(kind: Kind, short: number, weight = 1): number {
  const lib = num(env['FUZZ_RUNS']);
  if (kind === 'library') return lib !== undefined ? Math.max(1, Math.round(lib * weight)) : short;
  if (kind === 'cli') return num(env['FUZZ_CLI_RUNS']) ?? (lib !== undefined ? Math.max(short, Math.round(lib / 200)) : short);
  return num(env['FUZZ_SPAWN_RUNS']) ?? short;
}

const totals: Array<{ name: string; runs: number; ms: number; ok: boolean }> = [];

/** Size of the policy pool the intent properties draw from (grows with long runs). */
export const POOL_SIZE = Math.min(2000, Math.max(100, Math.round((num(env['FUZZ_RUNS']) ?? 0) / 50)));

/** Cases run so far by this file's properties (the fuzz script prints the grand total). */
export function summary(): string {
  const cases = totals.reduce((n, t) => n + t.runs, 0);
  const ms = totals.reduce((n, t) => n + t.ms, 0);
  const failed = totals.filter((t) => !t.ok).map((t) => t.name);
  return `${totals.length} properties, ${cases} cases, ${(ms / 1000).toFixed(1)} s, seed ${SEED}` + (failed.length ? `, FAILED: ${failed.join('; ')}` : '');
}

const escapeRegex = (t: string): string => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The command that replays one failure (the policy pool depends on FUZZ_RUNS: it is repeated). */
function replayLine(name: string, seed: number, path: string | undefined): string {
  const p = path ? ` --path "${path}"` : '';
  if (LONG) {
    const extra = ['FUZZ_CLI_RUNS', 'FUZZ_SPAWN_RUNS'].filter((k) => env[k]).map((k) => ` --${k.slice(5).toLowerCase().replace('_', '-')} ${env[k]}`).join('');
    return `replay: npm run fuzz -- --runs ${env['FUZZ_RUNS']}${extra} --seed ${seed}${p} --only "${name}:"`;
  }
  return `replay: FUZZ_SEED=${seed}${path ? ` FUZZ_PATH="${path}"` : ''} npx vitest run test/fuzz -t "${escapeRegex(name)}:"`;
}

/**
 * Runs a property with the configured seed (and path, when replaying); on failure throws an Error
 * whose message is fast-check's report (seed, path, shrunk counterexample, the error) plus the
 * replay command. Prints one line per property: cases, seed, time.
 */
export async function property<Ts extends [unknown, ...unknown[]]>(
  name: string,
  kind: Kind,
  short: number,
  prop: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  weight = 1,
): Promise<void> {
  const numRuns = runs(kind, short, weight);
  const t0 = performance.now();
  const params: fc.Parameters<Ts> = { seed: SEED, numRuns, ...(PATH ? { path: PATH, endOnFailure: true } : {}) };
  const details = prop.isAsync() ? await fc.check(prop as fc.IAsyncProperty<Ts>, params) : fc.check(prop as fc.IProperty<Ts>, params);
  const ms = performance.now() - t0;
  totals.push({ name, runs: details.numRuns, ms, ok: !details.failed });
  console.log(`[fuzz] ${name}: ${details.numRuns} cases, seed ${SEED}${PATH ? ` path ${PATH}` : ''}, ${(ms / 1000).toFixed(2)} s${details.failed ? ' FAILED' : ''}`);
  if (details.failed || details.interrupted) {
    const report = fc.defaultReportMessage(details) ?? 'property failed';
    const err = details.errorInstance;
    const cause = err instanceof Error ? `${err.message}${err.cause instanceof Error && err.cause.stack ? `\ncaused by: ${err.cause.stack.split('\n').slice(0, 4).join('\n')}` : ''}` : String(err);
    throw new Error(`${report}\nerror: ${cause}\n${replayLine(name, details.seed, details.counterexamplePath ?? undefined)}`);
  }
}
