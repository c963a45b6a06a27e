/**
 * Vercel AI SDK (`ai` v5+) integration: `gateTools(tools, {gate})` returns the same tool set with
 * every `execute` behind the gate. A call the gate does not allow never reaches the tool: the
 * wrapper throws ToolCallNotExecutedError, which the SDK turns into a `tool-error` part, so the
 * model is told why and the run goes on (the SDK's own way of reporting a failed tool).
 *
 * Tools without `execute` (run by the client, or by the provider) are returned unchanged: nothing
 * runs here for the gate to stop. Only types are imported from `ai`: no runtime dependency.
 */
import type { ToolSet, ToolExecutionOptions } from 'ai';
import { invalidInput } from '../errors.js';
import { checkIntegrationOptions, judgeToolCall, type FrameworkToolCall, type GateIntegrationOptions } from './gated-call.js';

export {
  ToolCallNotExecutedError,
  type GateDecisionEvent, type GateMode, type CallContext, type ToolCallExtras, type CallTarget,
} from './gated-call.js';

/** A call as `context`, `describe` and `onDecision` see it: plus the SDK's execution options (messages, abort signal, tool context). */
export interface AiSdkToolCall extends FrameworkToolCall {
  options: ToolExecutionOptions<unknown>;
}

export type GateToolsOptions = GateIntegrationOptions<AiSdkToolCall>;

type AnyExecute = (input: unknown, options: ToolExecutionOptions<unknown>) => unknown;

/**
 * Wraps every executable tool of `tools` so it runs only when the gate allows the call (or, in
 * observe mode, after the decision is reported). The result has the same type as `tools`.
 */
export function gateTools<TOOLS extends ToolSet>(tools: TOOLS, options: GateToolsOptions): TOOLS {
  const checked = checkIntegrationOptions('gateTools', options);
  if (typeof tools !== 'object' || tools === null) throw invalidInput('gateTools: tools must be an object of AI SDK tools');
  const gated: Record<string, unknown> = {};
  for (const [name, tool] of Object.entries(tools)) gated[name] = gateTool(name, tool, checked);
  return gated as TOOLS;
}

function gateTool<T extends ToolSet[string]>(name: string, tool: T, options: GateToolsOptions): T {
  const execute = tool.execute as AnyExecute | undefined;
  if (typeof execute !== 'function') return tool;

  const admit = async (input: unknown, callOptions: ToolExecutionOptions<unknown>): Promise<void> => {
    const call: AiSdkToolCall = { tool: name, toolCallId: callOptions?.toolCallId, args: input as Record<string, unknown>, options: callOptions };
    const judgement = await judgeToolCall(options, call);
    if (!judgement.executes) throw judgement.refusal;
  };

  // A streaming tool (an async generator) stays one, so its preliminary results still stream.
  const gatedExecute = isAsyncGeneratorFunction(execute)
    ? async function* (input: unknown, callOptions: ToolExecutionOptions<unknown>) {
        await admit(input, callOptions);
        yield* execute.call(tool, input, callOptions) as AsyncIterable<unknown>;
      }
    : async (input: unknown, callOptions: ToolExecutionOptions<unknown>) => {
        await admit(input, callOptions);
        const output = execute.call(tool, input, callOptions);
        // A plain function returning an iterable: once gated it can only give its final value.
        return isAsyncIterable(output) ? lastValue(output) : output;
      };
  return { ...tool, execute: gatedExecute };
}

function isAsyncGeneratorFunction(f: Function): boolean {
  return Object.prototype.toString.call(f) === '[object AsyncGeneratorFunction]';
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

async function lastValue(values: AsyncIterable<unknown>): Promise<unknown> {
  let last: unknown;
  for await (const value of values) last = value;
  return last;
}
