// Every bundler and edge runtime, from the packed tarball: a consumer project (test/package/
// consumers/<name>) is built with Vite, webpack, esbuild (browser IIFE and ESM; Node ESM and
// CommonJS), `bun build` (browser; bun), wrangler and Vercel's edge-runtime, then run where it
// would run (headless Chromium, node, bun, workerd, EdgeRuntime) to make one real decision: the
// policy in consumers/shared/decision.js blocks tool.delete. One `npm pack` for the whole file;
// the builds start together in beforeAll and each test waits for its own. Needs `npm run build`.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeRuntime, runServer } from 'edge-runtime';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from '../runtimes/runtimes.mjs';
// @ts-expect-error plain ESM helpers without type declarations
import { serveStatic } from '../runtimes/server.mjs';
// @ts-expect-error plain ESM helpers without type declarations
import { packageWorkspace, npmRun } from './consumers.mjs';

const DECISION = { verdict: 'block', matched_rule: 'block-delete' };
const PROJECTS = ['vite', 'webpack', 'esbuild-browser', 'esbuild-node', 'bun', 'wrangler', 'edge-runtime'] as const;
type Project = (typeof PROJECTS)[number];
const SLOW = 300_000;

/** Whether a tool's binary runs on this platform at all (bun and workerd ship per-platform builds). */
async function runs(cmd: string, args: string[]): Promise<boolean> {
  const r = await R.exec(cmd, args, { timeoutMs: 30_000 }).catch(() => ({ code: -1 }));
  return r.code === 0;
}
const bunRuns = await runs(R.bin('bun'), ['--version']);
const workerdRuns = await runs(R.bin('workerd'), ['--version']);
for (const [tool, ok] of [['bun', bunRuns], ['workerd', workerdRuns]] as const) {
  if (!ok) console.warn(`\n*** SKIPPING the ${tool} consumer tests: ${tool} does not run on ${process.platform}/${process.arch} ***\n`);
}

let ws: { root: string; consumer(name: string): Promise<string>; close(): void };
const builds = new Map<Project, Promise<string>>();
let site: { url: string; close(): Promise<void> } | undefined;
let chromium: { context: import('playwright-core').BrowserContext; close(): Promise<void> } | undefined;

/** The project's directory once `npm run build` has succeeded in it. */
const built = (name: Project): Promise<string> => builds.get(name)!;

beforeAll(async () => {
  ws = await packageWorkspace();
  for (const name of PROJECTS) {
    if (name === 'bun' && !bunRuns) continue;
    const p = ws.consumer(name).then(async (dir: string) => {
      await npmRun(dir, 'build');
      return dir;
    });
    p.catch(() => {}); // reported by the project's own test
    builds.set(name, p);
  }
  site = await serveStatic(ws.root, PROJECTS.map((p) => `${p}/`));
}, SLOW);

afterAll(async () => {
  await Promise.allSettled(builds.values());
  await chromium?.close();
  await site?.close();
  ws?.close();
}, 60_000);

/** Opens a page of a built project in headless Chromium and returns what it decided. */
async function decideInChromium(path: string): Promise<unknown> {
  chromium ??= await R.launchChromium();
  const page = await chromium!.context.newPage();
  // An uncaught error (e.g. the import itself throwing) fails at once instead of timing out.
  const pageError = new Promise<never>((_, reject) => page.on('pageerror', (e) => reject(new Error(`page error on ${path}: ${e}`))));
  try {
    await page.goto(/^https?:/.test(path) ? path : `${site!.url}/${path}`);
    await Promise.race([pageError, page.waitForFunction(() => (window as { __decision?: unknown }).__decision !== undefined, null, { timeout: 60_000 })]);
    return await page.evaluate(() => (window as { __decision?: unknown }).__decision);
  } finally {
    await page.close();
  }
}

