// Gating a (fake) file-writing tool with gait-wasm's ToolAdapter in Node.
//   npm run build && node examples/node/main.mjs
// The tool only runs when the policy allows the call; block and require_approval throw
// GateEnforcementError, dry_run returns without running it, invalid intents throw
// GateEvaluationError. Nothing touches the disk: the "file system" is a Map.
import { readFileSync } from 'node:fs';
import { createGate, ToolAdapter, GateEnforcementError, GateEvaluationError } from 'gait-wasm';

// Load the policy once (Node compiles core.wasm synchronously: no init() needed).
const gate = createGate(readFileSync(new URL('./policy.yaml', import.meta.url), 'utf8'));

const files = new Map();
function writeFile(intent) {
  const { path, content } = intent.args;
  files.set(path, content);
  return `wrote ${content.length} bytes`;
}

const audit = [];
const adapter = new ToolAdapter(gate, { traceSink: (decision) => audit.push(decision.verdict) });

const call = (path, { phase = 'apply', overwrite = false } = {}) => ({
  tool_name: 'fs.write_file',
  args: { path, content: `hello from ${phase}` },
  targets: [{ kind: 'path', value: path, operation: 'write', destructive: overwrite }],
  context: { identity: 'agent.docs', workspace: '/tmp/gait-example', risk_class: 'medium', phase },
});

const calls = [
  ['write a note in the sandbox', call('/tmp/gait-example/notes.txt')],
  ['write outside the sandbox', call('/etc/passwd')],
  ['overwrite a file', call('/tmp/gait-example/notes.txt', { overwrite: true })],
  ['plan an overwrite', call('/tmp/gait-example/notes.txt', { overwrite: true, phase: 'plan' })],
  ['a call without context', { tool_name: 'fs.write_file', args: { path: '/tmp/x', content: '' } }],
];

for (const [label, intent] of calls) {
  try {
    const outcome = await adapter.execute({ intent, executor: writeFile });
    const what = outcome.executed ? `executed: ${outcome.result}` : 'not executed (dry run)';
    console.log(`${label}: ${outcome.decision.verdict} [${outcome.decision.reason_codes}] -> ${what}`);
  } catch (err) {
    if (err instanceof GateEnforcementError) console.log(`${label}: ${err.decision.verdict} [${err.decision.reason_codes}] -> not executed`);
    else if (err instanceof GateEvaluationError) console.log(`${label}: error -> not executed (${err.message})`);
    else throw err;
  }
}

console.log(`files written: ${JSON.stringify(Object.fromEntries(files))}`);
console.log(`audit trail: ${audit.join(', ')}`);
