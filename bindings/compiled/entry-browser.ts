/**
 * Decide-only browser (and Deno) entry, `gait-wasm/compiled`: `await init()` fetches core.wasm
 * beside the package's JavaScript (the URL is resolved inside init(), never at import), or takes a
 * URL, module, bytes or Response; compiled policies only.
 */
import { defineRuntime } from '../load/runtime.js';
import { loadBrowserCore, explainBrowserCore } from '../load/core-wasm-browser.js';
import { openCompiledGate, type CompiledPolicyInput } from './decide.js';
import type { DecisionGate } from '../decision-gate.js';

export * from './decide.js';

const runtime = defineRuntime<DecisionGate, CompiledPolicyInput>(
  {
    runtime: 'browser (decide-only)',
    loadDefault: loadBrowserCore, // the main browser entry's: beside the script, beside a bundle, or a URL
    explain: explainBrowserCore,
    noSyncHint: 'this build loads it asynchronously: use `await init()`',
  },
  openCompiledGate,
);

/** Initialises the default engine: fetches the package's core.wasm, or the given URL, module, bytes or Response. */
export const init = runtime.init;
/** Same, synchronously, from a module or bytes you already have. */
export const initSync = runtime.initSync;
/** The default engine; throws until `init()` has run. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(compiled)` with the default engine (after `await init()`), or `createGate(engine, compiled)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is. */
export const RUNTIME_ENTRY: string = 'browser-compiled';
