// The decision service as a Cloudflare Worker: gait-wasm's `createDecisionService` fetch handler
// as the module worker's `fetch`. Run it locally, no account (from the repository root, after
// `npm run build`):
//   GAIT_SIGNING_KEY=… GAIT_SERVE_TOKEN=… npx workerd serve examples/decision-service/workerd/config.capnp
// No file system: the policy is bundled as a text module, traces go to the log as JSON lines (the
// trace port), the signing key and the bearer token are secrets (`wrangler secret put
// GAIT_SIGNING_KEY`, `GAIT_SERVE_TOKEN`; locally, the config reads them from the environment).
import { createDecisionService, createGate } from './gait/bundle/workerd.js';
import policy from './policy.yaml';

let handler; // built on the first request: a module worker sees its env only there

export default {
  fetch(request, env) {
    handler ??= createDecisionService({
      policy: createGate(policy),
      authToken: env.GAIT_SERVE_TOKEN || undefined,
      signingKey: env.GAIT_SIGNING_KEY || undefined,
      traceSink: (trace) => console.log(JSON.stringify({ trace })),
    });
    return handler(request);
  },
};
