/**
 * OpenAI Agents SDK (`@openai/agents`) integration, through the SDK's own pre-execution hook: a
 * tool input guardrail. The runner calls it with the model's function call before the tool's
 * `invoke` (and before asking for human approval), so it covers tools made with `tool()`,
 * `agent.asTool()` and local MCP servers (`toolInputGuardrails`) alike.
 *
 * - `gaitToolInputGuardrail(options)`: the guardrail, for `tool({ inputGuardrails: [...] })` or an
 *   MCP server's `toolInputGuardrails`.
 * - `gateTools(tools, options)`: puts it first on every function tool of a list (e.g. an agent's).
 *
 * A refused call does not run: the model gets the refusal as the tool's output (`rejectContent`),
 * or, with `onRefusal: 'throw_exception'`, the run stops with ToolInputGuardrailTripwireTriggered.
 * The guardrail's `outputInfo` (in `result.toolInputGuardrailResults`) carries the decision.
 * Only types are imported from `@openai/agents`: no runtime dependency.
 */
import type { Agent, FunctionCallItem, RunContext, Tool, ToolGuardrailFunctionOutput, ToolInputGuardrailDefinition } from '@openai/agents';
import type { McpProxyOutput } from '../mcp/types.js';
import { invalidInput } from '../errors.js';
import { checkIntegrationOptions, judgeToolCall, type FrameworkToolCall, type GateDecisionEvent, type GateIntegrationOptions, type GateMode } from './gated-call.js';

export {
  ToolCallNotExecutedError,
  type GateDecisionEvent, type GateMode, type CallContext, type ToolCallExtras, type CallTarget,
} from './gated-call.js';

/** A call as `context`, `describe` and `onDecision` see it: plus the SDK's function call item, run context and agent. */
export interface AgentsToolCall<TContext = unknown> extends FrameworkToolCall {
  toolCall: FunctionCallItem;
  runContext: RunContext<TContext>;
  agent: Agent<any, any>;
}

export interface GaitGuardrailOptions<TContext = unknown> extends GateIntegrationOptions<AgentsToolCall<TContext>> {
  /** `reject_content` (default): the model is told and the run goes on. `throw_exception`: the run stops. */
  onRefusal?: 'reject_content' | 'throw_exception';
  /** The guardrail's name in results and traces; default `gait`. */
  name?: string;
}

/** The guardrail's `outputInfo`: JSON only, since the SDK may keep it in a serialized RunState. */
export interface GaitGuardrailInfo {
  mode: GateMode;
  executes: boolean;
  /** The proxy output (verdict, reason codes, trace id, ...); absent when evaluation failed. */
  decision?: McpProxyOutput;
  /** Why evaluation failed. */
  error?: string;
}

export function gaitToolInputGuardrail<TContext = unknown>(options: GaitGuardrailOptions<TContext>): ToolInputGuardrailDefinition<TContext> {
  const { onRefusal = 'reject_content', name = 'gait', ...gateOptions } = checkIntegrationOptions('gaitToolInputGuardrail', options, ['onRefusal', 'name']);
  if (onRefusal !== 'reject_content' && onRefusal !== 'throw_exception') {
    throw invalidInput(`gaitToolInputGuardrail: options.onRefusal must be 'reject_content' or 'throw_exception', got ${String(onRefusal)}`);
  }
  if (typeof name !== 'string' || name === '') throw invalidInput('gaitToolInputGuardrail: options.name must be a non-empty string');
  return {
    type: 'tool_input',
    name,
    async run({ context, agent, toolCall }): Promise<ToolGuardrailFunctionOutput> {
      let args: Record<string, unknown> | undefined;
      let decodeError: unknown;
      try {
        args = parseArguments(toolCall.arguments);
      } catch (error) {
        decodeError = error;
      }
      const call: AgentsToolCall<TContext> = { tool: toolCall.name, toolCallId: toolCall.callId, args, toolCall, runContext: context, agent };
      const judgement = await judgeToolCall(gateOptions, call, decodeError);
      const outputInfo = guardrailInfo(judgement.event);
      if (judgement.executes) return { behavior: { type: 'allow' }, outputInfo };
      if (onRefusal === 'throw_exception') return { behavior: { type: 'throwException' }, outputInfo };
      return { behavior: { type: 'rejectContent', message: judgement.refusal.message }, outputInfo };
    },
  };
}

/**
 * Puts the gait guardrail first on every function tool of `tools`, in place (the SDK keeps state
 * keyed by the tool objects, so they are not copied), and returns `tools`. Hosted tools run at
 * OpenAI and are left alone; computer, shell and apply_patch tools have no input guardrails, so
 * they are refused rather than left ungated.
 */
export function gateTools<TContext, T extends readonly Tool<TContext>[]>(tools: T, options: GaitGuardrailOptions<TContext>): T {
  const guardrail = gaitToolInputGuardrail(options);
  if (!Array.isArray(tools)) throw invalidInput('gateTools: tools must be an array of Agents SDK tools');
  for (const t of tools as readonly Tool<TContext>[]) {
    if (t?.type === 'hosted_tool') continue;
    if (t?.type !== 'function') throw invalidInput(`gateTools: cannot gate ${describeTool(t)}: only function tools take input guardrails`);
  }
  for (const t of tools as readonly Tool<TContext>[]) {
    if (t.type === 'function') t.inputGuardrails = [guardrail, ...(t.inputGuardrails ?? [])];
  }
  return tools;
}

/**
 * The model's argument text as the tool receives it: the SDK's function tools JSON.parse it (then
 * apply their schema), so the gate judges that same value rather than a second decoding of the text.
 */
function parseArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput(`function call arguments are not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidInput(`function call arguments must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

function describeTool(t: unknown): string {
  if (typeof t !== 'object' || t === null) return `a non-tool (${t === null ? 'null' : typeof t})`;
  const { type, name } = t as { type?: unknown; name?: unknown };
  return `the ${String(type)} tool${typeof name === 'string' ? ` "${name}"` : ''}`;
}

function guardrailInfo(event: GateDecisionEvent<FrameworkToolCall>): GaitGuardrailInfo {
  const info: GaitGuardrailInfo = { mode: event.mode, executes: event.executes };
  if (event.result) info.decision = event.result.output;
  if (event.error !== undefined) info.error = event.error instanceof Error ? event.error.message : String(event.error);
  return info;
}
