#!/usr/bin/env node
// Differential runner: the same generated input to gait-wasm (`node bin/gait.js`) and to the
// real Gait v1.3.6 (`$GAIT_ORACLE`), each in a fresh temporary directory; exit codes, outputs
// and written files are compared field by field. Only RANDOM_FIELDS and the entries of
// known-differences.mjs are tolerated; anything else is a disagreement (exit 1).
//
//   GAIT_ORACLE=/path/to/gait node test/oracle/run.mjs [--cases N] [--seed S] [--commands a,b]
//       [--case I] [--from F] [--jobs 2] [--timeout MS] [--out DIR] [--no-shrink] [--verbose]
//
// The commands are the scenarios of scenarios/index.mjs (e.g. test, validate, fmt, eval,
// simulate). Case I uses scenario commands[I % commands.length] on the generator seeded from
// (S, I): `--seed S --case I` replays one case.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { explain, KNOWN_DIFFERENCES, RANDOM_FIELDS } from './known-differences.mjs';
import { OURS, runSteps, compareRun } from './harness.mjs';
import { SCENARIOS } from './scenarios/index.mjs';

const COMMANDS = SCENARIOS.map((s) => s.name);
const BY_NAME = Object.fromEntries(SCENARIOS.map((s) => [s.name, s]));
const label = (s) => s.label ?? s.command;

// ---------------------------------------------------------------------------------------------
// Options.

function options(argv) {
  const o = { cases: 200, seed: undefined, commands: COMMANDS, only: undefined, jobs: 2, timeout: 20_000, out: '.oracle-failures', shrink: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--cases') o.cases = Number(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--commands') o.commands = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--case') o.only = Number(val());
    else if (a === '--from') o.from = Number(val());
    else if (a === '--jobs') o.jobs = Number(val());
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--out') o.out = val();
    else if (a === '--no-shrink') o.shrink = false;
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`unknown option ${a}`);
  }
  for (const c of o.commands) if (!COMMANDS.includes(c)) throw new Error(`unknown command ${c} (one of ${COMMANDS.join(',')})`);
  if (o.seed === undefined) o.seed = Math.floor(Math.random() * 2 ** 32);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed >= 2 ** 32) throw new Error('--seed must be an integer in [0, 2^32)');
  if (!(o.cases > 0) || !(o.jobs > 0)) throw new Error('--cases and --jobs must be positive');
  return o;
}

