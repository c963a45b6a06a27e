#!/usr/bin/env node
// Differential runner: the same generated (policy, intent) input to gait-wasm (`node bin/gait.js`)
// and to the real Gait v1.3.6 (`$GAIT_ORACLE`), each in a fresh temporary directory; exit codes
// and outputs are compared field by field. Only RANDOM_FIELDS and the entries of
// known-differences.mjs are tolerated; anything else is a disagreement (exit 1).
//
//   GAIT_ORACLE=/path/to/gait node test/oracle/run.mjs [--cases N] [--seed S] [--commands a,b]
//       [--case I] [--jobs 2] [--timeout MS] [--out DIR] [--no-shrink] [--verbose]
//
// Commands: test (policy test), validate (policy validate), fmt (policy fmt), eval (gate eval
// --key-mode prod --private-key <fixture key> --trace-out; a second run on the same state when
// the policy has rate limits or budgets; each CLI's signed trace must verify with the other's
// `trace verify`), simulate (gate eval --simulate, likewise). Case I uses command
// commands[I % commands.length] on the generator seeded from (S, I): `--seed S --case I`
// replays one case.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { createGenerator } from '../../conformance/generator.mjs';
import { RANDOM_FIELDS, explain, KNOWN_DIFFERENCES } from './known-differences.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const OURS = [process.execPath, here('../../bin/gait.js')];
const KEY = here('../fixtures/gait/scenarios/keys/approval_private.key');
const PUBLIC_KEY = here('../fixtures/gait/scenarios/keys/approval_public.key');
const COMMANDS = ['test', 'validate', 'fmt', 'eval', 'simulate'];
const NAMES = { test: 'policy test', validate: 'policy validate', fmt: 'policy fmt', eval: 'gate eval', simulate: 'gate eval' };

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
// Running one CLI.

function run(argv, cwd, timeout) {
  return new Promise((done) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeout);
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ exit: timedOut ? 'timeout' : code ?? `signal ${signal}`, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const needsState = (policyText) => /rate_limit|destructive_budget/.test(policyText);

/** One CLI on one case: a fresh directory, the input files, the command (twice if stateful). */
async function runSide(bin, c, command, timeout) {
  const dir = mkdtempSync(join(tmpdir(), 'gait-oracle-'));
  try {
    // Gait's first rate-limited `gate eval` fails without .gait-out/ (oracle README, decision 10).
    mkdirSync(join(dir, '.gait-out'));
    writeFileSync(join(dir, 'policy.yaml'), c.policy);
    if (c.intent !== null) writeFileSync(join(dir, 'intent.json'), c.intent);
    const argv = {
      test: ['policy', 'test', 'policy.yaml', 'intent.json', '--json'],
      validate: ['policy', 'validate', 'policy.yaml', '--json'],
      fmt: ['policy', 'fmt', 'policy.yaml'],
      eval: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', KEY, '--trace-out', 'trace.json'],
      simulate: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--simulate', '--key-mode', 'prod', '--private-key', KEY, '--trace-out', 'trace.json'],
    }[command];
    const runs = [];
    const times = command === 'eval' && needsState(c.policy) ? 2 : 1;
    for (let n = 0; n < times; n++) {
      const r = await run([...bin, ...argv], dir, timeout);
      const tracePath = join(dir, 'trace.json');
      if (existsSync(tracePath)) {
        r.trace = readFileSync(tracePath, 'utf8');
        rmSync(tracePath);
      }
      runs.push(r);
    }
    return runs;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison.

const parse = (text) => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
};

/** A JSON value with random fields blanked and the random ids echoed elsewhere replaced. */
function normalize(value) {
  const ids = new Map();
  const collect = (v) => {
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'event_id' || k === 'correlation_id') && typeof x === 'string' && x) ids.set(x, `<${k}>`);
        collect(x);
      }
    }
  };
  collect(value);
  const walk = (v, path) => {
    if (typeof v === 'string') return ids.get(v) ?? v;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (v && typeof v === 'object') {
      const out = {};
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        out[k] = RANDOM_FIELDS.some((f) => p === f || p.endsWith(`.${f}`)) ? '<random>' : walk(x, p);
      }
      return out;
    }
    return v;
  };
  return walk(value, '');
}

/** Field-by-field differences of two JSON values: [{ path, ours, gait }]. */
function diffValues(a, b, path, out) {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()] : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path, ours: a, gait: b });
  }
  return out;
}

