// The differential runner's machinery, shared by every scenario (scenarios/*.mjs): running one
// CLI in a fresh directory, normalizing away per-run random fields, and comparing two results
// field by field. A scenario only says which files to write and which commands to run.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RANDOM_FIELDS } from './known-differences.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const OURS = [process.execPath, here('../../bin/gait.js')];
export const FIXTURE_KEYS = {
  private: here('../fixtures/gait/scenarios/keys/approval_private.key'),
  public: here('../fixtures/gait/scenarios/keys/approval_public.key'),
};

/** Runs argv in cwd: { exit ('timeout' when killed), stdout, stderr }. */
export function run(argv, cwd, timeout, env = {}) {
  return new Promise((done) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
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

/** A fresh temporary directory for fn(dir), removed afterwards. */
export async function inTempDir(prefix, fn) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes { relative name: text } under dir (creating folders); `*.sh` files are made executable (broker scripts). */
export function writeFiles(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
    if (name.endsWith('.sh')) chmodSync(join(dir, name), 0o755);
  }
}

/**
 * One CLI on one case: a fresh directory with `.gait-out/` (Gait's first rate-limited `gate eval`
 * fails without it: oracle README, decision 10) and the case's files, then each step in order.
 * A step is { argv, capture?: { label: file }, env?, keep?, opaque? }; captured files are read and
 * removed after the step (unless `keep`: a state file carried to the next step), so a later step
 * that writes the same name starts clean. A RegExp `file` captures the first top-level file whose
 * name matches (outputs named after a trace id, e.g. audits). `opaque` captures (key bytes) are
 * compared for presence only.
 */
export async function runSteps(bin, files, steps, timeout) {
  return inTempDir('gait-oracle-', async (dir) => {
    mkdirSync(join(dir, '.gait-out'));
    writeFiles(dir, files);
    const runs = [];
    for (const step of steps) {
      const r = step.serve ? await serve(bin, step, dir, timeout) : await run([...bin, ...step.argv], dir, timeout, step.env);
      r.files = {};
      if (step.opaque) r.opaque = true;
      for (const [label, file] of Object.entries(step.capture ?? {})) {
        const name = file instanceof RegExp ? readdirSync(dir).sort().find((n) => file.test(n)) : file;
        const p = name === undefined ? undefined : join(dir, name);
        if (p !== undefined && existsSync(p)) {
          r.files[label] = readFileSync(p, 'utf8');
          if (!step.keep) rmSync(p);
        }
      }
      runs.push(r);
    }
    return runs;
  });
}

/** A free loopback TCP port (closed again; the server under test binds it next). */
function freePort() {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => done(port));
    });
  });
}

/**
 * A `gait mcp serve` step: `step.argv` with `<PORT>` replaced by a free port; once the server has
 * printed its startup line, `step.requests` ({ method, path, headers?, body? }) are sent in order
 * and the run's stdout becomes the startup line plus one JSON line per response ({ status,
 * content_type, body }: body bytes as text), so the usual comparison applies. A server that exits
 * at startup (a startup error) is reported like any CLI run.
 */
