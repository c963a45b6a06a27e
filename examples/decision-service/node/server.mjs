// The decision service on Node: gait-wasm's `createDecisionService` fetch handler on node:http.
//   npm run build && GAIT_SIGNING_KEY="$(cat key)" GAIT_SERVE_TOKEN=… node examples/decision-service/node/server.mjs
// Options: --policy <file> (default ../policy.yaml), --port <n> (or PORT, default 8787); traces
// go to GAIT_TRACE_DIR, one file each, when it is set, and are not kept otherwise.
// Listens on 127.0.0.1 only.
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDecisionService, createGate, serveFetchHandler } from 'gait-wasm';

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

// node:http through the package's adapter (the one `gait mcp serve` uses): the request body
// streams, so the handler's size limit holds without buffering an oversized request.
const server = await serveFetchHandler(handler, { host: '127.0.0.1', port });
console.log(`decision service (node) on http://127.0.0.1:${server.address.port}`);
