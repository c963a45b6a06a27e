/**
 * Finding the package's core.wasm from a browser, a worker or an edge function: shared by the
 * main browser entry and the decide-only one. Nothing runs at import time that can fail (only
 * `document.currentScript` is read, guarded): the URL is worked out inside `init()`, so IIFE and
 * CommonJS bundles (no `import.meta.url`) and edge functions import it safely. Tried in order:
 * `new URL('../core.wasm', import.meta.url)` (the package's own layout; Vite and webpack rewrite it
 * to their emitted asset), then core.wasm beside the script that holds this code (esbuild and
 * `bun build`: copy core.wasm next to your bundle).
 */
import { EngineError } from '../core/engine.js';
import { fetchCoreModule } from './runtime.js';

type Globals = { document?: { currentScript?: { src?: unknown } | null }; location?: { href?: unknown } };

/** The classic <script> running this code, read while it runs (IIFE bundles have no import.meta.url). */
const scriptSrc: string | undefined = (() => {
  try {
    const src = (globalThis as Globals).document?.currentScript?.src;
    return typeof src === 'string' && src !== '' ? src : undefined;
  } catch {
    return undefined;
  }
})();

function importMetaUrl(): string | undefined {
  try {
    const url: unknown = import.meta.url; // undefined in IIFE/CommonJS bundles
    return typeof url === 'string' && url !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

function pageUrl(): string | undefined {
  try {
    const href = (globalThis as Globals).location?.href;
    return typeof href === 'string' && href !== '' ? href : undefined;
  } catch {
    return undefined;
  }
}

/** Where the package's core.wasm may be, best first (see the module comment). */
function defaultUrls(): URL[] {
  const urls: URL[] = [];
  try {
    // Keep this exact expression: Vite and webpack recognise it and emit core.wasm as an asset.
    urls.push(new URL('../core.wasm', import.meta.url));
  } catch {
    // import.meta.url is gone (IIFE/CommonJS bundle): the script's URL below may still be known.
  }
  for (const base of [importMetaUrl(), scriptSrc]) {
    if (!base || base.startsWith('file:')) continue; // a page cannot fetch file: URLs
    try {
      const url = new URL('./core.wasm', base);
      if (!urls.some((u) => u.href === url.href)) urls.push(url);
    } catch {
      // not a URL a script could have come from: nothing to try there
    }
  }
  return urls;
}

const HOW_TO =
  "copy node_modules/gait-wasm/dist/core.wasm to your site's assets and pass its URL, e.g. " +
  "`await init(new URL('/assets/core.wasm', location.href))`, or pass the module or bytes yourself: " +
  '`initSync(bytes)` / `await init(module)` (edge runtimes that cannot compile from bytes: ' +
  "`import core from 'gait-wasm/core.wasm?module'`, then `initSync(core)`)";

export async function loadBrowserCore(where?: URL | string): Promise<WebAssembly.Module> {
  if (where !== undefined) {
    const base = pageUrl() ?? scriptSrc ?? importMetaUrl();
    let url: URL;
    try {
      url = new URL(String(where), base);
    } catch {
      throw new EngineError(`core.wasm: cannot resolve the relative URL ${JSON.stringify(String(where))} here (no page or script URL): pass an absolute URL`);
    }
    return fetchCoreModule(url);
  }
  const urls = defaultUrls();
  if (urls.length === 0) throw new EngineError(`core.wasm not found: this script's own URL is unknown here (bundled as IIFE or CommonJS?); ${HOW_TO}`);
  const failures: string[] = [];
  for (const url of urls) {
    try {
      return await fetchCoreModule(url);
    } catch (err) {
      failures.push(`  ${(err as Error).message}`);
    }
  }
  if (failures.length === 1) throw new EngineError(`${failures[0]!.trim()}; ${HOW_TO}`);
  throw new EngineError(`core.wasm not found; gait-wasm tried:\n${failures.join('\n')}\n${HOW_TO}`);
}

/** Turns the "no compiling from bytes" refusal of edge runtimes into what to do instead. */
export function explainBrowserCore(err: unknown): unknown {
  const message = (err as Error)?.message ?? '';
  if (/code generation disallowed|disallowed by embedder|WebAssembly\.compile.*not allowed/i.test(message)) {
    return new EngineError(`${message}: this runtime cannot compile WebAssembly from bytes; import core.wasm as a module and pass it: \`import core from 'gait-wasm/core.wasm?module'\` (Vercel / Next.js edge), then \`initSync(core)\``);
  }
  return err;
}

