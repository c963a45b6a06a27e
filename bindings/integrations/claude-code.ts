/**
 * Claude Code PreToolUse hook: a hook event in, Claude Code's permission decision out.
 *
 * The event is evaluated by `evaluateToolCall` with the `claude_code` adapter (mcp.md §2.5–§2.7),
 * and the verdict becomes the hook's `permissionDecision`: allow → `allow`, block → `deny`,
 * require_approval → `ask` (Claude Code asks the user), dry_run → `deny` (Claude Code has no way
 * to simulate a tool, and a dry run must not execute). Any error — a malformed event, an event
 * other than PreToolUse, a failing evaluation — is a `deny`: the hook fails closed.
 *
 * Portable: no Node APIs, so it runs wherever the gate runs. `gait claude-code hook` is the CLI.
 */
import type { Gate } from '../gate.js';
import type { Verdict } from '../policy/model.js';
import type { McpProxyOptions, McpProxyResult } from '../mcp/proxy.js';

/** The event this hook answers; Claude Code's output names it again in `hookEventName`. */
export const PRE_TOOL_USE = 'PreToolUse';

export type PermissionDecision = 'allow' | 'deny' | 'ask';

/** What a PreToolUse hook prints on stdout (exit 0) for Claude Code to act on. */
export interface ClaudeCodeHookOutput {
  hookSpecificOutput: {
    hookEventName: typeof PRE_TOOL_USE;
    permissionDecision: PermissionDecision;
    permissionDecisionReason: string;
  };
}

/** The proxy options, less the adapter (always `claude_code`). */
export type ClaudeCodeHookOptions = Omit<McpProxyOptions, 'adapter'>;

/** The hook's answer with what it was based on: the evaluation, or the error that denied the call. */
export interface ClaudeCodeHookDecision {
  output: ClaudeCodeHookOutput;
  /** Present when the gate evaluated the call. */
  evaluation?: McpProxyResult;
  /** Present when the call was denied because something failed (fail closed). */
  error?: string;
}

const DECISIONS: Record<Verdict, PermissionDecision> = {
  allow: 'allow',
  block: 'deny',
  require_approval: 'ask',
  dry_run: 'deny',
};

/** Decides a PreToolUse event (JSON text, its bytes, or the parsed object). Never throws; errors deny. */
export async function claudeCodeHook(gate: Gate, event: string | Uint8Array | object, options: ClaudeCodeHookOptions = {}): Promise<ClaudeCodeHookOutput> {
  return (await decideClaudeCodeHook(gate, event, options)).output;
}

/** `claudeCodeHook` with the evaluation (or error) behind the answer, for logging and tests. */
export async function decideClaudeCodeHook(
  gate: Gate,
  event: string | Uint8Array | object,
  options: ClaudeCodeHookOptions = {},
): Promise<ClaudeCodeHookDecision> {
  let evaluation: McpProxyResult;
  try {
    evaluation = await gate.evaluateToolCall(event, { ...options, adapter: 'claude_code' });
  } catch (err) {
    return failClosed(err instanceof Error ? err.message : String(err));
  }
  try {
    // The adapter keeps the event name (as the call's auth context, mcp.md §2.5 step 4); a hook
    // wired to another event would answer in a shape that event does not read: refuse.
    const eventName = hookEventName(evaluation);
    if (eventName !== undefined && eventName !== PRE_TOOL_USE) {
      return failClosed(`hook_event_name is ${JSON.stringify(eventName)}; this hook answers ${PRE_TOOL_USE} only`);
    }
    const { verdict } = evaluation.output;
    const decision = DECISIONS[verdict];
    if (decision === undefined) return failClosed(`unknown verdict ${JSON.stringify(verdict)}`);
    return { output: hookOutput(decision, reasonText(evaluation)), evaluation };
  } catch (err) {
    return failClosed(err instanceof Error ? err.message : String(err));
  }
}

function hookOutput(decision: PermissionDecision, reason: string): ClaudeCodeHookOutput {
  return { hookSpecificOutput: { hookEventName: PRE_TOOL_USE, permissionDecision: decision, permissionDecisionReason: reason } };
}

function failClosed(message: string): ClaudeCodeHookDecision {
  return { output: failClosedHookOutput(message), error: message };
}

/** The `deny` for a call that could not be evaluated (also used by the CLI for its own failures). */
export function failClosedHookOutput(message: string): ClaudeCodeHookOutput {
  return hookOutput('deny', `gait: denied because the call could not be evaluated (fail closed): ${message}`);
}

/** `gait verdict=block reason_codes=a, b` (the wording of Gait's example hook), then what it means here. */
function reasonText({ output }: McpProxyResult): string {
  const codes = output.reason_codes ?? [];
  let text = `gait verdict=${output.verdict} reason_codes=${codes.join(', ')}`;
  if (output.violations?.length) text += ` violations=${output.violations.join(', ')}`;
  if (output.trace_id) text += ` trace_id=${output.trace_id}`;
  if (output.verdict === 'dry_run') text += '; dry run: the policy only simulates this tool call, so it is not executed';
  return text;
}

function hookEventName(evaluation: McpProxyResult): string | undefined {
  const authContext: unknown = (evaluation.call as { context?: { auth_context?: unknown } }).context?.auth_context;
  const name = authContext instanceof Map ? authContext.get('hook_event_name') : (authContext as Record<string, unknown> | null | undefined)?.['hook_event_name'];
  return typeof name === 'string' ? name : undefined;
}
