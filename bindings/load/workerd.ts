/**
 * workerd (Cloudflare Workers) entry: workerd refuses to compile WebAssembly from bytes, so
 * core.wasm is imported as a module (`import core from '../core.wasm'`; wrangler and workerd
 * configs bundle it as a `wasm` module) and instantiated synchronously: `createGate(policy)` works
 * at once, no `init()` needed. `init(module)` or `initSync(module)` take another compiled module.
 */
import core from '../core.wasm';
import { EngineError } from '../core/engine.js';
import { openGate, type GatePolicy } from '../api.js';
import type { Gate } from '../gate.js';
import { defineRuntime } from './runtime.js';
import { isWasmModule } from '../core/wasm-sources.js';

export * from '../index.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';
// Limit counters in a Durable Object: export GaitLimits from the worker, bind it, pass the binding.
export { GaitLimits } from '../stores/durable-object-class.js';
export { durableObjectLimitStore, type DurableObjectLimitStoreOptions } from '../stores/durable-object.js';

function explain(err: unknown): unknown {
  const message = (err as Error)?.message ?? '';
  if (/code generation disallowed|disallowed by embedder/i.test(message)) {
    return new EngineError(`${message}: workerd cannot compile WebAssembly from bytes or a Response; import the .wasm file as a module (import core from "gait-wasm/core.wasm") and pass that`);
  }
  return err;
}

function loadDefaultSync(): WebAssembly.Module {
  if (!isWasmModule(core)) {
    throw new EngineError('core.wasm was not imported as a WebAssembly.Module: declare it as a wasm module in the worker config (workerd: `wasm = embed "core.wasm"`; wrangler does it for .wasm imports)');
  }
  return core;
}

const runtime = defineRuntime<Gate, GatePolicy>({
  runtime: 'workerd',
  loadDefault: async (where) => {
    if (where !== undefined) throw explain(new EngineError('Wasm code generation disallowed by embedder'));
    return loadDefaultSync();
  },
  loadDefaultSync,
  explain,
}, openGate);

/**
 * Initialises the default engine (the imported core.wasm, or a given WebAssembly.Module).
 * Optional in workerd: the imported module is instantiated synchronously on first use.
 */
export const init = runtime.init;
/** Same, synchronously. */
export const initSync = runtime.initSync;
/** The default engine, instantiated on first use. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(policy)` with the default engine, or `createGate(engine, policy)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is (the package.json export condition that selected it). */
export const RUNTIME_ENTRY: string = 'workerd';
