/**
 * Decide-only workerd (Cloudflare Workers) entry, `gait-wasm/compiled`: core.wasm is imported as a
 * module (workerd cannot compile bytes), instantiated on first use; compiled policies only.
 */
import core from '../core.wasm';
import { EngineError } from '../core/engine.js';
import { defineRuntime } from '../load/runtime.js';
import { isWasmModule } from '../core/wasm-sources.js';
import { openCompiledGate, type CompiledPolicyInput } from './decide.js';
import type { DecisionGate } from '../decision-gate.js';

export * from './decide.js';

function loadDefaultSync(): WebAssembly.Module {
  if (!isWasmModule(core)) {
    throw new EngineError('core.wasm was not imported as a WebAssembly.Module: declare it as a wasm module in the worker config (workerd: `wasm = embed "core.wasm"`; wrangler does it for .wasm imports)');
  }
  return core;
}

const runtime = defineRuntime<DecisionGate, CompiledPolicyInput>(
  {
    runtime: 'workerd (decide-only)',
    loadDefault: async (where) => {
      if (where !== undefined) throw new EngineError('workerd cannot compile WebAssembly from a URL or bytes: pass init() the imported WebAssembly.Module');
      return loadDefaultSync();
    },
    loadDefaultSync,
  },
  openCompiledGate,
);

/** Initialises the default engine (the imported core.wasm, or a given WebAssembly.Module). */
export const init = runtime.init;
/** Same, synchronously. */
export const initSync = runtime.initSync;
/** The default engine, instantiated on first use. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(compiled)` with the default engine, or `createGate(engine, compiled)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is. */
export const RUNTIME_ENTRY: string = 'workerd-compiled';