function compareRun(ours, gait, prefix, textMode) {
  const diffs = [];
  if (ours.exit !== gait.exit) diffs.push({ path: `${prefix}exit`, ours: ours.exit, gait: gait.exit });
  if (textMode) {
    // `policy fmt`: stdout byte for byte where Gait succeeds; the error on stderr otherwise.
    if (gait.exit === 0 && ours.stdout !== gait.stdout) diffs.push({ path: 'fmt', ours: ours.stdout, gait: gait.stdout });
    // Errors: the message (from whichever stream), and the stream it went to.
    if (gait.exit !== 0 && ours.exit === gait.exit) {
      const text = (r) => (r.stdout + r.stderr).trim();
      if (text(ours) !== text(gait)) diffs.push({ path: 'error_text', ours: text(ours), gait: text(gait) });
      const stream = (r) => (r.stdout.trim() ? 'stdout' : r.stderr.trim() ? 'stderr' : 'none');
      if (stream(ours) !== stream(gait)) diffs.push({ path: 'error_stream', ours: stream(ours), gait: stream(gait) });
    }
    return diffs;
  }
  const a = parse(ours.stdout);
  const b = parse(gait.stdout);
  if (!a.ok || !b.ok) {
    if (ours.stdout !== gait.stdout) diffs.push({ path: `${prefix}stdout`, ours: ours.stdout, gait: gait.stdout });
  } else diffValues(normalize(a.value), normalize(b.value), `${prefix}stdout`, diffs);
  if ((ours.trace === undefined) !== (gait.trace === undefined)) diffs.push({ path: `${prefix}trace`, ours: ours.trace === undefined ? '<none>' : '<written>', gait: gait.trace === undefined ? '<none>' : '<written>' });
  else if (ours.trace !== undefined) {
    const ta = parse(ours.trace);
    const tb = parse(gait.trace);
    if (!ta.ok || !tb.ok) diffs.push({ path: `${prefix}trace`, ours: ours.trace, gait: gait.trace });
    else diffValues(normalize(ta.value), normalize(tb.value), `${prefix}trace`, diffs);
  }
  return diffs;
}

