// evaluateToolCall outside Node: the built Deno entry evaluates a Claude Code call with in-memory
// trace and export ports (no node: modules on the library path). Needs `npm run build` and the
// Deno binary from node_modules; skipped otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';

const DENO = path.join(REPO, 'node_modules/.bin/deno');
const ENTRY = path.join(REPO, 'dist/bundle/deno.js');

const SCRIPT = `
import { createGate, evaluateToolCall } from ${JSON.stringify(ENTRY)};
const gate = await createGate('default_verdict: allow\\nrules:\\n  - name: no-exec\\n    effect: block\\n    match:\\n      tool_names: [tool.exec]\\n');
const lines = [];
const r = await evaluateToolCall(gate, { tool_name: 'Bash', tool_input: { command: 'ls' }, session_id: 's' }, {
  adapter: 'claude_code', traceSink: () => 'kv://trace', exports: { log: { name: 'mem', append: (l) => { lines.push(l); } } },
});
console.log(JSON.stringify({ exit: r.exit_code, output: r.output, lines }));
`;

describe.skipIf(!existsSync(DENO) || !existsSync(ENTRY))('evaluateToolCall in Deno', () => {
  it('blocks a Claude Code Bash call and reports through the ports', () => {
    const r = spawnSync(DENO, ['eval', '--ext=js', SCRIPT], { encoding: 'utf8', cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    const { exit, output, lines } = JSON.parse(r.stdout);
    expect(exit).toBe(3);
    expect(output).toMatchObject({ adapter: 'claude_code', tool_name: 'tool.exec', verdict: 'block', session_id: 's', trace_path: 'kv://trace' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ trace_id: output.trace_id, verdict: 'block' });
  }, 60_000);
});
