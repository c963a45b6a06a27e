#!/usr/bin/env node
// The same hook as `gait claude-code hook`, written against the library, for when you want to
// add something around the decision (here: an audit line on stderr). Claude Code runs it with
// the PreToolUse event on stdin and reads the JSON it prints; it must exit 0 (any other code but
// 2 lets the tool run), so every failure becomes a deny.
//   "command": "node \"$CLAUDE_PROJECT_DIR\"/custom-hook.mjs"
import { readFile } from 'node:fs/promises';
import { createGate } from 'gait-wasm';
import { decideClaudeCodeHook, failClosedHookOutput } from 'gait-wasm/claude-code';

const policyPath = process.env.GAIT_POLICY ?? new URL('./.claude/gait-policy.yaml', import.meta.url);

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const gate = createGate(await readFile(policyPath, 'utf8'));
  const { output, evaluation } = await decideClaudeCodeHook(gate, Buffer.concat(chunks));
  if (evaluation) process.stderr.write(`gait: ${evaluation.output.tool_name} ${evaluation.output.verdict} trace_id=${evaluation.output.trace_id}\n`);
  return output;
}

let output;
try {
  output = await main();
} catch (err) {
  output = failClosedHookOutput(err instanceof Error ? err.message : String(err));
}
process.stdout.write(JSON.stringify(output) + '\n');
