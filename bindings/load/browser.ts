/**
 * Browser entry: the portable API plus a default engine streamed from core.wasm next to the
 * package's JavaScript (`new URL('../core.wasm', import.meta.url)`, served as `application/wasm`
 * for streaming compilation). Pass `init(url)` to load it from elsewhere (a CDN, your bundler's
 * asset URL), or `init(module | bytes | Response)`. `createGate(policy)` needs `await init()` first.
 */
import { defineRuntime, fetchCoreModule } from './runtime.js';

export * from '../index.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';

/** Where the package's core.wasm is by default (dist/core.wasm, seen from dist/load/ or dist/bundle/). */
const coreWasmUrl: URL = new URL('../core.wasm', import.meta.url);

const runtime = defineRuntime({
  runtime: 'browser',
  loadDefault: (where) => fetchCoreModule(where === undefined ? coreWasmUrl : new URL(String(where), globalThis.location?.href ?? import.meta.url)),
  noSyncHint: 'browsers load it asynchronously: use `await init()`',
});

/**
 * Initialises the default engine: streams the package's core.wasm, or the given URL, module, bytes or Response.
 * Required in browsers: `await init()` before `createGate(policy)` (or `initSync(module | bytes)` with a module you have).
 */
export const init = runtime.init;
/** Same, synchronously, from a module or bytes you already have. */
export const initSync = runtime.initSync;
/** The default engine; throws until `init()` has run. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(policy)` with the default engine (after `await init()`), or `createGate(engine, policy)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is (the package.json export condition that selected it). */
export const RUNTIME_ENTRY: string = 'browser';
