// The same edge function on the decide-only build (gait-wasm/compiled: no YAML parser), with the
// policy compiled at build time (`gait policy compile`) and bundled as bytes.
import core from 'gait-wasm/core.wasm?module';
import { initSync, createGate, RUNTIME_ENTRY } from 'gait-wasm/compiled';
import policy from './policy.gaitc';
import { report } from './decision.js';

export const config = { runtime: 'edge' };

export default async function handler() {
  initSync(core);
  return Response.json(report(createGate(policy), RUNTIME_ENTRY));
}
