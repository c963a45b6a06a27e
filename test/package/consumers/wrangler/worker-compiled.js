// The same Worker on the decide-only build (gait-wasm/compiled: no YAML parser), with the policy
// compiled at build time (`gait policy compile`) and uploaded as a Data module (an ArrayBuffer).
import { createGate, RUNTIME_ENTRY } from 'gait-wasm/compiled';
import policy from './policy.gaitc';
import { report } from './decision.js';

export default {
  async fetch() {
    return Response.json(report(createGate(policy), RUNTIME_ENTRY));
  },
};
