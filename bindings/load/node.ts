/**
 * Node (and Bun) entry: the portable API plus a default engine read from core.wasm next to the
 * package's JavaScript with `fs`. Node compiles small modules synchronously, so `createGate(policy)`
 * works without `init()`; `await init()` compiles off the main path first if you prefer.
 */
import { readFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Engine, EngineError } from '../core/engine.js';
import { defineRuntime, assertWebAssembly, fetchCoreModule } from './runtime.js';

export * from '../index.js';
// The Redis / Valkey limit store needs TCP sockets: Node, Bun and Deno entries only.
export { redisLimitStore, type RedisEval, type RedisLimitStore, type RedisLimitStoreOptions } from '../stores/redis.js';
// The decision service on node:http (also Bun); other runtimes hand createDecisionService to their own server.
export { serveFetchHandler, type NodeFetchServer, type NodeServeOptions } from '../mcp/serve-node.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';

/** dist/core.wasm in the built package (from dist/load/ or dist/bundle/); the same file from the sources in tests. */
function wasmPath(): string {
  for (const rel of ['../core.wasm', '../../dist/core.wasm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new EngineError('core.wasm not found next to gait-wasm: run `npm run build`');
}

function readError(path: string, err: unknown): EngineError {
  return new EngineError(`core.wasm could not be read from ${path}: ${(err as Error).message}`);
}

function compileSync(bytes: Uint8Array): WebAssembly.Module {
  try {
    return new WebAssembly.Module(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

async function compile(bytes: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

let cached: WebAssembly.Module | undefined;

export function loadCoreModuleSync(): WebAssembly.Module {
  if (cached) return cached;
  assertWebAssembly();
  const path = wasmPath();
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  return (cached = compileSync(bytes));
}

/** Compiles the package's core.wasm, or the one at `where` (a path, a file: URL or an http(s) URL). */
export async function loadCoreModule(where?: URL | string): Promise<WebAssembly.Module> {
  assertWebAssembly();
  if (where === undefined && cached) return cached;
  // A string is a file path unless it has a URL scheme (two or more letters: not `C:\`).
  const url = typeof where === 'string' ? (/^[a-z][a-z0-9+.-]+:/i.test(where) ? new URL(where) : undefined) : where;
  if (url && url.protocol !== 'file:') return fetchCoreModule(url);
  const path = where === undefined ? wasmPath() : url ? fileURLToPath(url) : (where as string);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError(path, err);
  }
  const module = await compile(bytes);
  if (where === undefined) cached = module;
  return module;
}

export function createEngineSync(): Engine {
  return Engine.fromModule(loadCoreModuleSync());
}

export async function createEngine(): Promise<Engine> {
  return Engine.fromModule(await loadCoreModule());
}

const runtime = defineRuntime({ runtime: 'node', loadDefault: loadCoreModule, loadDefaultSync: loadCoreModuleSync });

/**
 * Initialises the default engine: from the package's core.wasm, or the given module, bytes, Response, path or URL.
 * Optional in Node and Bun: `createGate(policy)` compiles core.wasm synchronously on first use; `await init()` only moves that off the first call.
 */
export const init = runtime.init;
/** Same, synchronously (the package's core.wasm, or a given module or bytes). */
export const initSync = runtime.initSync;
/** The default engine, initialised on first use. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(policy)` with the default engine, or `createGate(engine, policy)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is (the package.json export condition that selected it). */
export const RUNTIME_ENTRY: string = 'node';
