/**
 * `gait claude-code hook --policy <p>`: a Claude Code PreToolUse hook. Reads the hook event on
 * stdin and prints Claude Code's decision JSON (bindings/integrations/claude-code.ts), always with
 * exit 0: Claude Code reads a hook's JSON only on exit 0, and treats any exit other than 0 or 2
 * as a non-blocking error that lets the tool run. So every failure here — a missing flag, an
 * unreadable policy, an oversized or malformed event — is printed as a `deny`, never as Gait's
 * exit-6 error envelope (which Claude Code would ignore: fail open).
 */
import type { CommandContext } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { createEngine } from '../load/node.js';
import { Gate } from '../gate.js';
import { decideClaudeCodeHook, failClosedHookOutput, type ClaudeCodeHookOptions, type ClaudeCodeHookOutput } from '../integrations/claude-code.js';
import { INTEGRATION_FLAGS, INTEGRATION_FLAGS_USAGE, proxyOptionsFromFlags } from './integration-options.js';
import { readStdinBounded } from './stdin.js';

export const CLAUDE_CODE_USAGE = `Usage:
  gait claude-code hook --policy <policy.yaml> [flags]

A Claude Code PreToolUse hook: reads the hook event (JSON) on stdin, evaluates the tool call
against the policy (adapter claude_code) and prints Claude Code's decision on stdout, exit 0:
  {"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow|deny|ask",
   "permissionDecisionReason":"gait verdict=... reason_codes=..."}}
Verdicts: allow -> allow, block -> deny, require_approval -> ask (Claude Code asks you),
dry_run -> deny (a dry run must not execute). Any error -> deny (fail closed).

Flags:
  --policy <p>            policy YAML (required)
${INTEGRATION_FLAGS_USAGE}
In .claude/settings.json:
  {"hooks":{"PreToolUse":[{"matcher":"*","hooks":[{"type":"command",
    "command":"npx gait claude-code hook --policy .claude/gait-policy.yaml"}]}]}}
`;

/** The largest event read from stdin (a Write event carries the whole file). */
export const MAX_HOOK_EVENT_BYTES = 16 * 1024 * 1024;

export async function runClaudeCode(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-help' || sub === '-h' || sub === 'help') {
    ctx.io.stdout(CLAUDE_CODE_USAGE);
    return sub === undefined ? 6 : 0;
  }
  if (sub !== 'hook') {
    ctx.io.stdout(`claude-code error: unknown subcommand: ${sub}\n${CLAUDE_CODE_USAGE}`);
    return 6;
  }
  if (rest.some((a) => /^--?h(elp)?(=.*)?$/.test(a))) {
    ctx.io.stdout(CLAUDE_CODE_USAGE);
    return 0;
  }
  const output = await hookDecision(ctx, rest);
  ctx.io.stdout(JSON.stringify(output) + '\n');
  return 0;
}

async function hookDecision(ctx: CommandContext, args: readonly string[]): Promise<ClaudeCodeHookOutput> {
  let gate: Gate;
  let options: ClaudeCodeHookOptions;
  let event: Uint8Array;
  try {
    const flags = parseFlags(args, { strings: ['policy', ...INTEGRATION_FLAGS] }, true);
    if (flags.positionals.length > 0) throw invalidInput(`unexpected argument: ${flags.positionals[0]}`);
    const policyPath = flagString(flags, 'policy').trim();
    if (policyPath === '') throw invalidInput('expected --policy <policy.yaml>');
    options = await proxyOptionsFromFlags(flags, ctx.io);
    event = await readStdinBounded(MAX_HOOK_EVENT_BYTES, 'hook event');
    gate = new Gate(await createEngine(), await loadPolicyFile(policyPath));
  } catch (err) {
    return deny(err);
  }
  try {
    return (await decideClaudeCodeHook(gate, event, options)).output;
  } finally {
    gate.dispose();
  }
}

function deny(err: unknown): ClaudeCodeHookOutput {
  return failClosedHookOutput(err instanceof Error ? err.message : String(err));
}
