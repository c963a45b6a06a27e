// The browser example: loads the engine once, then evaluates the intent on every click.
// Served from the repository root (serve.mjs); an app would import 'gait-wasm' via its bundler
// or a CDN instead. `?wasm=<url>` loads core.wasm from another URL (init(url) overrides it).
import { init, createGate, RUNTIME_ENTRY } from '../../dist/bundle/browser.js';

const $ = (id) => document.getElementById(id);
const base = { context: { identity: 'agent.web', workspace: '/srv/app', risk_class: 'medium' } };
const PRESETS = {
  'read a file': { tool_name: 'tool.read', args: { path: '/srv/app/README.md' }, targets: [{ kind: 'path', value: '/srv/app/README.md', operation: 'read' }], ...base },
  'write a file': { tool_name: 'tool.write', args: { path: '/srv/app/out.txt' }, targets: [{ kind: 'path', value: '/srv/app/out.txt', operation: 'write' }], ...base },
  'send external data out': { tool_name: 'tool.write', args: { body: '…' }, targets: [{ kind: 'host', value: 'api.partner.example', operation: 'write' }], arg_provenance: [{ arg_path: '$.body', source: 'external' }], ...base },
  'delete a file': { tool_name: 'tool.delete', args: { path: '/srv/app/db.sqlite' }, targets: [{ kind: 'path', value: '/srv/app/db.sqlite', operation: 'delete' }], ...base },
  'an invalid intent': { tool_name: 'tool.read' },
};

for (const name of Object.keys(PRESETS)) $('preset').append(new Option(name, name));
const showPreset = () => ($('intent').value = JSON.stringify(PRESETS[$('preset').value], null, 2));
$('preset').addEventListener('change', showPreset);
showPreset();

function show(verdict, body) {
  $('verdict').dataset.verdict = verdict;
  $('verdict').textContent = verdict;
  $('result').textContent = body;
}

let gate;
let gatePolicy;
function evaluate() {
  try {
    // Load the policy once; reload only when the text changes.
    if ($('policy').value !== gatePolicy) {
      gate = createGate($('policy').value);
      gatePolicy = $('policy').value;
    }
    const decision = gate.check($('intent').value);
    show(decision.verdict, JSON.stringify(decision, null, 2));
  } catch (err) {
    show('error', `${err.name}: ${err.message}`);
  }
}
$('evaluate').addEventListener('click', evaluate);

try {
  const t0 = performance.now();
  const wasm = new URLSearchParams(location.search).get('wasm');
  const [, policy] = await Promise.all([init(wasm ?? undefined), fetch('./policy.yaml').then((r) => r.text())]);
  $('policy').value = policy;
  $('evaluate').disabled = false;
  $('status').textContent = `engine ready (${RUNTIME_ENTRY} build, ${(performance.now() - t0).toFixed(1)} ms): pick an intent and press Evaluate.`;
} catch (err) {
  $('status').textContent = `the engine failed to load: ${err.name}: ${err.message}`;
  $('status').dataset.error = 'true';
}
