// The decision service on Bun: gait-wasm's `createDecisionService` fetch handler, served as is.
//   npm run build && GAIT_SIGNING_KEY=… GAIT_SERVE_TOKEN=… bun examples/decision-service/bun/main.js
// The policy is read once at start; traces go to the log as JSON lines (the trace port); PORT
// picks the port (default 8787).
import { createDecisionService, createGate } from 'gait-wasm';

const policy = await Bun.file(new URL('../policy.yaml', import.meta.url)).text();

const handler = createDecisionService({
  policy: createGate(policy),
  authToken: Bun.env.GAIT_SERVE_TOKEN || undefined,
  signingKey: Bun.env.GAIT_SIGNING_KEY || undefined,
  traceSink: (trace) => console.log(JSON.stringify({ trace })),
});

Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.env.PORT ?? 8787), fetch: handler });
