/**
 * What the framework integrations (ai-sdk.ts, openai-agents.ts) share: their options, and the one
 * step that judges a framework's tool call through evaluateToolCall before the tool may run.
 *
 * A call is sent as an `mcp`-adapter ToolCall ({name, args, context, targets, server, ...}): it is
 * the only adapter shape that carries the policy context (identity, workspace, session, risk
 * class), targets and the MCP server, which the other adapters drop (spec mcp.md §2). Decoding,
 * mapping and evaluation all happen in evaluateToolCall; this file only decides what a verdict
 * means for the tool: only `allow` runs it (or any verdict in observe mode), and an evaluation
 * error never does.
 */
import type { Gate } from '../gate.js';
import type { Verdict } from '../policy/model.js';
import type { McpServerInfo } from '../mcp/types.js';
import type { McpProxyOptions, McpProxyResult } from '../mcp/proxy.js';
import { invalidInput } from '../errors.js';

/** `context` of a ToolCall (mcp.md §1): who calls, where, in which session. All optional. */
export interface CallContext {
  identity?: string;
  workspace?: string;
  risk_class?: string;
  phase?: string;
  job_id?: string;
  session_id?: string;
  request_id?: string;
  run_id?: string;
  auth_mode?: string;
  auth_context?: Record<string, unknown>;
  credential_scopes?: string[];
  environment_fingerprint?: string;
  oauth_evidence?: Record<string, unknown>;
}

/** A ToolCall target (mcp.md §1): what the call touches, for the policy's target rules. */
export interface CallTarget {
  kind: string;
  value: string;
  operation?: string;
  sensitivity?: string;
  discovery_method?: string;
  read_only_hint?: boolean;
  destructive_hint?: boolean;
  idempotent_hint?: boolean;
  open_world_hint?: boolean;
  annotations?: Record<string, unknown>;
}

/**
 * Everything of a ToolCall but its arguments, which are always the ones the tool receives:
 * `name` replaces the framework's tool name (e.g. to match a policy's `tool.write`).
 */
export interface ToolCallExtras {
  name?: string;
  context?: CallContext;
  targets?: CallTarget[];
  server?: Partial<McpServerInfo>;
  arg_provenance?: { arg_path: string; source: string; source_ref?: string; integrity_digest?: string }[];
  delegation?: {
    requester_identity: string;
    scope_class?: string;
    token_refs?: string[];
    chain?: { delegator_identity: string; delegate_identity: string; scope_class?: string; token_ref?: string }[];
  };
  created_at?: string;
}

/** A framework's tool call, as the integration hands it to the gate. */
export interface FrameworkToolCall {
  /** The tool's name in the framework (the model's name for it). */
  tool: string;
  /** The framework's id for this call, when it has one. */
  toolCallId: string | undefined;
  /** The arguments the tool will receive; undefined when the framework's argument text could not be decoded (the call is refused). */
  args: Record<string, unknown> | undefined;
}

/** `enforce` (default): only `allow` runs a tool. `observe`: every judged call runs; decisions are only reported. */
export type GateMode = 'enforce' | 'observe';

/** One decision, reported to `onDecision` before the tool runs (or instead of running it). */
export interface GateDecisionEvent<C extends FrameworkToolCall = FrameworkToolCall> {
  call: C;
  mode: GateMode;
  /** The ToolCall that was evaluated (undefined when building it failed). */
  payload: Record<string, unknown> | undefined;
  /** undefined when evaluation failed. */
  verdict: Verdict | undefined;
  /** The full proxy result (output, trace, normalized intent); undefined on error. */
  result: McpProxyResult | undefined;
  /** Why evaluation failed; undefined otherwise. */
  error: unknown;
  /** Whether the tool runs. */
  executes: boolean;
}

export interface GateIntegrationOptions<C extends FrameworkToolCall = FrameworkToolCall> {
  /** The gate (createGate) every call is evaluated against. */
  gate: Gate;
  /** The call's policy context: an object, or a function of the call (e.g. the signed-in user). */
  context?: CallContext | ((call: C) => CallContext | Promise<CallContext>);
  /** More of the ToolCall from the call: targets, server, delegation, a policy tool name. Its `context` wins over `context`'s. */
  describe?: (call: C) => ToolCallExtras | Promise<ToolCallExtras>;
  /** `enforce` (default) or `observe`. */
  mode?: GateMode;
  /** Receives every decision before the tool runs; if it throws, the tool does not run (no unaudited calls). */
  onDecision?: (event: GateDecisionEvent<C>) => void | Promise<void>;
  /** evaluateToolCall's options (profile, signing key, trace sink, exports, trust snapshot, ...); the adapter is always `mcp`. */
  proxy?: Omit<McpProxyOptions, 'adapter'>;
}

const KNOWN_OPTIONS = new Set(['gate', 'context', 'describe', 'mode', 'onDecision', 'proxy']);

