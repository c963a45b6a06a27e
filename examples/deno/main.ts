// Gating a (fake) file-writing tool with gait-wasm's ToolAdapter in Deno.
//   npm run build && deno run --allow-read examples/deno/main.ts
// Deno resolves `gait-wasm` through package.json's `deno` export condition (in your own project:
// `import ... from 'npm:gait-wasm'`). The deno build fetches core.wasm from the package with a
// file: URL, hence --allow-read. The "file system" is a Map: nothing is written.
import { init, createGate, ToolAdapter, GateEnforcementError, GateEvaluationError, type IntentRequest } from 'gait-wasm';

await init(); // compile + instantiate core.wasm (asynchronously; createGate alone would read it synchronously)
const gate = createGate(await Deno.readTextFile(new URL('./policy.yaml', import.meta.url)));

interface WriteIntent { args: { path: string; content: string } }
const files = new Map<string, string>();
function writeFile(intent: unknown): string {
  const { path, content } = (intent as WriteIntent).args;
  files.set(path, content);
  return `wrote ${content.length} bytes`;
}

const audit: string[] = [];
const adapter = new ToolAdapter(gate, { traceSink: (decision) => void audit.push(decision.verdict) });

const call = (path: string, { phase = 'apply' as 'plan' | 'apply', overwrite = false } = {}): IntentRequest => ({
  tool_name: 'fs.write_file',
  args: { path, content: `hello from ${phase}` },
  targets: [{ kind: 'path', value: path, operation: 'write', destructive: overwrite }],
  context: { identity: 'agent.docs', workspace: '/tmp/gait-example', risk_class: 'medium', phase },
});

// Intents are typed (IntentRequest); JSON text from elsewhere is checked at run time only.
const calls: [string, IntentRequest | string][] = [
  ['write a note in the sandbox', call('/tmp/gait-example/notes.txt')],
  ['write outside the sandbox', call('/etc/passwd')],
  ['overwrite a file', call('/tmp/gait-example/notes.txt', { overwrite: true })],
  ['plan an overwrite', call('/tmp/gait-example/notes.txt', { overwrite: true, phase: 'plan' })],
  ['a call without context', JSON.stringify({ tool_name: 'fs.write_file', args: { path: '/tmp/x', content: '' } })],
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
