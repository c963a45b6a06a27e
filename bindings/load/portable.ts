/**
 * The portable entry (`default` export condition): no runtime assumptions at all. The caller
 * supplies the core: `await init(module | bytes | Response)` or `initSync(module | bytes)`, after
 * which `createGate(policy)` uses that engine. `createGate(engine, policy)` works as everywhere.
 */
import { EngineError } from '../core/engine.js';
import { openGate, type GatePolicy } from '../api.js';
import type { Gate } from '../gate.js';
import { defineRuntime, fetchCoreModule } from './runtime.js';

export * from '../index.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';

const runtime = defineRuntime<Gate, GatePolicy>({
  runtime: 'portable',
  // A URL is the one source we can honour without knowing the runtime: fetch it.
  loadDefault: async (where) => {
    if (where === undefined) {
      throw new EngineError('no core.wasm source: the portable build needs init(module | bytes | Response | url); import "gait-wasm/core.wasm" with your bundler, or use the node, deno, browser or workerd build');
    }
    return fetchCoreModule(where);
  },
  noSyncHint: 'the portable build has no core.wasm of its own',
}, openGate);

/**
 * Initialises the default engine from a module, bytes, a Response or a URL.
 * Required in the portable build, which has no core.wasm of its own: `await init(source)` before `createGate(policy)`.
 */
export const init = runtime.init;
/** Same, synchronously, from a module or bytes (required here). */
export const initSync = runtime.initSync;
/** The default engine; throws until `init()`/`initSync()` has run. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(policy)` with the default engine, or `createGate(engine, policy)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is (the package.json export condition that selected it). */
export const RUNTIME_ENTRY: string = 'portable';
