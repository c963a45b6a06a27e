/**
 * Instantiating the engine from whatever the runtime can give (a compiled module, bytes, a
 * Response): shared by every entry, the decide-only ones included (no policy code here).
 */
import { Engine, EngineError } from './engine.js';

/** Anything a runtime can hand us as the core: a compiled module, its bytes, or a fetch Response. */
export type CoreSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response>;

function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.Instance !== 'function') {
    throw new EngineError('this runtime has no WebAssembly support; gait-wasm cannot run here');
  }
}

function isResponse(x: unknown): x is Response {
  return typeof Response === 'function' && x instanceof Response;
}

/** Instantiates the engine asynchronously (browsers, Deno, workerd: any runtime). */
export async function instantiate(source: CoreSource): Promise<Engine> {
  assertWebAssembly();
  let module: WebAssembly.Module;
  try {
    if (source instanceof WebAssembly.Module) module = source;
    else if (isResponse(source) || (typeof source === 'object' && source !== null && 'then' in source)) {
      const response = await (source as PromiseLike<Response>);
      if (!response.ok) throw new EngineError(`core.wasm could not be fetched: HTTP ${response.status}`);
      module = await WebAssembly.compile(await response.arrayBuffer());
    } else {
      module = await WebAssembly.compile(source as BufferSource);
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
  try {
    const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source as BufferSource);
    return Engine.fromModule(module);
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}
