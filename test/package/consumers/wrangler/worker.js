// A Worker: the workerd build imports core.wasm as a module (wrangler bundles it), so
// createGate(policy) works with no init().
import { createGate, RUNTIME_ENTRY } from 'gait-wasm';
import { POLICY, report } from './decision.js';

export default {
  async fetch() {
    return Response.json(report(createGate(POLICY), RUNTIME_ENTRY));
  },
};
