/**
 * Deno entry: the portable API plus a default engine from core.wasm next to the package's
 * JavaScript, found with `new URL('../core.wasm', import.meta.url)`. `await init()` fetches it
 * (a file: URL needs `--allow-read`; an https: URL needs `--allow-net`); where the URL is a local
 * file, `createGate(policy)` also works without `init()` (synchronous `Deno.readFileSync`).
 */
import { EngineError } from '../core/engine.js';
import { openGate, type GatePolicy } from '../api.js';
import type { Gate } from '../gate.js';
import { defineRuntime, fetchCoreModule } from './runtime.js';

export * from '../index.js';
// The Redis / Valkey limit store needs TCP sockets: Node, Bun and Deno entries only.
export { redisLimitStore, type RedisEval, type RedisLimitStore, type RedisLimitStoreOptions } from '../stores/redis.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';

interface DenoLike {
  readFileSync(path: URL): Uint8Array;
}

/** Where the package's core.wasm is (dist/core.wasm, seen from dist/load/ or dist/bundle/): worked out on use, never at import. */
function coreWasmUrl(): URL {
  try {
    return new URL('../core.wasm', import.meta.url);
  } catch {
    throw new EngineError("core.wasm not found: this script's own URL is unknown here (bundled without import.meta.url?); pass it: `await init(new URL('./core.wasm', import.meta.url))` or `initSync(Deno.readFileSync('core.wasm'))`");
  }
}

function deno(): DenoLike | undefined {
  return (globalThis as { Deno?: DenoLike }).Deno;
}

function loadDefault(where?: URL | string): Promise<WebAssembly.Module> {
  // Deno's own permission errors already name the flag to add (--allow-read, --allow-net).
  return fetchCoreModule(where === undefined ? coreWasmUrl() : new URL(String(where), import.meta.url));
}

function loadDefaultSync(): WebAssembly.Module {
  const d = deno();
  const url = coreWasmUrl();
  if (!d || url.protocol !== 'file:') {
    throw new EngineError(`core.wasm is not a local file here (${url.href}): call \`await init()\` first`);
  }
  let bytes: Uint8Array;
  try {
    bytes = d.readFileSync(url);
  } catch (err) {
    throw new EngineError(`core.wasm could not be read from ${url.href}: ${(err as Error).message}`);
  }
  try {
    return new WebAssembly.Module(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

const runtime = defineRuntime<Gate, GatePolicy>({ runtime: 'deno', loadDefault, loadDefaultSync }, openGate);

/**
 * Initialises the default engine: fetches the package's core.wasm, or uses the given module, bytes, Response or URL.
 * Optional where the package is a local file (npm:, node_modules, a local path: read synchronously on first use);
 * required when it is served over https: (`await init()` before `createGate(policy)`).
 */
export const init = runtime.init;
/** Same, synchronously: reads the package's core.wasm when it is a local file, or uses a given module or bytes. */
export const initSync = runtime.initSync;
/** The default engine, initialised on first use where core.wasm is a local file. */
export const defaultEngine = runtime.defaultEngine;
/** `createGate(policy)` with the default engine, or `createGate(engine, policy)`. */
export const createGate = runtime.createGate;
/** Which build of gait-wasm this is (the package.json export condition that selected it). */
export const RUNTIME_ENTRY: string = 'deno';
