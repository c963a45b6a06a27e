/**
 * `gait mcp serve` under load (issue 12): Gait's own binary (the oracle) and ours
 * (`node bin/gait.js mcp serve`, node:http) side by side in one run, same policy, same mix of
 * calls (allow / block / require_approval, in turn on every connection), same flags, one server at
 * a time (2 cores: the load client needs the other one), nothing pinned.
 *
 * Equal work per request: both re-read the policy and the prod signing key, evaluate, sign a
 * trace and write it into their own temp `--trace-dir`. Gait cannot serve without writing a trace
 * (an empty --trace-dir writes it into the working directory instead, mcp.md §10.4 step 8), so
 * "no trace" is measured for ours alone: the same decision-service handler on node:http
 * (examples/decision-service/node) with the gate built once, the key from the environment and no
 * trace sink, i.e. no file I/O at all. Gait writes each trace durably (temp file, fsync, rename,
 * fsync of the directory), ours atomically without fsync, so the trace dir is measured twice: on
 * the disk (ext4 here: fsync costs real time) and on tmpfs (/dev/shm: fsync is free).
 *
 * Before the load, every call is sent once to each server and the answers compared (verdicts as
 * expected; Gait's and ours byte-identical after dropping decision_latency_ms and trace_path).
 * After each run, the trace files are counted: one per answered request, or the row says so.
 *
 *   node bench/mcp-serve-load.mjs [--seconds 5] [--warmup 2] [--connections 48] [--rounds 3] [--only REGEX] [--json]
 *   node bench/mcp-serve-load.mjs --profile [--seconds 8] [--only ^gait-wasm/disk$]   CPU profile of
 *     ours under the same load (node --cpu-prof), summarised into bench/profile-mcp-serve.md
 *
 * Gait: GAIT_ORACLE, or ../shared/oracle/gait beside the repository; its rows are skipped (and
 * the comparison not judged) when it is absent. Needs a build (dist/).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../test/runtimes/runtimes.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const POLICY = join(ROOT, 'test/fixtures/gait/mcp/policies/rules.yaml');
const KEY = join(ROOT, 'test/fixtures/gait/scenarios/keys/approval_private.key');
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat times are in 1/100 s

/** Gait v1.3.6: GAIT_ORACLE, or ../shared/oracle/gait next to the repository (undefined when absent). */
export function findOracle() {
  const local = join(ROOT, '../shared/oracle/gait');
  return process.env.GAIT_ORACLE || (existsSync(local) ? local : undefined);
}

/**
 * The mix: one call per verdict class, no session id (Gait would append a session journal, which
 * ours leaves out: mcp.md §10.6), a full context (no fallback warning differences to hide).
 */
export const CALLS = [
  {
    name: 'allow',
    verdict: 'allow',
    call: { name: 'tool.read', args: { path: '/repo/in.txt' }, targets: [{ kind: 'path', value: '/repo/in.txt', operation: 'read' }], context: { identity: 'alice', workspace: '/repo', risk_class: 'low' } },
  },
  {
    name: 'block',
    verdict: 'block',
    call: { name: 'tool.exec', args: { command: 'rm -rf /' }, context: { identity: 'bob', workspace: '/repo', risk_class: 'high' } },
  },
  {
    name: 'approval',
    verdict: 'require_approval',
    call: {
      name: 'tool.write',
      args: { path: '/repo/out.txt', content: 'hello' },
      targets: [{ kind: 'path', value: '/repo/out.txt', operation: 'write' }],
      context: { identity: 'alice', workspace: '/repo', risk_class: 'high' },
    },
  },
];
const REQUESTS = CALLS.map((c) => ({ method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ call: c.call }) }));

/** A response body with the run-dependent fields removed (as test/fixtures/gait/mcp/README.md does). */
export const normalizeBody = (text) => text.replace(/"decision_latency_ms":\d+,/, '').replace(/"trace_path":"[^"]*"/, '"trace_path":"<TRACE_PATH>"');

/** /proc/<pid>/stat fields after the command name (field 3 is index 0), or undefined. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * utime + stime of a process and its child processes (all threads; `--workers` serves from
 * children), in ms; undefined where /proc is missing.
 */
