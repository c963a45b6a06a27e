// The decision service on Node: gait-wasm's `createDecisionService` fetch handler behind node:http.
//   npm run build && GAIT_SIGNING_KEY="$(cat key)" GAIT_SERVE_TOKEN=… node examples/decision-service/node/server.mjs
// Options: --policy <file> (default ../policy.yaml), --port <n> (or PORT, default 8787); traces
// go to GAIT_TRACE_DIR, one file each, when it is set, and are not kept otherwise.
// Listens on 127.0.0.1 only.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createDecisionService, createGate } from 'gait-wasm';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const policy = readFileSync(arg('--policy') ?? new URL('../policy.yaml', import.meta.url), 'utf8');
const port = Number(arg('--port') ?? process.env.PORT ?? 8787);
const traceDir = process.env.GAIT_TRACE_DIR;
if (traceDir) mkdirSync(traceDir, { recursive: true, mode: 0o750 });
let traces = 0;

const handler = createDecisionService({
  policy: createGate(policy),
  authToken: process.env.GAIT_SERVE_TOKEN || undefined,
  signingKey: process.env.GAIT_SIGNING_KEY || undefined,
  traceSink: traceDir
    ? async (trace) => {
        const file = join(traceDir, `trace_${trace.trace_id}_${process.pid}_${++traces}.json`);
        await writeFile(file, JSON.stringify(trace, null, 2) + '\n', { mode: 0o600 });
        return file;
      }
    : undefined,
});

// node:http → Request, Response → node:http. The body streams, so the handler's size limit holds
// without buffering an oversized request.
const server = createServer(async (req, res) => {
  try {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
      method: req.method,
      headers: req.headers,
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: 'half',
    });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch {
    // The handler answers every request itself; this is a broken connection or a bug: fail closed.
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{"error":"internal error","ok":false}\n');
  }
});
server.listen(port, '127.0.0.1', () => console.log(`decision service (node) on http://127.0.0.1:${port}`));
