// A Node (or Bun) consumer: createGate(policy) with no init(), one decision, printed as JSON.
import { createGate, RUNTIME_ENTRY } from 'gait-wasm';
import { POLICY, report } from './decision.js';

try {
  console.log(JSON.stringify(report(createGate(POLICY), RUNTIME_ENTRY)));
} catch (err) {
  console.log(JSON.stringify({ error: `${err.name}: ${err.message}` }));
}
