/**
 * ToolAdapter (cli.md §11.2): runs a tool only when the gate allows it. `dry_run` returns the
 * decision without executing; `block`, `require_approval`, any other verdict and any evaluation
 * error throw and never execute (fail closed).
 *
 * The executor runs exactly what was judged. The caller's intent is read once, with Go's
 * decoding rules (toJSON honoured, case-variant keys resolved last-match-wins, each getter and
 * Proxy trap asked once), and the executor receives the gate's own normalized intent as a deeply
 * frozen value: never the caller's object, which could answer differently the second time.
 */
import type { Gate, EvaluateOptions } from './gate.js';
import type { Decision, DecisionPayload } from './decision.js';
import type { NormalizedIntent } from './intent/model.js';
import type { IntentRequest } from './intent/request.js';
import type { RfcTime } from './time.js';
import { decisionPayload } from './decision.js';
import { slowDecodeIntentValue } from './intent/decode.js';
import { GaitError, invalidInput } from './errors.js';

/**
 * `enforce` (the default): only `allow` runs the tool. `observe` (rollout stage 1, the CLI's
 * `--simulate`): every readable call runs and its decision says what enforcement would have done.
 */
export type AdapterMode = 'enforce' | 'observe';

export interface AdapterOutcome<T> {
  decision: DecisionPayload;
  /** The mode this decision was made in; `observe` means the gate did not enforce it. */
  mode: AdapterMode;
  executed: boolean;
  result: T | undefined;
}

/** What the executor receives: the intent the gate judged, frozen. */
export type JudgedIntent = DeepReadonly<NormalizedIntent>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export class GateEnforcementError extends Error {
  readonly decision: DecisionPayload;
  constructor(decision: DecisionPayload) {
    const reasons = decision.reason_codes?.join(',') || 'none';
    super(`execution blocked by gate verdict=${decision.verdict || 'unknown'} reasons=${reasons}`);
    this.name = 'GateEnforcementError';
    this.decision = decision;
  }
}

/** Evaluation failed (invalid intent, engine failure): the tool was not executed. */
export class GateEvaluationError extends Error {
  override readonly cause: unknown;
  readonly category: string;
  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`gate evaluation failed, tool not executed: ${message}`);
    this.name = 'GateEvaluationError';
    this.cause = cause;
    this.category = cause instanceof GaitError ? cause.category : 'internal_failure';
  }
}

export interface ToolAdapterOptions extends EvaluateOptions {
  /** `enforce` (default) or `observe`. There is no other way to turn enforcement off. */
  mode?: AdapterMode;
  /** `oss-prod` refuses observe mode, as `gait gate eval --profile oss-prod` refuses `--simulate`. */
  profile?: 'standard' | 'oss-prod';
  /** Receives every decision (executed or not), for audit trails. Errors in the sink propagate. */
  traceSink?: (decision: Decision) => void | Promise<void>;
  /** Rate-limit and destructive-budget counters kept in memory by the caller (Gate.decide). */
  counters?: Map<string, number>;
  /** "Now" for limit windows and the context envelope's age; default the clock. */
  now?: RfcTime;
  /** Warnings to report on every decision. */
  warnings?: Iterable<string>;
}

const KNOWN_OPTIONS = new Set(['mode', 'profile', 'traceSink', 'counters', 'now', 'warnings', 'wrkrInventory', 'wrkrSource', 'producerVersion', 'contextEnvelope']);

export class ToolAdapter {
  readonly mode: AdapterMode;
  private readonly options: ToolAdapterOptions;

  constructor(
    private readonly gate: Gate,
    options: ToolAdapterOptions = {},
  ) {
    if (typeof options !== 'object' || options === null) throw invalidInput('ToolAdapter options must be an object');
    for (const key of Object.keys(options)) {
      if (key === 'simulate') {
        throw invalidInput("ToolAdapter does not take simulate: observe mode runs blocked tools, so it is asked for by name: { mode: 'observe' }");
      }
      if (!KNOWN_OPTIONS.has(key)) throw invalidInput(`unknown ToolAdapter option "${key}"`);
    }
    const mode = options.mode ?? 'enforce';
    if (mode !== 'enforce' && mode !== 'observe') throw invalidInput(`ToolAdapter mode must be 'enforce' or 'observe', got ${String(mode)}`);
    const profile = options.profile ?? 'standard';
    if (profile !== 'standard' && profile !== 'oss-prod') throw invalidInput(`unsupported ToolAdapter profile ${String(profile)} (expected standard or oss-prod)`);
    if (profile === 'oss-prod' && mode === 'observe') throw invalidInput('oss-prod profile does not allow observe mode');
    this.mode = mode;
    this.options = { ...options };
  }

  async execute<T>(call: { intent: string | IntentRequest; executor: (intent: JudgedIntent) => T | Promise<T> }): Promise<AdapterOutcome<T>> {
    const { intent, executor } = call;
    let decision: Decision;
    try {
      const options = { ...this.options, simulate: this.mode === 'observe' };
      // Read once: JSON text is immutable; anything else is decoded once, with Go's rules, into a
      // value the gate owns and evaluates as it is.
      decision = typeof intent === 'string' ? this.gate.decide(intent, options) : this.gate.decideRaw(slowDecodeIntentValue(intent), options);
    } catch (err) {
      throw new GateEvaluationError(err);
    }
    const judged = decision.evaluation.prepared;
    await this.options.traceSink?.(decision);
    const payload = decisionPayload(decision);
    if (payload.verdict === 'allow') {
      // Observe mode turns a fail-closed block (an intent that could not be read) into a simulated
      // allow; there is still nothing judged to run.
      if (!judged) throw new GateEvaluationError(invalidInput('intent could not be normalized; the tool was not executed'));
      return { decision: payload, mode: this.mode, executed: true, result: await executor(deepFreeze(plainCopy(judged))) };
    }
    if (payload.verdict === 'dry_run') return { decision: payload, mode: this.mode, executed: false, result: undefined };
    throw new GateEnforcementError(payload);
  }
}

/** A JSON-shaped copy: plain objects and arrays only, no undefined members. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
