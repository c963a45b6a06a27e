// The workbench state in the URL hash: JSON, deflated (CompressionStream) and base64url-encoded.

const PREFIX = '#s=';

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** `#s=<deflated state>` for a JSON-serialisable state. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate')));
}

/** The state in `hash`, or undefined when it holds none (or a broken one). */
export async function decodeState(hash) {
  if (!hash.startsWith(PREFIX)) return undefined;
  try {
    const json = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('deflate'));
    const state = JSON.parse(new TextDecoder().decode(json));
    return state && typeof state === 'object' ? state : undefined;
  } catch {
    return undefined;
  }
}
