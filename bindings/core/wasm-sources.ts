/**
 * Recognises the forms a caller may hand over as the core without `instanceof`, which fails for
 * objects from another realm (a vm context, an iframe, an edge host's wasm bindings, another
 * fetch implementation). Brand checks that work across realms are used where the platform has them.
 */

const tag = (x: unknown): string => Object.prototype.toString.call(x);

/** A WebAssembly.Module from any realm (`WebAssembly.Module.exports` brand-checks it). */
export function isWasmModule(x: unknown): x is WebAssembly.Module {
  if (typeof x !== 'object' || x === null) return false;
  if (x instanceof WebAssembly.Module) return true;
  if (tag(x) !== '[object WebAssembly.Module]') return false;
  try {
    WebAssembly.Module.exports(x as WebAssembly.Module);
    return true;
  } catch {
    return false;
  }
}

/** An ArrayBuffer (or SharedArrayBuffer) or any view of one, from any realm. */
export function isBytes(x: unknown): x is ArrayBuffer | ArrayBufferView {
  if (typeof x !== 'object' || x === null) return false;
  return ArrayBuffer.isView(x) || x instanceof ArrayBuffer || tag(x) === '[object ArrayBuffer]' || tag(x) === '[object SharedArrayBuffer]';
}

/** Bytes as WebAssembly's constructors take them everywhere (V8 refuses a DataView). */
export function asBufferSource(bytes: ArrayBuffer | ArrayBufferView): BufferSource {
  return (ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes) as BufferSource;
}

/** A fetch Response, from this realm or another fetch implementation (it has what we read). */
export function isResponseLike(x: unknown): x is Response {
  if (typeof x !== 'object' || x === null) return false;
  if (typeof Response === 'function' && x instanceof Response) return true;
  const r = x as { ok?: unknown; status?: unknown; arrayBuffer?: unknown };
  return typeof r.ok === 'boolean' && typeof r.status === 'number' && typeof r.arrayBuffer === 'function';
}

/** A promise of a Response (`init(fetch(url))`). */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** A URL object from any realm, or a string. */
export function isUrlLike(x: unknown): x is URL | string {
  if (typeof x === 'string') return true;
  if (typeof x !== 'object' || x === null) return false;
  return (typeof URL === 'function' && x instanceof URL) || (tag(x) === '[object URL]' && typeof (x as URL).href === 'string');
}

/** A short description of a wrong argument for error messages (never its contents). */
export function describeSource(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return `an object (${tag(x).slice(8, -1)})`.replace(' (Object)', '');
  return typeof x === 'string' ? 'a string' : `${typeof x} ${String(x)}`.slice(0, 40);
}

export const INIT_TAKES = 'init() takes a WebAssembly.Module, the bytes of core.wasm (an ArrayBuffer or a view), a Response or a URL';
export const INIT_SYNC_TAKES = 'initSync() takes a WebAssembly.Module or the bytes of core.wasm (an ArrayBuffer or a view)';
export const INSTANTIATE_TAKES = 'instantiate() takes a WebAssembly.Module, the bytes of core.wasm (an ArrayBuffer or a view) or a Response';
export const INSTANTIATE_SYNC_TAKES = 'instantiateSync() takes a WebAssembly.Module or the bytes of core.wasm (an ArrayBuffer or a view)';