function cpuMs(pid) {
  const own = statFields(pid);
  if (!own) return undefined;
  let ticks = Number(own[11]) + Number(own[12]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    if (f && Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1000) / CLK_TCK;
}

/** Starts `cmd args` in `cwd` and waits until GET /healthz answers 200. */
async function startServer(cmd, args, { cwd, env = process.env, port, readyTimeoutMs = 20_000 }) {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise((resolve) => {
      if (exited) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${cmd} ${args.join(' ')} exited before serving:\n${log}`);
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${cmd} did not answer on ${url} within ${readyTimeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, pid: child.pid, stop, log: () => log };
}

/** One call per verdict, sent once: the normalized bodies, and an error when a verdict is wrong. */
async function probe(url) {
  const bodies = {};
  for (const [i, c] of CALLS.entries()) {
    const r = await fetch(`${url}/v1/evaluate`, { method: 'POST', headers: REQUESTS[i].headers, body: REQUESTS[i].body, signal: AbortSignal.timeout(10_000) });
    const text = await r.text();
    let verdict;
    try {
      verdict = JSON.parse(text).verdict;
    } catch {
      // reported below
    }
    if (r.status !== 200 || verdict !== c.verdict) throw new Error(`${c.name}: expected 200 ${c.verdict}, got ${r.status} ${text}`);
    bodies[c.name] = normalizeBody(text);
  }
  return bodies;
}

/** Requests in flight when a load run stops still finish on the server: let them. */
const settle = () => new Promise((r) => setTimeout(r, 500));

const countFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0);

function cannon(url, { seconds, connections }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, requests: REQUESTS }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * One measured run against a started server: warm-up (not counted), then the timed load; trace
 * files counted before and after it, server CPU time read around it.
 */
async function loadRun(server, traceDir, { seconds, warmup, connections }) {
  if (warmup > 0) await cannon(server.url, { seconds: warmup, connections });
  await settle();
  const filesBefore = traceDir ? countFiles(traceDir) : 0;
  const cpuBefore = cpuMs(server.pid);
  // CLOCK_MONOTONIC µs, the clock of a .cpuprofile's timestamps: the timed window for --profile.
  const windowStart = Number(process.hrtime.bigint() / 1000n);
  const r = await cannon(server.url, { seconds, connections });
  const windowEnd = Number(process.hrtime.bigint() / 1000n);
  const cpuAfter = cpuMs(server.pid);
  await settle();
  const traces = traceDir ? countFiles(traceDir) - filesBefore : undefined;
  const answered = r['2xx'];
  return {
    requests_per_s: answered / r.duration,
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    max_ms: r.latency.max,
    answered,
    sent: r.requests.sent,
    non_2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    duration_s: r.duration,
    traces_written: traces,
    pid: server.pid,
    window_us: [windowStart, windowEnd],
    cpu_ms_per_request: cpuBefore !== undefined && cpuAfter !== undefined && answered ? (cpuAfter - cpuBefore) / answered : undefined,
  };
}

/** The flags every `mcp serve` gets (Gait's and ours alike). */
function serveArgs(port, dir, traceDir) {
  return [
    'mcp', 'serve', '--listen', `127.0.0.1:${port}`, '--policy', POLICY,
    '--trace-dir', traceDir, '--session-dir', join(dir, 'sessions'), '--job-root', join(dir, 'jobs'),
    '--key-mode', 'prod', '--private-key', KEY, '--json',
  ];
}

/** The servers and trace locations measured; `cmd(port, dir)` gives the command line. */
function subjects(oracle, { profileDir } = {}) {
  const node = (extra = []) => [process.execPath, ...extra];
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--import', 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))'] : [];
  const out = [];
  for (const where of ['disk', 'tmpfs']) {
    const base = where === 'tmpfs' ? '/dev/shm' : tmpdir();
    if (where === 'tmpfs' && !existsSync(base)) continue;
    if (oracle) {
      out.push({ id: `gait/${where}`, server: 'gait', config: `traces on ${where}`, base, traces: true, cmd: (port, dir) => [oracle, ...serveArgs(port, dir, join(dir, 'traces'))] });
    }
    out.push({ id: `gait-wasm/${where}`, server: 'gait-wasm', config: `traces on ${where}`, base, traces: true, cmd: (port, dir) => [...node(prof), join(ROOT, 'bin/gait.js'), ...serveArgs(port, dir, join(dir, 'traces'))] });
    // As many processes as cores, as Gait's Go runtime uses every core.
    const n = availableParallelism();
    if (n > 1) {
      out.push({ id: `gait-wasm-workers/${where}`, server: `gait-wasm --workers ${n}`, config: `traces on ${where}`, base, traces: true, cmd: (port, dir) => [...node(prof), join(ROOT, 'bin/gait.js'), ...serveArgs(port, dir, join(dir, 'traces')), '--workers', String(n)] });
    }
  }
  const example = join(ROOT, 'examples/decision-service/node/server.mjs');
  if (existsSync(example)) {
    out.push({
      id: 'gait-wasm/no-trace',
      server: 'gait-wasm',
      config: 'no file I/O (library handler: gate built once, key from env, no trace sink)',
      base: tmpdir(),
      traces: false,
      cmd: (port) => [...node(prof), example, '--port', String(port), '--policy', POLICY],
      env: { GAIT_SIGNING_KEY: readFileSync(KEY, 'utf8').trim(), GAIT_TRACE_DIR: '', GAIT_SERVE_TOKEN: '' },
    });
  }
  return out;
}

/**
 * The whole comparison: for each subject, `rounds` runs (subjects interleaved round by round, so
 * drift on a shared machine hits all alike); each run starts a fresh server in a fresh temp dir.
 * The row keeps the median run by requests/s (the lower middle one for an even count).
 */
export async function runMcpServeLoad({ seconds = 5, warmup = 2, connections = 48, rounds = 3, only, log = () => {}, profileDir } = {}) {
  const oracle = findOracle();
  const all = subjects(oracle, { profileDir }).filter((s) => !only || only.test(s.id));
  const runs = new Map(all.map((s) => [s.id, []]));
  const probes = {};
  const failures = [];
  if (!oracle) log('mcp serve load: Gait not found (GAIT_ORACLE or ../shared/oracle/gait): its rows are skipped');
  for (let round = 1; round <= rounds; round++) {
    for (const s of all) {
      const dir = mkdtempSync(join(s.base, 'gait-bench-serve-'));
      const port = await freePort();
      const [cmd, ...args] = s.cmd(port, dir);
      log(`mcp serve load: ${s.id} round ${round}/${rounds} ...`);
      let server;
      try {
        server = await startServer(cmd, args, { cwd: dir, port, env: { ...process.env, ...s.env } });
        probes[s.id] ??= await probe(server.url);
        const run = await loadRun(server, s.traces ? join(dir, 'traces') : undefined, { seconds, warmup, connections });
        runs.get(s.id).push(run);
        log(`  ${Math.round(run.requests_per_s)} req/s, p50 ${run.p50_ms} ms, p99 ${run.p99_ms} ms${run.traces_written !== undefined ? `, ${run.traces_written} traces for ${run.answered} answers` : ''}`);
      } catch (err) {
        failures.push({ id: s.id, round, error: String(err?.message ?? err).slice(0, 2000) });
        log(`  failed: ${String(err?.message ?? err).split('\n')[0]}`);
      } finally {
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const rows = [];
  for (const s of all) {
    const list = runs.get(s.id);
    if (!list.length) continue;
    const sorted = [...list].sort((a, b) => a.requests_per_s - b.requests_per_s);
    const median = sorted[(sorted.length - 1) >> 1];
    rows.push({
      id: s.id,
      server: s.server,
      config: s.config,
      ...median,
      round_requests_per_s: list.map((x) => Math.round(x.requests_per_s)),
      round_p99_ms: list.map((x) => x.p99_ms),
      // Requests still in flight when the client stops are answered to nobody but still traced.
      traces_match_answers: s.traces ? list.every((x) => x.traces_written >= x.answered && x.traces_written <= x.sent) : undefined,
    });
  }
  // Same answers: ours against Gait's, call by call (normalized bodies), per trace location.
  const sameAnswers = {};
  const comparisons = [];
  for (const ours of ['gait-wasm', 'gait-wasm-workers']) {
    for (const where of ['disk', 'tmpfs']) {
      const gp = probes[`gait/${where}`];
      const op = probes[`${ours}/${where}`];
      if (gp && op) sameAnswers[`${ours}/${where}`] = Object.fromEntries(CALLS.map((c) => [c.name, gp[c.name] === op[c.name]]));
      const g = rows.find((r) => r.id === `gait/${where}`);
      const o = rows.find((r) => r.id === `${ours}/${where}`);
      if (!g || !o) continue;
      comparisons.push({
        server: o.server,
        config: `traces on ${where}`,
        throughput_ratio: o.requests_per_s / g.requests_per_s,
        p99_ratio: o.p99_ms / g.p99_ms,
        met: o.requests_per_s >= 2 * g.requests_per_s && o.p99_ms <= g.p99_ms,
      });
    }
  }
  return {
    command: 'node bench/mcp-serve-load.mjs' + (seconds !== 5 || warmup !== 2 || connections !== 48 || rounds !== 3 ? ` --seconds ${seconds} --warmup ${warmup} --connections ${connections} --rounds ${rounds}` : ''),
    oracle: oracle ? 'Gait v1.3.6 (' + (process.env.GAIT_ORACLE ? 'GAIT_ORACLE' : '../shared/oracle/gait') + ')' : undefined,
    policy: 'test/fixtures/gait/mcp/policies/rules.yaml',
    key: '--key-mode prod --private-key test/fixtures/gait/scenarios/keys/approval_private.key',
    mix: CALLS.map((c) => `${c.name} (${c.call.name} → ${c.verdict})`),
    seconds, warmup, connections, rounds,
    rows,
    comparisons,
    same_answers: sameAnswers,
    failures,
  };
}

const fmt = (x, d = 0) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));

/** The Markdown table of a runMcpServeLoad result. */
export function renderMcpServeLoad(r) {
  const lines = [
    `\`${r.command}\`: ${r.connections} connections, ${r.warmup} s warm-up then ${r.seconds} s per run, ${r.rounds} rounds (servers one at a time, interleaved; median run by requests/s).`,
    `Policy \`${r.policy}\`, \`${r.key}\`; each connection sends in turn: ${r.mix.join(', ')}. ` +
      'Every server gets a fresh temp dir with its own `--trace-dir`. "CPU/req" = server process CPU time (all threads) / answers. ' +
      '"traces written" counts the trace files of the timed run: requests still in flight when the client stops are traced but not answered, so it may exceed the answers (never the requests sent). ' +
      'Gait fsyncs every trace file and its directory, ours does not (atomic rename only): on disk Gait does more I/O, on tmpfs fsync costs nothing.',
    '',
    '| server | traces | req/s | p50 | p99 | max | CPU/req | traces written / answers | non-2xx + errors | rounds (req/s) |',
    '|---|---|---:|---:|---:|---:|---:|---|---:|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.server} | ${x.config} | ${fmt(x.requests_per_s)} | ${fmt(x.p50_ms)} ms | ${fmt(x.p99_ms)} ms | ${fmt(x.max_ms)} ms | ${fmt(x.cpu_ms_per_request, 2)} ms | ` +
        `${x.traces_written === undefined ? '—' : `${x.traces_written} / ${x.answered}${x.traces_match_answers ? '' : ' **(mismatch)**'}`} | ${x.non_2xx + x.errors + x.timeouts} | ${x.round_requests_per_s.join(', ')} |`,
    ),
    '',
  ];
  if (r.comparisons.length) {
    lines.push(
      '| ours / Gait | traces | throughput | p99 | goal (≥ 2× throughput, p99 no worse) |',
      '|---|---|---:|---:|---|',
      ...r.comparisons.map((c) => `| ${c.server} | ${c.config} | ${fmt(c.throughput_ratio, 2)}× | ${fmt(c.p99_ratio, 2)}× | **${c.met ? 'met' : 'missed'}** |`),
      '',
    );
  } else if (!r.oracle) {
    lines.push('Gait not found (GAIT_ORACLE or ../shared/oracle/gait): only ours was measured.', '');
  }
  for (const [where, same] of Object.entries(r.same_answers)) {
    const differ = Object.entries(same).filter(([, ok]) => !ok).map(([k]) => k);
    lines.push(`Answers (${where}): ${differ.length ? `**differ from Gait's for ${differ.join(', ')}**` : "byte-identical to Gait's for every call of the mix (decision_latency_ms and trace_path removed)"}.`);
  }
  for (const f of r.failures) lines.push(`- **${f.id}** round ${f.round} failed: ${f.error.split('\n')[0]}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
  const log = (line) => process.stderr.write(line + '\n');
  if (argv.includes('--profile')) {
    const { profileMcpServe } = await import('./mcp-serve-profile.mjs');
    const only = new RegExp(arg('--only', '^gait-wasm/disk$'));
    process.stdout.write(await profileMcpServe({ runLoad: runMcpServeLoad, seconds: Number(arg('--seconds', 8)), connections: Number(arg('--connections', 48)), only, log }) + '\n');
  } else {
    const r = await runMcpServeLoad({
      seconds: Number(arg('--seconds', 5)),
      warmup: Number(arg('--warmup', 2)),
      connections: Number(arg('--connections', 48)),
      rounds: Number(arg('--rounds', 3)),
      only: arg('--only') ? new RegExp(arg('--only')) : undefined,
      log,
    });
    process.stdout.write(argv.includes('--json') ? JSON.stringify(r, null, 2) + '\n' : renderMcpServeLoad(r) + '\n');
  }
}
