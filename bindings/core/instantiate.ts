/**
 * Instantiating the engine from whatever the runtime can give (a compiled module, bytes, a
 * Response): shared by every entry, the decide-only ones included (no policy code here).
 */
import { Engine, EngineError } from './engine.js';
import { isWasmModule, isBytes, isResponseLike, isThenable, asBufferSource, describeSource, INSTANTIATE_TAKES, INSTANTIATE_SYNC_TAKES } from './wasm-sources.js';

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
