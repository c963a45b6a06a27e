/**
 * The workbench site (dist/ui/) as a fetch handler: GET/HEAD of its few files only, each with its
 * content type (`application/wasm` for streaming compilation) and a content security policy that
 * lets the page fetch nothing but its own origin. Optionally preloads a policy and an intent into
 * the page (as inert JSON in index.html, so the page needs no request for them). Portable: the
 * caller supplies the bytes (site-node.ts reads them from disk).
 */

/** The site's files and their content types. */
export const UI_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'engine.js': 'text/javascript; charset=utf-8',
  'examples.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'core.wasm': 'application/wasm',
};

export const UI_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface UiPreload {
  policy?: string;
  intent?: string;
}

export interface UiHandlerOptions {
  /** The bytes of one of UI_FILES (undefined when missing). */
  readFile(name: string): Promise<Uint8Array | undefined>;
  /** What to preload, read when the page is requested (so a reload shows the file as it is now). */
  preload?: () => Promise<UiPreload | undefined>;
}

/** The JSON of `value` safe inside a <script> element (no `</script>`, no `<!--`). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** index.html with `<script type="application/json" id="preload">` before `</head>`. */
export function withPreload(html: string, preload: UiPreload): string {
  const tag = `<script type="application/json" id="preload">${scriptJson(preload)}</script>\n`;
  const at = html.indexOf('</head>');
  return at < 0 ? tag + html : html.slice(0, at) + tag + html.slice(at);
}

const plain = (status: number, text: string) =>
  new Response(text + '\n', { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });

/** A fetch handler serving the workbench at `/`. */
export function createUiHandler(options: UiHandlerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const path = new URL(request.url).pathname;
    const name = path === '/' ? 'index.html' : path.slice(1);
    const type = Object.hasOwn(UI_FILES, name) ? UI_FILES[name] : undefined;
    if (!type) return plain(404, 'not found');
    let body: Uint8Array | string | undefined = await options.readFile(name);
    if (!body) return plain(404, 'not found');
    if (name === 'index.html' && options.preload) {
      const preload = await options.preload();
      if (preload) body = withPreload(new TextDecoder().decode(body), preload);
    }
    const headers = {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': UI_CONTENT_SECURITY_POLICY,
      'referrer-policy': 'no-referrer',
    };
    return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
  };
}
