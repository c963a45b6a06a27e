/**
 * Decide-only portable entry (`default` condition of `gait-wasm/compiled`): the caller supplies the
 * core (`await init(module | bytes | Response | url)` or `initSync(module | bytes)`); compiled
 * policies only.
 */
import { EngineError } from '../core/engine.js';
import { defineRuntime, fetchCoreModule } from '../load/runtime.js';
import { openCompiledGate, type CompiledPolicyInput } from './decide.js';
import type { DecisionGate } from '../decision-gate.js';

export * from './decide.js';

const runtime = defineRuntime<DecisionGate, CompiledPolicyInput>(
  {
    runtime: 'portable (decide-only)',
    loadDefault: async (where) => {
      if (where === undefined) {
        throw new EngineError('no core.wasm source: the portable build needs init(module | bytes | Response | url); import "gait-wasm/core.wasm" with your bundler');
      }
      return fetchCoreModule(where);
    },
    noSyncHint: 'the portable build has no core.wasm of its own',
  },
  openCompiledGate,
);

/** Initialises the default engine from a module, bytes, a Response or a URL (required here). */
export const init = runtime.init;
/** Same, synchronously, from a module or bytes (required here). */
export const initSync = runtime.initSync;
/** The default engine; throws until `init()`/`initSync()` has run. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(compiled)` with the default engine, or `createGate(engine, compiled)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is. */
export const RUNTIME_ENTRY: string = 'portable-compiled';
