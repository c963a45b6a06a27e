// The decision service on Deno: gait-wasm's `createDecisionService` fetch handler, served as is.
//   npm run build && GAIT_SIGNING_KEY=… GAIT_SERVE_TOKEN=… \
//     deno run --allow-net=127.0.0.1 --allow-read --allow-env examples/decision-service/deno/main.ts
// The policy is read once at start (on Deno Deploy, ship it with the code); traces go to the log
// as JSON lines (the trace port); PORT picks the port (default 8787).
import { init, createDecisionService, createGate } from 'gait-wasm';

await init(); // compile + instantiate core.wasm before the first request
const policy = await Deno.readTextFile(new URL('../policy.yaml', import.meta.url));

const handler = createDecisionService({
  policy: createGate(policy),
  authToken: Deno.env.get('GAIT_SERVE_TOKEN') || undefined,
  signingKey: Deno.env.get('GAIT_SIGNING_KEY') || undefined,
  traceSink: (trace) => console.log(JSON.stringify({ trace })),
});

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8787) }, (request) => handler(request));
