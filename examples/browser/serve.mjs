// Serves the browser example on 127.0.0.1 (from the repository root, so the page can import
// dist/bundle/browser.js and stream dist/core.wasm as application/wasm).
//   npm run build && node examples/browser/serve.mjs [port]     then open the printed URL
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVED = ['dist/', 'examples/browser/'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.yaml': 'text/yaml; charset=utf-8', '.wasm': 'application/wasm' };

export function startServer(port = 8080) {
  const server = createServer(async (req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^[/\\]+/, '');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || rel.split(sep).includes('..') || !SERVED.some((p) => rel.startsWith(p))) return void res.writeHead(404).end('not found\n');
    const file = rel.endsWith('/') ? rel + 'index.html' : rel;
    try {
      const body = await readFile(join(ROOT, file));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end('not found\n');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${server.address().port}/examples/browser/`;
    resolve({ url, close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }) });
  }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startServer(Number(process.argv[2] ?? 8080));
  console.log(`gait-wasm browser example: ${url}  (Ctrl-C to stop)`);
}
