// Runs the conformance corpus in each runtime and returns { runtime, entry, cold_start_ms, results }.
// Node, Bun and Deno run test/runtimes/cli-harness.mjs in a fresh process (importing `gait-wasm`
// by name, so each resolves the package's export conditions); workerd is a real `workerd serve`
// on loopback that cases are POSTed to; headless Chromium (chromium.mjs, via playwright-core) opens
// test/runtimes/browser/harness.html from a loopback static server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCorpus } from '../../conformance/runner.mjs';
import { serveStatic } from './server.mjs';
import { resolveChromium } from './chromium.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS = join(ROOT, 'conformance/corpus.jsonl');
const HARNESS = join(ROOT, 'test/runtimes/cli-harness.mjs');
export const bin = (name) => join(ROOT, 'node_modules/.bin', name);

export { chromiumPath, chromiumSource, browserUnavailable } from './chromium.mjs';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs a command to completion (killed after `timeoutMs`), collecting its output. */
export function exec(cmd, args, { timeoutMs = 120_000, cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

async function cliRuntime(name, cmd, args) {
  const r = await exec(cmd, args);
  if (r.code !== 0) throw new Error(`${name} harness failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout);
}

export const runNode = () => cliRuntime('node', process.execPath, [HARNESS, 'gait-wasm', CORPUS]);
export const runBun = () => cliRuntime('bun', bin('bun'), [HARNESS, 'gait-wasm', CORPUS]);
export const runDeno = () =>
  cliRuntime('deno', bin('deno'), ['run', '--no-prompt', '--no-lock', `--allow-read=${ROOT}`, HARNESS, 'gait-wasm', CORPUS]);

/** A free loopback port (closed again before use: workerd binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `workerd serve <config>` on a free loopback port for socket `socket` and waits until it
 * answers. `args` go after the config (e.g. `--directory-path name=dir`); `env` is its environment
 * (`fromEnvironment` bindings read it). Returns { url, startup_ms, stop, log }.
 */
export async function startWorkerd(config, socket = 'http', { readyTimeoutMs = 20_000, args = [], env = process.env } = {}) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(bin('workerd'), ['serve', config, '--socket-addr', `${socket}=127.0.0.1:${port}`, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((resolve) => {
    if (exited) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`workerd exited before serving:\n${log}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`workerd did not answer on ${url} within ${readyTimeoutMs} ms:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, startup_ms: performance.now() - started, stop, log: () => log };
}

/**
 * workerd: compiles core.wasm when it loads the config (in startup_ms); the first POST pays
 * instantiation and the first policy load. Inside a worker the clock only moves on I/O, so cold
 * start is measured from outside: first request minus the median warm request.
 */
export async function runWorkerd() {
  const cases = parseCorpus(readFileSync(CORPUS, 'utf8'));
  const server = await startWorkerd(join(ROOT, 'test/runtimes/workerd/config.capnp'));
  try {
    const post = async (body) => {
      const r = await fetch(server.url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      const text = await r.text();
      if (!r.ok) throw new Error(`workerd answered HTTP ${r.status}: ${text}`);
      return text;
    };
    const first = cases.find((c) => typeof c.policy === 'string');
    const t0 = performance.now();
    await post({ policy: first.policy, intent: null });
    const firstMs = performance.now() - t0;
    const warm = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await post({ policy: first.policy, intent: null });
      warm.push(performance.now() - t);
    }
    warm.sort((a, b) => a - b);
    const warmMs = warm[warm.length >> 1];
    // Every case, four requests in flight at a time (a bounded loop: one request per case).
    const results = new Array(cases.length);
    let next = 0;
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await post({ policy: cases[i].policy, intent: cases[i].intent, enforce: cases[i].enforce });
      }
    }));
    const corpusMs = performance.now() - t1;
    const version = (await exec(bin('workerd'), ['--version'])).stdout.trim();
    return {
      runtime: version,
      entry: 'workerd',
      cold_start_ms: { startup: server.startup_ms, first_request: firstMs, warm_request: warmMs, total: firstMs - warmMs },
      corpus_ms: corpusMs,
      results,
    };
  } finally {
    await server.stop();
  }
}

/** Launches headless Chromium (chromium.mjs: CHROMIUM_PATH, the system's or npm's) with a fresh profile. Returns { context, close }. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const found = resolveChromium();
  const profile = mkdtempSync(join(tmpdir(), 'gait-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: found.path,
    ...(found.env ? { env: found.env } : {}),
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function runChromium() {
  const server = await serveStatic(ROOT, ['dist/', 'conformance/', 'test/runtimes/browser/']);
  const chromium = await launchChromium();
  try {
    const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/test/runtimes/browser/harness.html`);
    await page.waitForFunction(() => window.__conformance !== undefined, null, { timeout: 120_000 });
    const out = await page.evaluate(() => window.__conformance);
    if (out.error) throw new Error(`browser harness failed: ${out.error}`);
    if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
    const version = chromium.context.browser()?.version() ?? out.runtime;
    return { ...out, runtime: `chromium ${version}` };
  } finally {
    await chromium.close();
    await server.close();
  }
}

/** Case ids whose result differs from the reference (at most `limit`, with both results). */
export function differences(cases, reference, results, limit = 5) {
  const diffs = [];
  let count = 0;
  for (let i = 0; i < cases.length; i++) {
    if (results[i] === reference[i]) continue;
    count++;
    if (diffs.length < limit) diffs.push(`${cases[i].id}\n  reference: ${reference[i]}\n  this:      ${results[i]}`);
  }
  if (results.length !== reference.length) diffs.push(`result count ${results.length} != ${reference.length}`);
  return { count: count + (results.length !== reference.length ? 1 : 0), diffs };
}

/** Formats the cold-start table printed by the test. */
export function coldStartTable(rows) {
  const fmt = (n) => (typeof n === 'number' ? n.toFixed(1) : '');
  const lines = ['runtime                     | cold start ms | detail', '----------------------------|---------------|-------'];
  for (const r of rows) {
    const c = r.cold_start_ms;
    const detail = 'init' in c
      ? `init (compile+instantiate) ${fmt(c.init)}, first policy ${fmt(c.first_policy)}`
      : `startup (incl. compile) ${fmt(c.startup)}, first request ${fmt(c.first_request)} - warm request ${fmt(c.warm_request)}`;
    lines.push(`${r.runtime.padEnd(28).slice(0, 28)}| ${fmt(c.total).padStart(13)} | ${detail}; corpus ${fmt(r.corpus_ms)} ms`);
  }
  return lines.join('\n');
}

/**
 * Starts an HTTP server process (`cmd args`, with PORT=<a free loopback port> in its environment
 * besides `env`; `args` may be a function of that port) and waits until GET `readyPath` answers.
 * Returns { url, stop, log }.
 */
export async function startHttpProcess(cmd, args, { env = {}, readyPath = '/', readyTimeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn(cmd, typeof args === 'function' ? args(port) : args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((resolve) => {
    if (exited) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${cmd} exited before serving:\n${log}`);
    try {
      const r = await fetch(url + readyPath, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${cmd} did not answer on ${url} within ${readyTimeoutMs} ms:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop, log: () => log };
}
