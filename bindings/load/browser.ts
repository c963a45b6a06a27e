/**
 * Browser entry (also the `edge-light` and `worker` conditions): the portable API plus a default
 * engine streamed from the package's core.wasm, found inside `init()` (core-wasm-browser.ts says
 * where it looks; nothing at import time can fail). Pass `init(url)` to load it from elsewhere, or
 * `init(module | bytes | Response)`.
 * `createGate(policy)` needs `await init()` first.
 */
import { openGate, type GatePolicy } from '../api.js';
import type { Gate } from '../gate.js';
import { defineRuntime } from './runtime.js';
import { loadBrowserCore, explainBrowserCore } from './core-wasm-browser.js';

export * from '../index.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';

const runtime = defineRuntime<Gate, GatePolicy>({
  runtime: 'browser',
  loadDefault: loadBrowserCore,
  noSyncHint: 'browsers load it asynchronously: use `await init()`',
  explain: explainBrowserCore,
}, openGate);

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
