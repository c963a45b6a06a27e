/**
 * ToolAdapter (cli.md §11.2): runs a tool only when the gate allows it. `dry_run` returns the
 * decision without executing; `block`, `require_approval`, any other verdict and any evaluation
 * error throw and never execute (fail closed).
 */
import type { Gate, EvaluateOptions } from './gate.js';
import type { DecideOptions, Decision, DecisionPayload } from './decision.js';
import { decisionPayload } from './decision.js';
import { GaitError } from './errors.js';

export interface AdapterOutcome<T> {
  decision: DecisionPayload;
  executed: boolean;
  result: T | undefined;
}

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

export interface ToolAdapterOptions extends EvaluateOptions, DecideOptions {
  /** Receives every decision (executed or not), for audit trails. Errors in the sink propagate. */
  traceSink?: (decision: Decision) => void | Promise<void>;
}

export class ToolAdapter {
  constructor(
    private readonly gate: Gate,
    private readonly options: ToolAdapterOptions = {},
  ) {}

  async execute<T>(call: { intent: unknown; executor: (intent: unknown) => T | Promise<T> }): Promise<AdapterOutcome<T>> {
    let decision: Decision;
    try {
      decision = this.gate.decide(call.intent, this.options);
    } catch (err) {
      throw new GateEvaluationError(err);
    }
    await this.options.traceSink?.(decision);
    const payload = decisionPayload(decision);
    if (payload.verdict === 'allow') {
      return { decision: payload, executed: true, result: await call.executor(call.intent) };
    }
    if (payload.verdict === 'dry_run') return { decision: payload, executed: false, result: undefined };
    throw new GateEnforcementError(payload);
  }
}