/** For `policy fmt` byte differences: is each CLI's output its own fixed point (fmt of it = it)? */
async function fmtFixedPoints(ours, gait, o) {
  const dir = mkdtempSync(join(tmpdir(), 'gait-oracle-fmt-'));
  try {
    const fixed = {};
    for (const [side, cli, text] of [['ours', OURS, ours.stdout], ['gait', [o.oracle], gait.stdout]]) {
      writeFileSync(join(dir, 'policy.yaml'), text);
      const r = await run([...cli, 'policy', 'fmt', 'policy.yaml'], dir, o.timeout);
      fixed[side] = r.exit === 0 && r.stdout === text;
    }
    return fixed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Signed traces cross-verify: Gait's `trace verify` accepts the trace gait-wasm wrote, and
 * gait-wasm's accepts Gait's (same key, same canonical bytes).
 */
async function crossVerify(ours, gait, o) {
  const diffs = [];
  const dir = mkdtempSync(join(tmpdir(), 'gait-oracle-verify-'));
  try {
    for (let n = 0; n < Math.min(ours.length, gait.length); n++) {
      for (const [writer, trace, verifier] of [['ours', ours[n].trace, [o.oracle]], ['gait', gait[n].trace, OURS]]) {
        if (trace === undefined) continue;
        writeFileSync(join(dir, 'trace.json'), trace);
        const r = await run([...verifier, 'trace', 'verify', 'trace.json', '--public-key', PUBLIC_KEY, '--json'], dir, o.timeout);
        const status = parse(r.stdout).value?.signature_status;
        if (r.exit !== 0 || status !== 'verified') {
          const path = `${ours.length > 1 ? `run${n + 1}.` : ''}trace_cross_verify.${writer}`;
          diffs.push({ path, ours: writer === 'ours' ? `written; Gait's verify: exit ${r.exit} ${r.stdout.trim()}` : 'verifier', gait: writer === 'gait' ? `written; our verify: exit ${r.exit} ${r.stdout.trim()}` : 'verifier' });
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return diffs;
}

/** Runs both CLIs on a case: { diffs (unexplained), known (explained, with their entry), sides }. */
async function evaluate(c, command, o) {
  const [ours, gait] = await Promise.all([runSide(OURS, c, command, o.timeout), runSide([o.oracle], c, command, o.timeout)]);
  const all = [];
  for (let n = 0; n < Math.max(ours.length, gait.length); n++) {
    all.push(...compareRun(ours[n], gait[n], ours.length > 1 ? `run${n + 1}.` : '', command === 'fmt'));
  }
  if (command === 'eval' || command === 'simulate') all.push(...(await crossVerify(ours, gait, o)));
  const ctx = { command: NAMES[command], policy: c.policy, intent: c.intent, ours, gait };
  if (all.some((d) => d.path === 'fmt')) {
    ctx.fmtFixedPoints = await fmtFixedPoints(ours[0], gait[0], o);
  }
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

async function shrink(c, command, o, budget = 80) {
  let best = c;
  let progress = true;
  while (progress && budget > 0) {
    progress = false;
    for (const next of candidates(best)) {
      if (budget-- <= 0) break;
      if ((await evaluate(next, command, o)).diffs.length) {
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

function record(o, index, command, c, result, minimal) {
  const dir = resolve(o.out, `seed-${o.seed}-case-${index}-${command}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'policy.yaml'), c.policy);
  if (c.intent !== null) writeFileSync(join(dir, 'intent.json'), c.intent);
  writeFileSync(join(dir, 'ours.json'), JSON.stringify(result.ours, null, 2) + '\n');
  writeFileSync(join(dir, 'gait.json'), JSON.stringify(result.gait, null, 2) + '\n');
  writeFileSync(join(dir, 'diffs.json'), JSON.stringify(result.diffs, null, 2) + '\n');
  if (minimal) {
    writeFileSync(join(dir, 'minimal.policy.yaml'), minimal.policy);
    if (minimal.intent !== null) writeFileSync(join(dir, 'minimal.intent.json'), minimal.intent);
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
  const indices = o.only !== undefined ? [o.only] : [...Array(o.cases).keys()];
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
      const c = createGenerator(caseSeed(o.seed, index)).randomCase();
      const s = (stats[command] ??= { cases: 0, agree: 0, known: 0, disagree: 0 });
      s.cases++;
      let result = await evaluate(c, command, o);
      if (result.diffs.length && command === 'eval' && needsState(c.policy)) {
        // Two runs on one rate-limit state can straddle a window boundary on one side only:
        // a stateful disagreement must reproduce once more to count.
        const again = await evaluate(c, command, o);
        console.log(`retried seed=${o.seed} case=${index} (rate-limited, ${again.diffs.length ? 'disagrees again' : 'agrees on retry'})`);
        result = again;
      }
      for (const id of new Set(result.known.map((k) => k.known))) knownCounts[id] = (knownCounts[id] ?? 0) + 1;
      if (o.verbose && result.known.length) {
        console.log(`known seed=${o.seed} case=${index} command=${NAMES[command]} family=${c.family}: ${result.known.map((d) => `${d.path} [${d.known}] ours=${show(d.ours)} gait=${show(d.gait)}`).join('; ')}`);
      }
      if (result.diffs.length === 0) {
        if (result.known.length) s.known++;
        else s.agree++;
      } else {
        s.disagree++;
        const minimal = o.shrink ? await shrink(c, command, o) : undefined;
        const dir = record(o, index, command, c, result, minimal);
        failures.push({ index, command, family: c.family, dir });
        const lines = [`DISAGREEMENT seed=${o.seed} case=${index} command=${NAMES[command]}${command === 'simulate' ? ' --simulate' : ''} family=${c.family} (written to ${dir})`];
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
    console.log(`  ${(NAMES[command] + (command === 'simulate' ? ' --simulate' : '')).padEnd(22)} ${String(s.cases).padStart(5)} cases: ${s.agree} agree, ${s.known} agree modulo known differences, ${s.disagree} disagree`);
  }
  for (const k of KNOWN_DIFFERENCES) if (knownCounts[k.id]) console.log(`  known difference ${k.id} (${k.kind === 'bug' ? 'BUG, open' : k.kind === 'quirk' ? 'Gait quirk' : 'accepted'}): ${knownCounts[k.id]} cases`);
  if (failures.length) {
    console.log(`test:oracle FAILED: ${failures.length} disagreement(s); cases written under ${resolve(o.out)}`);
    process.exit(1);
  }
  console.log('test:oracle passed: no unexplained disagreement');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