/** The generator seed of case `index` under run seed `seed` (splitmix-style mixing). */
export function caseSeed(seed, index) {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// One case on both CLIs.

/** Runs both CLIs on a case: { diffs (unexplained), known (explained, with their entry), sides }. */
async function evaluate(scenario, c, o) {
  const env = { ours: OURS, gait: [o.oracle], timeout: o.timeout };
  const files = { ...scenario.files(c), ...(scenario.prepare ? await scenario.prepare(c, env) : {}) };
  const steps = scenario.steps(c);
  const [ours, gait] = await Promise.all([runSteps(OURS, files, steps, o.timeout), runSteps([o.oracle], files, steps, o.timeout)]);
  const all = [];
  for (let n = 0; n < steps.length; n++) {
    const randomFields = typeof scenario.randomFields === 'function' ? scenario.randomFields(c) : [...RANDOM_FIELDS, ...(scenario.randomFields ?? [])];
    all.push(...compareRun(ours[n], gait[n], steps.length > 1 ? `run${n + 1}.` : '', { text: scenario.text, randomFields, scrub: scenario.scrub }));
  }
  if (scenario.check) all.push(...(await scenario.check(ours, gait, c, env)));
  const ctx = { command: scenario.command, policy: c.policy, intent: c.intent, case: c, ours, gait };
  if (scenario.context) Object.assign(ctx, await scenario.context(ours, gait, all, env));
  const diffs = [];
  const known = [];
  for (const d of all) {
    const k = explain({ ...d, path: d.path.replace(/^run\d+\./, '') }, ctx);
    if (k) known.push({ ...d, known: k.id });
    else diffs.push(d);
  }
  return { diffs, known, ours, gait };
}

// ---------------------------------------------------------------------------------------------
// Shrinking: drop rules, policy keys, intent fields one at a time while a disagreement remains.

function candidates(c) {
  const out = [];
  let policy;
  let intent;
  try {
    policy = YAML.parse(c.policy);
  } catch {}
  try {
    intent = c.intent === null ? null : JSON.parse(c.intent);
  } catch {}
  if (policy && typeof policy === 'object' && !Array.isArray(policy)) {
    const text = (p) => YAML.stringify(p);
    for (const k of Object.keys(policy)) {
      if (Array.isArray(policy[k])) {
        for (let i = 0; i < policy[k].length; i++) out.push({ ...c, policy: text({ ...policy, [k]: policy[k].filter((_, j) => j !== i) }) });
      }
      const { [k]: _, ...rest } = policy;
      out.push({ ...c, policy: text(rest) });
    }
    for (const [i, r] of (Array.isArray(policy.rules) ? policy.rules : []).entries()) {
      if (!r || typeof r !== 'object') continue;
      for (const k of Object.keys(r)) {
        if (k === 'name') continue;
        const { [k]: _, ...rest } = r;
        out.push({ ...c, policy: text({ ...policy, rules: policy.rules.map((x, j) => (j === i ? rest : x)) }) });
      }
    }
  }
  if (intent && typeof intent === 'object' && !Array.isArray(intent)) {
    for (const k of Object.keys(intent)) {
      const { [k]: _, ...rest } = intent;
      out.push({ ...c, intent: JSON.stringify(rest) });
      if (Array.isArray(intent[k])) {
        for (let i = 0; i < intent[k].length; i++) out.push({ ...c, intent: JSON.stringify({ ...intent, [k]: intent[k].filter((_, j) => j !== i) }) });
      } else if (intent[k] && typeof intent[k] === 'object') {
        for (const j of Object.keys(intent[k])) {
          const { [j]: __, ...inner } = intent[k];
          out.push({ ...c, intent: JSON.stringify({ ...intent, [k]: inner }) });
        }
      }
    }
  }
  return out;
}

async function shrink(scenario, c, o, budget = 80) {
  let best = c;
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (const next of candidates(best)) {
      if (budget-- <= 0) break;
      if ((await evaluate(scenario, next, o)).diffs.length) {
        best = next;
        progress = true;
        break;
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Main.

const show = (v) => (typeof v === 'string' ? JSON.stringify(v.length > 400 ? v.slice(0, 400) + '…' : v) : JSON.stringify(v));

function record(o, index, scenario, c, result, minimal) {
  const dir = resolve(o.out, `seed-${o.seed}-case-${index}-${scenario.name}`);
  mkdirSync(join(dir, 'files'), { recursive: true });
  for (const [name, text] of Object.entries(scenario.files(c))) {
    mkdirSync(join(dir, 'files', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'files', name), text);
  }
  writeFileSync(join(dir, 'steps.json'), JSON.stringify(scenario.steps(c).map((s) => s.argv), null, 2) + '\n');
  writeFileSync(join(dir, 'ours.json'), JSON.stringify(result.ours, null, 2) + '\n');
  writeFileSync(join(dir, 'gait.json'), JSON.stringify(result.gait, null, 2) + '\n');
  writeFileSync(join(dir, 'diffs.json'), JSON.stringify(result.diffs, null, 2) + '\n');
  if (minimal) {

    if (minimal.policy != null) writeFileSync(join(dir, 'minimal.policy.yaml'), minimal.policy);
    if (minimal.intent != null) writeFileSync(join(dir, 'minimal.intent.json'), minimal.intent);
  }
  return dir;
}

async function main() {
  let o;
  try {
    o = options(process.argv.slice(2));
  } catch (e) {
    console.error(`test:oracle: ${e.message}`);
    process.exit(2);
  }
  o.oracle = process.env.GAIT_ORACLE;
  if (!o.oracle) {
    console.log('test:oracle SKIPPED: GAIT_ORACLE is not set (point it at a Gait v1.3.6 binary to run the differential suite)');
    return;
  }
  if (!existsSync(o.oracle)) {
    console.error(`test:oracle: GAIT_ORACLE=${o.oracle} does not exist`);
    process.exit(2);
  }
  o.oracle = resolve(o.oracle);
  // `--from F`: cases F … F+N-1 of the seed (to continue a run that stopped).
  const indices = o.only !== undefined ? [o.only] : [...Array(o.cases).keys()].map((i) => i + (o.from ?? 0));
  console.log(`test:oracle seed=${o.seed} cases=${indices.length} commands=${o.commands.join(',')} oracle=${o.oracle} (replay one case: --seed ${o.seed} --case I)`);
  const started = Date.now();
  const stats = {};
  const knownCounts = {};
  const failures = [];
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < indices.length) {
      const index = indices[next++];
      const command = o.commands[index % o.commands.length];
      const scenario = BY_NAME[command];
      const s = (stats[command] ??= { cases: 0, agree: 0, known: 0, disagree: 0 });
      s.cases++;
      let c;
      let result;
      try {
        c = scenario.generate(caseSeed(o.seed, index));
        result = await evaluate(scenario, c, o);
      } catch (err) {
        // A runner fault is a failure of this case, reported with its replay command; the run goes on.
        s.disagree++;
        failures.push({ index, command, family: 'runner-error', dir: '' });
        console.log(`RUNNER ERROR seed=${o.seed} case=${index} command=${label(scenario)}: ${err?.stack ?? err}`);
        done++;
        continue;
      }
      if (result.diffs.length && scenario.stateful?.(c)) {
        // Two runs on one rate-limit state can straddle a window boundary on one side only:
        // a stateful disagreement must reproduce once more to count.
        const again = await evaluate(scenario, c, o);
        console.log(`retried seed=${o.seed} case=${index} (stateful, ${again.diffs.length ? 'disagrees again' : 'agrees on retry'})`);
        result = again;
      }
      for (const id of new Set(result.known.map((k) => k.known))) knownCounts[id] = (knownCounts[id] ?? 0) + 1;
      if (o.verbose && result.known.length) {
        console.log(`known seed=${o.seed} case=${index} command=${label(scenario)} family=${c.family}: ${result.known.map((d) => `${d.path} [${d.known}] ours=${show(d.ours)} gait=${show(d.gait)}`).join('; ')}`);
      }
      if (result.diffs.length === 0) {
        if (result.known.length) s.known++;
        else s.agree++;
      } else {
        s.disagree++;
        const minimal = o.shrink && (c.policy !== undefined || c.intent !== undefined) ? await shrink(scenario, c, o) : undefined;
        const dir = record(o, index, scenario, c, result, minimal);
        failures.push({ index, command, family: c.family, dir });
        const lines = [`DISAGREEMENT seed=${o.seed} case=${index} command=${label(scenario)} family=${c.family} (written to ${dir})`];
        for (const d of result.diffs) lines.push(`  ${d.path}: ours=${show(d.ours)} gait=${show(d.gait)}`);
        lines.push(`  ours: exit=${result.ours.map((r) => r.exit).join(',')} stdout=${show(result.ours[0].stdout)} stderr=${show(result.ours[0].stderr)}`);
        lines.push(`  gait: exit=${result.gait.map((r) => r.exit).join(',')} stdout=${show(result.gait[0].stdout)} stderr=${show(result.gait[0].stderr)}`);
        if (minimal) lines.push(`  minimal policy: ${show(minimal.policy)}`, `  minimal intent: ${show(minimal.intent)}`);
        console.log(lines.join('\n'));
      }
      done++;
      if (done % 250 === 0) console.log(`  … ${done}/${indices.length} cases, ${failures.length} disagreements, ${((Date.now() - started) / 1000).toFixed(0)}s`);
    }
  }
  await Promise.all(Array.from({ length: o.jobs }, worker));
  const secs = (Date.now() - started) / 1000;
  console.log(`\ntest:oracle seed=${o.seed}: ${indices.length} cases in ${secs.toFixed(1)}s (${((secs * 1000) / indices.length).toFixed(0)}s per 1000)`);
  for (const [command, s] of Object.entries(stats)) {
    console.log(`  ${label(BY_NAME[command]).padEnd(22)} ${String(s.cases).padStart(5)} cases: ${s.agree} agree, ${s.known} agree modulo known differences, ${s.disagree} disagree`);
  }
  for (const k of KNOWN_DIFFERENCES) if (knownCounts[k.id]) console.log(`  known difference ${k.id} (${k.kind === 'bug' ? 'BUG, open' : k.kind === 'quirk' ? 'Gait quirk' : 'accepted'}): ${knownCounts[k.id]} cases`);
  if (failures.length) {
    console.log(`test:oracle FAILED: ${failures.length} disagreement(s); cases written under ${resolve(o.out)}`);
    process.exit(1);
  }
  console.log('test:oracle passed: no unexplained disagreement');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