async function serve(bin, step, dir, timeout) {
  const port = await freePort();
  const argv = step.argv.map((a) => a.replace('<PORT>', String(port)));
  const child = spawn(bin[0], [...bin.slice(1), ...argv], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...step.env } });
  const out = [];
  const err = [];
  child.stderr.on('data', (b) => err.push(b));
  const closed = new Promise((done) => child.on('close', (code, signal) => done(code ?? `signal ${signal}`)));
  const started = await Promise.race([
    new Promise((done) => child.stdout.on('data', (b) => {
      out.push(b);
      if (Buffer.concat(out).includes(10)) done(true);
    })),
    closed.then(() => false),
    new Promise((done) => setTimeout(() => done(false), timeout)),
  ]);
  if (!started) {
    child.kill('SIGKILL');
    const exit = await closed;
    return { exit, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }
  const startup = Buffer.concat(out).toString('utf8').trimEnd().replaceAll(String(port), '<PORT>');
  // Gait prints its startup line just before it listens: wait until the port answers.
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
    if (up) break;
    await new Promise((done) => setTimeout(done, 20));
  }
  const responses = [];
  for (const req of step.requests) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${req.path}`, { method: req.method, headers: req.headers ?? {}, body: req.body ?? undefined, signal: AbortSignal.timeout(timeout) });
      responses.push(httpRecord(res.status, res.headers, await res.text()));
    } catch (e) {
      responses.push({ error: String(e?.cause?.code ?? e?.message ?? e) });
    }
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await closed;
  clearTimeout(timer);
  return { exit: 'served', stdout: JSON.stringify({ startup: parse(startup).value, responses }) + '\n', stderr: Buffer.concat(err).toString('utf8') };
}

/**
 * One HTTP response as compared: status, framing headers, the body bytes with the two per-run
 * values scrubbed as the mcp fixtures do (decision_latency_ms removed, trace_path's value
 * replaced), and the body (or SSE data) parsed for field-by-field differences.
 */
function httpRecord(status, headers, text) {
  const bytes = text.replace(/"decision_latency_ms":\d+,/g, '').replace(/"trace_path":"[^"]*"/g, '"trace_path":"<TRACE_PATH>"');
  const data = text.startsWith('event: ') ? text.split('\n').find((l) => l.startsWith('data: '))?.slice(6) ?? '' : text;
  const record = { status, content_type: headers.get('content-type'), body_text: bytes };
  for (const h of ['cache-control', 'connection']) if (headers.get(h) !== null && text.startsWith('event: ')) record[h] = headers.get(h);
  const body = parse(data);
  if (body.ok) {
    // Wall-clock milliseconds, omitted when 0: absent from the compared body, as from body_text.
    if (body.value && typeof body.value === 'object') delete body.value.decision_latency_ms;
    record.body = body.value;
  }
  return record;
}

export const parse = (text) => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
};

/** A JSON value with random fields blanked and the random ids echoed elsewhere replaced. */
export function normalize(value, randomFields = RANDOM_FIELDS) {
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
        out[k] = randomFields.some((f) => p === f || p.endsWith(`.${f}`)) ? '<random>' : walk(x, p);
      }
      return out;
    }
    return v;
  };
  return walk(value, '');
}

/** Field-by-field differences of two JSON values: [{ path, ours, gait }]. */
export function diffValues(a, b, path, out = []) {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, b.length)).keys()] : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffValues(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path, ours: a, gait: b });
  }
  return out;
}

/** Two JSON-or-text outputs compared under `path`, each first passed through `scrub` (if any). */
export function compareOutput(ours, gait, path, randomFields, scrub = (t) => t) {
  const a = parse(scrub(ours));
  const b = parse(scrub(gait));
  if (!a.ok || !b.ok) return scrub(ours) === scrub(gait) ? [] : [{ path, ours, gait }];
  return diffValues(normalize(a.value, randomFields), normalize(b.value, randomFields), path);
}

/**
 * One step's results on both sides: exit code, stdout, captured files. `text` steps (policy fmt)
 * compare stdout byte for byte where Gait succeeds, and on failure the message and its stream.
 */
export function compareRun(ours, gait, prefix, { text = false, randomFields, scrub } = {}) {
  const diffs = [];
  if (ours.exit !== gait.exit) diffs.push({ path: `${prefix}exit`, ours: ours.exit, gait: gait.exit });
  if (text) {
    if (gait.exit === 0 && ours.stdout !== gait.stdout) diffs.push({ path: `${prefix}fmt`, ours: ours.stdout, gait: gait.stdout });
    if (gait.exit !== 0 && ours.exit === gait.exit) {
      const message = (r) => (r.stdout + r.stderr).trim();
      if (message(ours) !== message(gait)) diffs.push({ path: `${prefix}error_text`, ours: message(ours), gait: message(gait) });
      const stream = (r) => (r.stdout.trim() ? 'stdout' : r.stderr.trim() ? 'stderr' : 'none');
      if (stream(ours) !== stream(gait)) diffs.push({ path: `${prefix}error_stream`, ours: stream(ours), gait: stream(gait) });
    }
    return diffs;
  }
  diffs.push(...compareOutput(ours.stdout, gait.stdout, `${prefix}stdout`, randomFields, scrub));
  for (const label of [...new Set([...Object.keys(ours.files ?? {}), ...Object.keys(gait.files ?? {})])].sort()) {
    const a = ours.files?.[label];
    const b = gait.files?.[label];
    if ((a === undefined) !== (b === undefined)) diffs.push({ path: `${prefix}${label}`, ours: a === undefined ? '<none>' : '<written>', gait: b === undefined ? '<none>' : '<written>' });
    else if (!ours.opaque) diffs.push(...compareOutput(a, b, `${prefix}${label}`, randomFields, scrub));
  }
  return diffs;
}

/**
 * Signed traces cross-verify: each CLI's `trace verify` accepts the trace the other wrote (same
 * key, same canonical bytes). `label` is the captured-file label of the trace in each run.
 */
export async function crossVerifyTraces(ours, gait, env, label = 'trace') {
  const diffs = [];
  await inTempDir('gait-oracle-verify-', async (dir) => {
    for (let n = 0; n < Math.min(ours.length, gait.length); n++) {
      for (const [writer, trace, verifier] of [['ours', ours[n].files?.[label], env.gait], ['gait', gait[n].files?.[label], env.ours]]) {
        if (trace === undefined) continue;
        writeFileSync(join(dir, 'trace.json'), trace);
        const r = await run([...verifier, 'trace', 'verify', 'trace.json', '--public-key', FIXTURE_KEYS.public, '--json'], dir, env.timeout);
        const status = parse(r.stdout).value?.signature_status;
        if (r.exit !== 0 || status !== 'verified') {
          const path = `${ours.length > 1 ? `run${n + 1}.` : ''}${label}_cross_verify.${writer}`;
          diffs.push({ path, ours: writer === 'ours' ? `written; Gait's verify: exit ${r.exit} ${r.stdout.trim()}` : 'verifier', gait: writer === 'gait' ? `written; our verify: exit ${r.exit} ${r.stdout.trim()}` : 'verifier' });
        }
      }
    }
  });
  return diffs;
}
