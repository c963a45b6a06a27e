// The runtime entries (dist/bundle/*.js, what package.json exports): default engines, explicit
// sources, and bad input — no WebAssembly, a .wasm that fails to load, invalid policies and
// intents — each a typed error with a clear message, and the ToolAdapter never executing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from './runtimes.mjs';

type Entry = typeof import('../../bindings/load/portable.js');
const load = (name: string): Promise<Entry> => import(/* @vite-ignore */ `../../dist/bundle/${name}.js`);
const WASM = readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url)));
const EMPTY_MODULE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const POLICY = 'default_verdict: allow\nrules:\n  - name: block-delete\n    effect: block\n    match: {tool_names: [tool.delete]}\n';
const intent = (tool: string) => ({ tool_name: tool, args: { path: '/tmp/x' }, context: { identity: 'alice', workspace: '/w', risk_class: 'low' } });

describe('package exports', () => {
  it('point every condition at its bundle and its own declarations (types first), and export core.wasm once', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    const root = pkg.exports['.'];
    // Edge functions (Vercel's edge-light) and other worker runtimes get the browser build, ahead
    // of `node` so that a bundler that also sets `node` never picks the fs-based build for them.
    expect(Object.keys(root)).toEqual(['workerd', 'deno', 'edge-light', 'worker', 'browser', 'node', 'default']);
    expect(pkg.exports['./core.wasm']).toBe('./dist/core.wasm');
    const builds: Record<string, string> = { default: 'portable', 'edge-light': 'browser', worker: 'browser' };
    for (const [condition, target] of Object.entries(root) as [string, Record<string, string>][]) {
      const build = builds[condition] ?? condition;
      expect(target, condition).toEqual({ types: `./dist/load/${build}.d.ts`, default: `./dist/bundle/${build}.js` });
      for (const file of Object.values(target)) {
        expect(() => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url))), `${condition} -> ${file}`).not.toThrow();
      }
    }
  });

  it('each bundle re-exports the portable API and says which build it is', async () => {
    for (const name of ['node', 'deno', 'browser', 'workerd', 'portable']) {
      if (name === 'workerd') {
        // Imports core.wasm as a module: only workerd (and bundlers) load it; check the text.
        const text = readFileSync(fileURLToPath(new URL('../../dist/bundle/workerd.js', import.meta.url)), 'utf8');
        expect(text).toMatch(/^import core from '\.\.\/core\.wasm';$/m);
        continue;
      }
      const g = await load(name);
      expect(g.RUNTIME_ENTRY).toBe(name);
      for (const k of ['init', 'initSync', 'createGate', 'defaultEngine', 'instantiate', 'instantiateSync', 'ToolAdapter', 'GateEnforcementError', 'GateEvaluationError', 'GaitError', 'EngineError']) {
        expect(typeof (g as Record<string, unknown>)[k], `${name}.${k}`).toBe('function');
      }
    }
  });

  it('bundles never inline the .wasm', () => {
    for (const name of ['node', 'deno', 'browser', 'workerd', 'portable']) {
      const text = readFileSync(fileURLToPath(new URL(`../../dist/bundle/${name}.js`, import.meta.url)), 'utf8');
      expect(text).not.toMatch(/AGFzbQ|0, 97, 115, 109/); // base64 or byte-array wasm magic
    }
  });
});

