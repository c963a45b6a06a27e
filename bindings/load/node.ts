/**
 * Node (and Bun) entry: the portable API plus a default engine read from core.wasm next to the
 * package's JavaScript with `fs`. Node compiles small modules synchronously, so `createGate(policy)`
 * works without `init()`; `await init()` compiles off the main path first if you prefer.
 */
import { Engine } from '../core/engine.js';
import { openGate, type GatePolicy } from '../api.js';
import type { Gate } from '../gate.js';
import { defineRuntime } from './runtime.js';
import { loadCoreModule, loadCoreModuleSync } from './core-wasm-node.js';

export * from '../index.js';
// The Redis / Valkey limit store needs TCP sockets: Node, Bun and Deno entries only.
export { redisLimitStore, type RedisEval, type RedisLimitStore, type RedisLimitStoreOptions } from '../stores/redis.js';
// The decision service on node:http (also Bun); other runtimes hand createDecisionService to their own server.
export { serveFetchHandler, type NodeFetchServer, type NodeServeOptions } from '../mcp/serve-node.js';
export type { PolicyInput, InitSource, InitSyncSource } from './runtime.js';
export { loadCoreModule, loadCoreModuleSync } from './core-wasm-node.js';

export function createEngineSync(): Engine {
  return Engine.fromModule(loadCoreModuleSync());
}

export async function createEngine(): Promise<Engine> {
  return Engine.fromModule(await loadCoreModule());
}

const runtime = defineRuntime<Gate, GatePolicy>({ runtime: 'node', loadDefault: loadCoreModule, loadDefaultSync: loadCoreModuleSync }, openGate);

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
