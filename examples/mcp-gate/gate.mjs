#!/usr/bin/env node
// The gating server written against the library (gait-wasm/mcp/stdio), for when you want your
// own logging or options: `node gate.mjs <policy.yaml> <upstream command> [args...]`.
// `gait mcp gate --policy <p> -- <command...>` is the same thing as a CLI command.
import { readFile } from 'node:fs/promises';
import { createGate } from 'gait-wasm';
import { runMcpGateStdio } from 'gait-wasm/mcp/stdio';

const [policyPath, command, ...args] = process.argv.slice(2);
if (!policyPath || !command) {
  process.stderr.write('usage: node gate.mjs <policy.yaml> <upstream command> [args...]\n');
  process.exit(6);
}

const gate = createGate(await readFile(policyPath, 'utf8'));
const session = await runMcpGateStdio(gate, {
  upstream: { command, args },
  context: { identity: process.env.USER ?? 'mcp-client' },
  // stdout is the MCP channel: log on stderr.
  onDecision: (d) => process.stderr.write(`gate: ${d.tool} ${d.verdict ?? 'error'} ${d.forwarded ? 'forwarded' : 'refused'}\n`),
});
await session.closed;
