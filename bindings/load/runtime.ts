/**
 * What every runtime entry adds to the portable API: a lazily-initialised default engine, and
 * `createGate(policy)` that uses it. A runtime entry only says how it finds core.wasm
 * (`loadDefault`, and `loadDefaultSync` where the runtime can do it synchronously).
 */
import { Engine, EngineError } from '../core/engine.js';
import { instantiate, instantiateSync, type CoreSource } from '../core/instantiate.js';
import type { Gate } from '../gate.js';
import type { Policy } from '../policy/model.js';
import type { LoadedCompiledPolicy } from '../compiled/load.js';
import { notAnEngine } from '../arguments.js';
import { isWasmModule, isBytes, isResponseLike, isThenable, isUrlLike, describeSource, INIT_TAKES, INIT_SYNC_TAKES } from '../core/wasm-sources.js';

/** A policy as `createGate` takes it: YAML text, a plain object with the same keys, a Policy, or a compiled policy. */
export type PolicyInput = string | Uint8Array | Record<string, unknown> | Policy | LoadedCompiledPolicy;

/**
 * How an entry turns createGate's policy argument into a gate: it checks the argument first, then
 * asks `engine()` (the default engine, or the one given). The main entries pass api.ts's openGate
 * (YAML and compiled); the decide-only entries pass one that reads compiled policies only, so the
 * YAML parser is not in their import graph.
 */
export type GateOpener<G> = (policy: unknown, engine: () => Engine) => G;

/** Where `init()` may get the core from: a module, bytes, a Response, or a URL to fetch. */
export type InitSource = CoreSource | URL | string;

/** Where `initSync()` may get the core from: a compiled module or its bytes. */
export type InitSyncSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView;

export interface RuntimeLoader {
  /** Name used in error messages (`node`, `deno`, `browser`, `workerd`, `portable`). */
  runtime: string;
  /** Loads the runtime's own core.wasm (or the given URL/path) as a module. */
  loadDefault?: (where?: URL | string) => Promise<WebAssembly.Module>;
  /** Same, synchronously; absent (or throwing) where the runtime cannot. */
  loadDefaultSync?: () => WebAssembly.Module;
  /** Why there is no synchronous default in this runtime (for the error message). */
  noSyncHint?: string;
  /** Turns a failure to compile from bytes into a runtime-specific message (workerd). */
  explain?: (err: unknown) => unknown;
}

export interface RuntimeApi<G = Gate, P = PolicyInput> {
  init(source?: InitSource): Promise<Engine>;
  initSync(source?: InitSyncSource): Engine;
  defaultEngine(): Engine;
  createGate(policy: P): G;
  createGate(engine: Engine, policy: P): G;
}

/** Throws the typed error for a runtime without WebAssembly (before anything else is tried). */
export function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null || typeof WebAssembly.Module !== 'function' || typeof WebAssembly.Instance !== 'function') {
    throw new EngineError('this runtime has no WebAssembly support; gait-wasm cannot run here');
  }
}

/** Fetches and compiles core.wasm (streaming when the server says `application/wasm`). */
export async function fetchCoreModule(url: URL | string): Promise<WebAssembly.Module> {
  const href = String(url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new EngineError(`core.wasm could not be fetched from ${href}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new EngineError(`core.wasm could not be fetched from ${href}: HTTP ${response.status}`);
  try {
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') return await WebAssembly.compileStreaming(response);
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (err) {
    throw new EngineError(`core.wasm failed to load from ${href}: ${(err as Error).message}`);
  }
}

export function defineRuntime<G, P>(loader: RuntimeLoader, openGate: GateOpener<G>): RuntimeApi<G, P> {
  let engine: Engine | undefined;
  let pending: Promise<Engine> | undefined;

  const wrap = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw loader.explain ? loader.explain(err) : err;
    }
  };

  async function load(source?: InitSource): Promise<Engine> {
    try {
      assertWebAssembly();
      if (source === undefined || isUrlLike(source)) {
        if (!loader.loadDefault) {
          throw new EngineError(`no core.wasm source: in the ${loader.runtime} build pass init() a WebAssembly.Module, the bytes of core.wasm or a Response`);
        }
        return instantiateSync(await loader.loadDefault(source));
      }
      if (!isWasmModule(source) && !isBytes(source) && !isResponseLike(source) && !isThenable(source)) {
        throw new EngineError(`${INIT_TAKES}; got ${describeSource(source)}`);
      }
      return await instantiate(source);
    } catch (err) {
      throw loader.explain ? loader.explain(err) : err;
    }
  }

  function init(source?: InitSource): Promise<Engine> {
    if (source === undefined && engine) return Promise.resolve(engine);
    if (source === undefined && pending) return pending;
    const p = load(source).then(
      (e) => {
        engine = e;
        if (pending === p) pending = undefined;
        return e;
      },
      (err) => {
        if (pending === p) pending = undefined;
        throw err;
      },
    );
    if (source === undefined) pending = p;
    return p;
  }

  function initSync(source?: InitSyncSource): Engine {
    if (source === undefined) {
      if (engine) return engine;
      if (!loader.loadDefaultSync) {
        throw new EngineError(`initSync() in the ${loader.runtime} build needs a WebAssembly.Module or the bytes of core.wasm${loader.noSyncHint ? `; ${loader.noSyncHint}` : ''}`);
      }
      assertWebAssembly();
      const module = wrap(loader.loadDefaultSync);
      engine = wrap(() => instantiateSync(module));
      return engine;
    }
    if (!isWasmModule(source) && !isBytes(source)) throw new EngineError(`${INIT_SYNC_TAKES}; got ${describeSource(source)}`);
    engine = wrap(() => instantiateSync(source));
    return engine;
  }

  function defaultEngine(): Engine {
    if (engine) return engine;
    if (!loader.loadDefaultSync) {
      throw new EngineError(`the gait-wasm engine is not initialised: call \`await init()\` first (${loader.runtime} build)`);
    }
    return initSync();
  }

  function createGate(a: unknown, b?: unknown): G {
    if (a instanceof Engine) return openGate(b, () => a); // a missing policy is `got undefined` (invalid_input)
    if (b !== undefined) throw notAnEngine('createGate', a); // createGate(engine, policy) with a non-engine
    // The opener checks the policy before the engine is looked for: a wrong argument is the caller's error.
    return openGate(a, defaultEngine);
  }

  return { init, initSync, defaultEngine, createGate: createGate as RuntimeApi<G, P>['createGate'] };
}
