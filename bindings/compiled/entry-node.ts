/**
 * Decide-only Node (and Bun) entry, `gait-wasm/compiled`: compiled policies and decisions, no YAML
 * parser. core.wasm is read beside the package's JavaScript on first use (not at import).
 */
import { defineRuntime } from '../load/runtime.js';
import { loadCoreModule, loadCoreModuleSync } from '../load/core-wasm-node.js';
import { openCompiledGate, type CompiledPolicyInput } from './decide.js';
import type { DecisionGate } from '../decision-gate.js';

export * from './decide.js';

// The main node entry's loader: beside the script, beside a bundle, or the installed package.
const runtime = defineRuntime<DecisionGate, CompiledPolicyInput>(
  { runtime: 'node (decide-only)', loadDefault: loadCoreModule, loadDefaultSync: loadCoreModuleSync },
  openCompiledGate,
);

/** Initialises the default engine: the package's core.wasm, or the given module, bytes, Response, path or URL. */
export const init = runtime.init;
/** Same, synchronously. */
export const initSync = runtime.initSync;
/** The default engine, initialised on first use. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(compiled)` with the default engine, or `createGate(engine, compiled)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is. */
export const RUNTIME_ENTRY: string = 'node-compiled';
