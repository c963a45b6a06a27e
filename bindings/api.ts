/**
 * The portable library API, shared by every runtime entry point: instantiate the engine from
 * whatever the runtime can give (a compiled module, bytes, a Response), load a policy once, and
 * decide on intents synchronously. Runtime loaders (bindings/load/*) only supply the module.
 */
import { Engine, EngineError } from './core/engine.js';
import { Gate } from './gate.js';
import { parsePolicyYaml } from './policy/parse.js';
import type { Policy } from './policy/model.js';
import { notAnEngine, asGaitError, policyInput } from './arguments.js';
import { isWasmModule, isBytes, isResponseLike, isThenable, asBufferSource, describeSource, INSTANTIATE_TAKES, INSTANTIATE_SYNC_TAKES } from './core/wasm-sources.js';

/** Anything a runtime can hand us as the core: a compiled module, its bytes, or a fetch Response. */
export type CoreSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response>;

function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Instance !== 'function') {
    throw new EngineError('this runtime has no WebAssembly support; gait-wasm cannot run here');
  }
}

/** Instantiates the engine asynchronously (browsers, Deno, workerd: any runtime). */
export async function instantiate(source: CoreSource): Promise<Engine> {
  assertWebAssembly();
  let module: WebAssembly.Module;
  try {
    if (isWasmModule(source)) module = source;
    else if (isBytes(source)) module = await WebAssembly.compile(asBufferSource(source));
    else if (isResponseLike(source) || isThenable(source)) {
      const response = await (source as PromiseLike<unknown>);
      if (!isResponseLike(response)) throw new EngineError(`${INSTANTIATE_TAKES}; got a promise of ${describeSource(response)}`);
      if (!response.ok) throw new EngineError(`core.wasm could not be fetched: HTTP ${response.status}`);
      module = await WebAssembly.compile(await response.arrayBuffer());
    } else {
      throw new EngineError(`${INSTANTIATE_TAKES}; got ${describeSource(source)}`);
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
  return instantiateSync(module);
}

/** Instantiates synchronously from a compiled module (or bytes, where the runtime allows it). */
export function instantiateSync(source: WebAssembly.Module | ArrayBuffer | ArrayBufferView): Engine {
  assertWebAssembly();
  if (!isWasmModule(source) && !isBytes(source)) throw new EngineError(`${INSTANTIATE_SYNC_TAKES}; got ${describeSource(source)}`);
  try {
    const module = isWasmModule(source) ? source : new WebAssembly.Module(asBufferSource(source));
    return Engine.fromModule(module);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

/**
 * Loads a policy into a gate: YAML text (strictly parsed like Gait), its UTF-8 bytes, a plain
 * object with the same keys, or a Policy from parsePolicyYaml (objects are validated the same
 * way: JSON is YAML, so one strict parser reads every form). Anything else is a GaitError.
 * The gate holds engine memory until `gate.dispose()`: see `Gate`.
 */
export function createGate(engine: Engine, policy: string | Uint8Array | Record<string, unknown> | Policy): Gate {
  if (!(engine instanceof Engine)) throw notAnEngine('createGate', engine);
  let input: string | Policy;
  try {
    input = policyInput('createGate', policy);
  } catch (err) {
    throw asGaitError('createGate', err);
  }
  return new Gate(engine, typeof input === 'string' ? parsePolicyYaml(input) : input);
}