/** Checks the options once, when the tools are wrapped: a misconfigured gate fails at start-up. */
export function checkIntegrationOptions<O extends GateIntegrationOptions<any>>(where: string, options: O, ownKeys: readonly string[] = []): O {
  if (typeof options !== 'object' || options === null) throw invalidInput(`${where}: options must be an object with a gate`);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key) && !ownKeys.includes(key)) throw invalidInput(`${where}: unknown option "${key}"`);
  }
  const { gate, context, describe, mode, onDecision, proxy } = options;
  if (typeof gate !== 'object' || gate === null || typeof (gate as { evaluateToolCall?: unknown }).evaluateToolCall !== 'function') throw invalidInput(`${where}: options.gate must be a Gate (createGate)`);
  if (context !== undefined && typeof context !== 'function' && (typeof context !== 'object' || context === null)) {
    throw invalidInput(`${where}: options.context must be an object or a function`);
  }
  for (const [name, value] of [['describe', describe], ['onDecision', onDecision]] as const) {
    if (value !== undefined && typeof value !== 'function') throw invalidInput(`${where}: options.${name} must be a function`);
  }
  if (mode !== undefined && mode !== 'enforce' && mode !== 'observe') throw invalidInput(`${where}: options.mode must be 'enforce' or 'observe', got ${String(mode)}`);
  if (proxy !== undefined && (typeof proxy !== 'object' || proxy === null)) throw invalidInput(`${where}: options.proxy must be an object`);
  if (proxy && 'adapter' in proxy) throw invalidInput(`${where}: options.proxy.adapter cannot be set: calls are always sent as mcp ToolCalls`);
  // As ToolAdapter and `gait gate eval --simulate`: the strict profile never runs unenforced.
  if (mode === 'observe' && proxy?.profile === 'oss-prod') throw invalidInput(`${where}: oss-prod profile does not allow observe mode`);
  return { ...options };
}

/**
 * The tool was not run: a verdict other than allow (`verdict`), a failed evaluation (no `verdict`,
 * no `result`) or a failed onDecision hook (no `verdict`, with `result`). Its message is what the model is told.
 */
export class ToolCallNotExecutedError extends Error {
  readonly tool: string;
  readonly verdict: Verdict | undefined;
  readonly result: McpProxyResult | undefined;
  override readonly cause: unknown;
  constructor(call: FrameworkToolCall, verdict: Verdict | undefined, result: McpProxyResult | undefined, cause?: unknown) {
    super(refusalMessage(call.tool, verdict, result, cause));
    this.name = 'ToolCallNotExecutedError';
    this.tool = call.tool;
    this.verdict = verdict;
    this.result = result;
    this.cause = cause;
  }
}

function refusalMessage(tool: string, verdict: Verdict | undefined, result: McpProxyResult | undefined, cause: unknown): string {
  if (verdict === undefined) {
    const why = cause instanceof Error ? cause.message : String(cause);
    // With a result, evaluation succeeded and the onDecision hook failed.
    return `gait: tool call "${tool}" was not executed: ${result ? 'the decision could not be recorded' : 'gate evaluation failed'}: ${why}`;
  }
  const what =
    verdict === 'block' ? 'was blocked by policy'
    : verdict === 'require_approval' ? 'requires approval'
    : verdict === 'dry_run' ? 'is a dry run'
    : `got verdict ${verdict}`;
  const reasons = result?.output.reason_codes?.length ? ` (reason codes: ${result.output.reason_codes.join(', ')})` : '';
  return `gait: tool call "${tool}" ${what}${reasons}; it was not executed`;
}

/** What the integration does with a call: run the tool, or not (and say why). */
export type Judgement<C extends FrameworkToolCall> = { executes: true; event: GateDecisionEvent<C> } | { executes: false; event: GateDecisionEvent<C>; refusal: ToolCallNotExecutedError };

/**
 * Judges one call: builds the ToolCall, evaluates it, reports it. Never throws: failures are
 * refusals. `decodeError`: why the call's arguments could not be decoded (refused as is).
 */
export async function judgeToolCall<C extends FrameworkToolCall>(options: GateIntegrationOptions<C>, call: C, decodeError?: unknown): Promise<Judgement<C>> {
  const mode = options.mode ?? 'enforce';
  let payload: Record<string, unknown> | undefined;
  let result: McpProxyResult | undefined;
  try {
    if (decodeError !== undefined || call.args === undefined) throw decodeError ?? invalidInput('tool call arguments are missing');
    payload = await toolCallPayload(options, call);
    result = await options.gate.evaluateToolCall(payload, { ...options.proxy, adapter: 'mcp' });
  } catch (error) {
    return refuse(options, { call, mode, payload, verdict: undefined, result: undefined, error, executes: false });
  }
  const verdict = result.output.verdict;
  const event: GateDecisionEvent<C> = { call, mode, payload, verdict, result, error: undefined, executes: verdict === 'allow' || mode === 'observe' };
  if (!event.executes) return refuse(options, event);
  try {
    await options.onDecision?.(event);
  } catch (error) {
    // The audit hook failed: the call would run unrecorded, so it does not run.
    return { executes: false, event: { ...event, executes: false, error }, refusal: new ToolCallNotExecutedError(call, undefined, result, error) };
  }
  return { executes: true, event };
}

async function refuse<C extends FrameworkToolCall>(options: GateIntegrationOptions<C>, event: GateDecisionEvent<C>): Promise<Judgement<C>> {
  const refusal = new ToolCallNotExecutedError(event.call, event.verdict, event.result, event.error);
  try {
    await options.onDecision?.(event);
  } catch {
    // The tool does not run either way; the refusal stands.
  }
  return { executes: false, event, refusal };
}

/** ToolCall keys `describe` may add; never `args` or `script`, which would change what is judged. */
const EXTRA_KEYS = ['targets', 'server', 'arg_provenance', 'delegation', 'created_at'] as const;

/** The mcp ToolCall: the call's name and arguments, the configured context, and `describe`'s extras. */
async function toolCallPayload<C extends FrameworkToolCall>(options: GateIntegrationOptions<C>, call: C): Promise<Record<string, unknown>> {
  const base = typeof options.context === 'function' ? await options.context(call) : options.context;
  const extras = (await options.describe?.(call)) ?? {};
  if (typeof extras !== 'object' || extras === null) throw invalidInput('describe must return an object');
  const payload: Record<string, unknown> = { name: extras.name ?? call.tool, args: call.args };
  if (base !== undefined || extras.context !== undefined) payload.context = { ...base, ...extras.context };
  for (const key of EXTRA_KEYS) if (extras[key] !== undefined) payload[key] = extras[key];
  return payload;
}