/** Runs a script with node (or bun) and parses the JSON line it prints. */
async function decideWith(cmd: string, args: string[], cwd: string): Promise<unknown> {
  const r = await R.exec(cmd, args, { cwd, timeoutMs: 60_000 });
  expect(r.code, `${cmd} ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

describe('browser bundles in Chromium', () => {
  it('Vite: `vite build`, no configuration; init() loads the core.wasm asset Vite emitted', async () => {
    const dir = await built('vite');
    expect(readdirSync(join(dir, 'dist/assets')).some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(await decideInChromium('vite/dist/index.html')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);

  it('Vite dev server (dependencies pre-bundled): init() still finds core.wasm', async () => {
    const dir = await built('vite');
    const port = await R.freePort();
    const vite = spawn(join(dir, 'node_modules/.bin/vite'), ['--port', String(port), '--host', '127.0.0.1', '--strictPort', '--clearScreen', 'false'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    vite.stdout.on('data', (d) => (log += d));
    vite.stderr.on('data', (d) => (log += d));
    try {
      const deadline = Date.now() + 60_000;
      while (!/ready in/.test(log)) {
        if (vite.exitCode !== null || Date.now() > deadline) throw new Error(`vite dev did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await decideInChromium(`http://127.0.0.1:${port}/`)).toEqual({ ...DECISION, entry: 'browser' });
    } finally {
      vite.kill('SIGTERM');
    }
  }, SLOW);

  it('webpack 5: no loaders; init() loads the core.wasm asset webpack emitted', async () => {
    const dir = await built('webpack');
    expect(readdirSync(join(dir, 'dist')).some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(await decideInChromium('webpack/index.html')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);

  it('esbuild --format=iife (a classic script, no import.meta): core.wasm copied beside it, init() finds it', async () => {
    await built('esbuild-browser');
    expect(await decideInChromium('esbuild-browser/iife.html')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);

  it('esbuild --format=esm: init(new URL("./core.wasm", import.meta.url)) with core.wasm copied beside it', async () => {
    await built('esbuild-browser');
    expect(await decideInChromium('esbuild-browser/esm.html')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);

  it.skipIf(!bunRuns)('bun build --target=browser: core.wasm copied beside the bundle, init() finds it', async () => {
    await built('bun');
    expect(await decideInChromium('bun/index.html')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);
});

describe('server bundles', () => {
  it('esbuild --platform=node, ESM and CommonJS: core.wasm found in the installed package, no init()', async () => {
    const dir = await built('esbuild-node');
    expect(await decideWith(process.execPath, ['out/server.mjs'], dir)).toEqual({ ...DECISION, entry: 'node' });
    expect(await decideWith(process.execPath, ['out/server.cjs'], dir)).toEqual({ ...DECISION, entry: 'node' });
  }, SLOW);

  it('esbuild --platform=node deployed alone: finds core.wasm copied beside it, else says where it looked', async () => {
    const dir = await built('esbuild-node');
    const alone = join(ws.root, 'esbuild-node-alone');
    mkdirSync(alone);
    copyFileSync(join(dir, 'out/server.mjs'), join(alone, 'server.mjs'));
    const missing = (await decideWith(process.execPath, ['server.mjs'], alone)) as { error: string };
    expect(missing.error).toMatch(/^EngineError: core\.wasm not found; gait-wasm looked for:\n/);
    expect(missing.error).toContain(`  ${join(alone, 'core.wasm')}\n`);
    expect(missing.error).toContain("initSync(readFileSync(new URL('./core.wasm', import.meta.url)))");
    copyFileSync(join(dir, 'node_modules/gait-wasm/dist/core.wasm'), join(alone, 'core.wasm'));
    expect(await decideWith(process.execPath, ['server.mjs'], alone)).toEqual({ ...DECISION, entry: 'node' });
  }, SLOW);

  it('the unbundled package: import in Node ESM and require() from CommonJS', async () => {
    const dir = await built('esbuild-node');
    expect(await decideWith(process.execPath, ['server.js'], dir)).toEqual({ ...DECISION, entry: 'node' });
    expect(await decideWith(process.execPath, ['require.cjs'], dir)).toEqual({ ...DECISION, entry: 'node' });
  }, SLOW);

  it.skipIf(!bunRuns)('bun build --target=bun: runs with bun, no init()', async () => {
    const dir = await built('bun');
    expect(await decideWith(R.bin('bun'), ['out/bun/server.js'], dir)).toEqual({ ...DECISION, entry: 'node' });
  }, SLOW);
});

/** A workerd config serving a `wrangler deploy --dry-run --outdir` folder: the script and the modules beside it. */
function workerdConfigFor(outdir: string): string {
  const script = readdirSync(outdir).find((file) => file.endsWith('.js'));
  const modules = readdirSync(outdir).flatMap((file) => {
    if (file.endsWith('.wasm')) return [`(name = "${file}", wasm = embed "${file}")`];
    if (file.endsWith('.gaitc')) return [`(name = "${file}", data = embed "${file}")`];
    return [];
  });
  const config = join(outdir, 'workerd.capnp');
  writeFileSync(config, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "${script}", esModule = embed "${script}"), ${modules.join(', ')} ],
  compatibilityDate = "2025-09-01",
);
`);
  return config;
}

/** Serves a wrangler dry-run output in workerd and returns what one HTTP request answered. */
async function askWorker(outdir: string): Promise<unknown> {
  const server = await R.startWorkerd(workerdConfigFor(outdir));
  try {
    const r = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(200);
    return await r.json();
  } finally {
    await server.stop();
  }
}

/** Runs out/<name>.js in Vercel's EdgeRuntime (no compiling WebAssembly from bytes), serving HTTP. */
async function askEdgeFunction(dir: string, name: string): Promise<unknown> {
  const bindings = JSON.parse(readFileSync(join(dir, 'out/wasm-bindings.json'), 'utf8')) as Record<string, string>;
  expect(Object.values(bindings).map((p) => p.replace(/\\/g, '/'))).toEqual([expect.stringMatching(/node_modules\/gait-wasm\/dist\/core\.wasm$/)]);
  // The host compiles each .wasm binding in its own realm, as Vercel's runtime does.
  const modules = Object.fromEntries(Object.entries(bindings).map(([binding, path]) => [binding, new WebAssembly.Module(readFileSync(path))]));
  const runtime = new EdgeRuntime({
    initialCode: readFileSync(join(dir, `out/${name}.js`), 'utf8'),
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => Object.assign(context, modules),
  });
  const server = await runServer({ runtime, port: 0, host: '127.0.0.1' });
  try {
    const r = await fetch(server.url, { signal: AbortSignal.timeout(10_000) });
    expect(r.status).toBe(200);
    return await r.json();
  } finally {
    await server.close();
  }
}

describe('edge runtimes', () => {
  it.skipIf(!workerdRuns)('wrangler deploy --dry-run: the bundle it would upload answers an HTTP request in workerd', async () => {
    const dir = await built('wrangler');
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.wasm'))).toHaveLength(1); // core.wasm uploaded as a module
    expect(await askWorker(join(dir, 'out'))).toEqual({ ...DECISION, entry: 'workerd' });
  }, SLOW);

  it.skipIf(!workerdRuns)('wrangler, decide-only (gait-wasm/compiled) with a policy compiled by `gait policy compile`', async () => {
    const dir = await built('wrangler');
    expect(readdirSync(join(dir, 'out-compiled')).filter((f) => f.endsWith('.gaitc'))).toHaveLength(1);
    expect(await askWorker(join(dir, 'out-compiled'))).toEqual({ ...DECISION, entry: 'workerd-compiled' });
  }, SLOW);

  it("Vercel's edge-runtime: the edge-light build as one classic script, core.wasm a module from the host's realm, no compiling from bytes", async () => {
    const dir = await built('edge-runtime');
    expect(await askEdgeFunction(dir, 'edge')).toEqual({ ...DECISION, entry: 'browser' });
  }, SLOW);

  it("Vercel's edge-runtime, decide-only (gait-wasm/compiled) with a compiled policy bundled as bytes", async () => {
    const dir = await built('edge-runtime');
    expect(await askEdgeFunction(dir, 'edge-compiled')).toEqual({ ...DECISION, entry: 'browser-compiled' });
  }, SLOW);
});
