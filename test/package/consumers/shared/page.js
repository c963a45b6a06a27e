// A browser consumer: `await init()` (or the given core.wasm URL), one decision, shown on the page.
import { init, createGate, RUNTIME_ENTRY } from 'gait-wasm';
import { POLICY, report } from './decision.js';

export function decideOnPage(coreUrl) {
  init(coreUrl)
    .then(() => report(createGate(POLICY), RUNTIME_ENTRY))
    .catch((err) => ({ error: `${err.name}: ${err.message}` }))
    .then((out) => {
      document.body.textContent = JSON.stringify(out);
      window.__decision = out;
    });
}