describe('node entry', () => {
  it('createGate(policy) works without init, synchronously, and init() returns the same engine', async () => {
    const g = await load('node');
    const gate = g.createGate(POLICY);
    expect(gate.check(intent('tool.write')).verdict).toBe('allow');
    expect(gate.check(intent('tool.delete')).verdict).toBe('block');
    expect(await g.init()).toBe(g.defaultEngine());
    expect(g.initSync()).toBe(g.defaultEngine());
    // createGate(engine, policy) still works with any engine.
    const other = g.instantiateSync(WASM);
    expect(g.createGate(other, POLICY).check(intent('tool.delete')).verdict).toBe('block');
  });

  it('a .wasm that fails to load is an EngineError with a clear message, and the default engine survives', async () => {
    const g = await load('node');
    const before = g.defaultEngine();
    await expect(g.init('/nonexistent/core.wasm')).rejects.toThrow(/^core\.wasm could not be read from \/nonexistent\/core\.wasm: ENOENT/);
    await expect(g.init(new Uint8Array([1, 2, 3]))).rejects.toThrow(/^core\.wasm failed to load: /);
    await expect(g.init(new Response('missing', { status: 404 }))).rejects.toThrow(/HTTP 404/);
    await expect(g.init(EMPTY_MODULE)).rejects.toThrow(/does not export the gait-wasm core interface/);
    expect(() => g.initSync(new Uint8Array([0, 97, 115, 109]))).toThrow(g.EngineError);
    for (const bad of [new Uint8Array([1, 2, 3]), EMPTY_MODULE]) {
      const err = await g.init(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(g.EngineError);
      expect(err).toBeInstanceOf(g.GaitError);
    }
    expect(g.defaultEngine()).toBe(before);
  });

  it('invalid policies and intents are GaitErrors; the ToolAdapter never executes on them', async () => {
    const g = await load('node');
    expect(() => g.createGate('default_verdict: [')).toThrow(g.GaitError);
    expect(() => g.createGate({ default_verdit: 'allow' })).toThrow(/unknown field "default_verdit"/);
    const gate = g.createGate(POLICY);
    expect(() => gate.check('{not json')).toThrow(/^parse intent json: /);
    const executor = vi.fn(() => 'ran');
    const adapter = new g.ToolAdapter(gate);
    await expect(adapter.execute({ intent: '{not json', executor })).rejects.toBeInstanceOf(g.GateEvaluationError);
    await expect(adapter.execute({ intent: { tool_name: 'tool.write' }, executor })).rejects.toThrow(/context\.identity is required/);
    await expect(adapter.execute({ intent: intent('tool.delete'), executor })).rejects.toBeInstanceOf(g.GateEnforcementError);
    expect(executor).not.toHaveBeenCalled();
    await expect(adapter.execute({ intent: intent('tool.write'), executor })).resolves.toMatchObject({ executed: true, result: 'ran' });
    expect(executor).toHaveBeenCalledTimes(1);
  });

  it('without WebAssembly (node --no-expose-wasm): a typed error naming the problem', async () => {
    const r = await R.exec(process.execPath, ['--no-expose-wasm', 'test/runtimes/bad-input.mjs']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of ['createGate', 'init']) {
      expect(out[k]).toEqual({ name: 'EngineError', gait: true, message: 'this runtime has no WebAssembly support; gait-wasm cannot run here' });
    }
  });
});

describe('portable and browser entries (caller supplies the core)', () => {
  it('portable: explains what to pass, then works from a module, bytes or Response', async () => {
    const g = await load('portable');
    expect(() => g.createGate(POLICY)).toThrow(/not initialised: call `await init\(\)` first \(portable build\)/);
    await expect(g.init()).rejects.toThrow(/portable build needs init\(module \| bytes \| Response \| url\)/);
    expect(() => g.initSync()).toThrow(/initSync\(\) in the portable build needs a WebAssembly\.Module or the bytes of core\.wasm/);
    const engine = await g.init(new Response(WASM, { headers: { 'content-type': 'application/wasm' } }));
    expect(g.defaultEngine()).toBe(engine);
    expect(g.createGate(POLICY).check(intent('tool.delete')).verdict).toBe('block');
    expect(g.initSync(new WebAssembly.Module(WASM))).toBe(g.defaultEngine());
  });

  it('browser: needs await init() (or a module/bytes) before createGate(policy)', async () => {
    const g = await load('browser');
    expect(() => g.createGate(POLICY)).toThrow(/not initialised: call `await init\(\)` first \(browser build\)/);
    expect(() => g.initSync()).toThrow(/browsers load it asynchronously: use `await init\(\)`/);
    g.initSync(WASM);
    expect(g.createGate(POLICY).check(intent('tool.write')).verdict).toBe('allow');
  });
});

describe('bad input in other runtimes', () => {
  it('deno without --allow-read: a typed error that names the flag', async () => {
    const r = await R.exec(R.bin('deno'), ['run', '--no-prompt', '--no-lock', 'test/runtimes/bad-input.mjs'], { env: { ...process.env, NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.createGate).toMatchObject({ name: 'EngineError', gait: true });
    expect(out.createGate.message).toMatch(/^core\.wasm could not be read from file:.*--allow-read/);
    expect(out.init.message).toMatch(/^core\.wasm could not be fetched from file:.*--allow-read/);
  }, 60_000);

  it('workerd: bytes and Responses are refused with advice; bad policies and intents never run the tool', async () => {
    const server = await R.startWorkerd(fileURLToPath(new URL('./workerd/config.capnp', import.meta.url)));
    try {
      const out = await (await fetch(`${server.url}/bad-input`, { signal: AbortSignal.timeout(10_000) })).json();
      for (const k of ['bytes', 'response']) {
        expect(out[k].name).toBe('EngineError');
        expect(out[k].message).toMatch(/Wasm code generation disallowed by embedder: workerd cannot compile WebAssembly from bytes or a Response; import the \.wasm file as a module/);
      }
      expect(out.policy).toMatchObject({ name: 'GaitError', gait: true });
      expect(out.intent.name).toBe('GateEvaluationError');
      expect(out.intent.message).toBe('gate evaluation failed, tool not executed: normalize intent: tool_name is required');
      expect(out.allowed).toEqual({ ok: true });
      expect(out.executed).toBe(1); // only the allowed call ran
    } finally {
      await server.stop();
    }
  }, 60_000);
});
