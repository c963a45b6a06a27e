/**
 * Decide-only Node (and Bun) entry, `gait-wasm/compiled`: compiled policies and decisions, no YAML
 * parser. core.wasm is read beside the package's JavaScript on first use (not at import).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../core/engine.js';
import { defineRuntime, fetchCoreModule } from '../load/runtime.js';
import { openCompiledGate, type CompiledPolicyInput } from './decide.js';
import type { DecisionGate } from '../decision-gate.js';

export * from './decide.js';

/** dist/core.wasm from dist/compiled/ or dist/bundle/; the same file from the sources in tests. */
function wasmPath(): string {
  const built = fileURLToPath(new URL('../core.wasm', import.meta.url));
  if (existsSync(built)) return built;
  const fromSources = fileURLToPath(new URL('../../dist/core.wasm', import.meta.url));
  return existsSync(fromSources) ? fromSources : built;
}

function compile(bytes: Uint8Array, path: string): WebAssembly.Module {
  try {
    return new WebAssembly.Module(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load from ${path}: ${(err as Error).message}`);
  }
}

function read(path: string, f: () => Uint8Array): Uint8Array {
  try {
    return f();
  } catch (err) {
    throw new EngineError(`core.wasm could not be read from ${path}: ${(err as Error).message}`);
  }
}

const runtime = defineRuntime<DecisionGate, CompiledPolicyInput>(
  {
    runtime: 'node (decide-only)',
    loadDefault: async (where) => {
      if (where !== undefined && /^https?:/i.test(String(where))) return fetchCoreModule(where);
      const path = where === undefined ? wasmPath() : String(where).startsWith('file:') ? fileURLToPath(where) : String(where);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (err) {
        throw new EngineError(`core.wasm could not be read from ${path}: ${(err as Error).message}`);
      }
      return compile(bytes, path);
    },
    loadDefaultSync: () => {
      const path = wasmPath();
      return compile(read(path, () => readFileSync(path)), path);
    },
  },
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
