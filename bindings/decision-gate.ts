/**
 * The decision half of the library API: a compiled policy loaded once into the engine, evaluated
 * against intents. This is Gait's `EvaluatePolicyDetailed` (policy.md §7.1): normalize, strip
 * unverified context claims, fail-closed on un-normalizable intents, Wrkr enrichment, then one
 * call into the WASM core. It imports no YAML parser and no enforcement code, so the decide-only
 * build (bindings/compiled/entry-*.ts) stays small; `Gate` (gate.ts) adds those.
 */
import { asGaitError, intentInput } from './arguments.js';
import type { Policy, Verdict } from './policy/model.js';
import type { NormalizedIntent } from './intent/model.js';
import type { IntentInput } from './intent/request.js';
import type { CoreOutcome } from './core/outcome.js';
import type { WrkrContext } from './core/encode.js';
import type { Engine, LoadedPolicy } from './core/engine.js';
import type { CompiledPolicy } from './core/compile.js';
import { EngineError, IntentInvalidStatus } from './core/engine.js';
import { encodeInvalidIntent, encodePrepared } from './core/encode.js';
import { encodeIntentObject } from './core/encode-object.js';
import { decodeIntentJson, decodeIntentValue, type RawIntent } from './intent/decode.js';
import {
  normalizeIntent, stripContextClaims, stripContextClaimsInPlace, rawRiskClass, withAuthContextKeys, withContextEvidence, copyIntent,
} from './intent/normalize.js';
import { parseContextEnvelope, checkContextClaims, contextEvidence, type ContextEnvelope } from './context/envelope.js';
import { computeIntentDigests, intentDigest } from './intent/digest.js';
import { normalizeIntentObject } from './intent/normalize-object.js';
import { membersMatch, parseIntentJson } from './intent/plain-json.js';
import { formatRfc3339Nano, parseRfc3339, nowTime, type RfcTime } from './time.js';
import { applyLimits } from './limits.js';
import { sortedUnique } from './canonical/order.js';
import { GaitError, invalidInput } from './errors.js';
import { decide, decisionPayload, type DecideOptions, type Decision, type DecisionPayload } from './decision.js';

export interface WrkrEntry {
  tool_name: string;
  data_class: string;
  endpoint_class: string;
  autonomy_level: string;
}

export type WrkrInventory = ReadonlyMap<string, WrkrEntry>;

export interface EvaluateOptions {
  /** Wrkr inventory keyed by lower-cased tool name (intent.md §5). */
  wrkrInventory?: WrkrInventory;
  /** Label reported as `context_source` on an inventory hit (the inventory path in the CLI). */
  wrkrSource?: string;
  /** `producer_version` of the result; default `0.0.0-dev`. */
  producerVersion?: string;
  /**
   * Verified context evidence (intent.md §4.2): an envelope from parseContextEnvelope, or its JSON
   * (text, UTF-8 bytes or parsed object), verified on each evaluation. Its digest, mode, refs and
   * age replace the intent's own claims, which must agree with it. Without one, the claims are
   * stripped and rules requiring context evidence cannot allow. A bad envelope, or claims that
   * disagree, make the intent unevaluable: a fail-closed block, else a GaitError.
   */
  contextEnvelope?: ContextEnvelope | string | Uint8Array | object;
  /** Evaluation time: the envelope's age is measured to it (and, in `decide`, limit windows). Default: now. */
  now?: RfcTime;
}

/** `gait.gate.result` (policy.md §7.8). */
export interface GateResult {
  schema_id: 'gait.gate.result';
  schema_version: '1.0.0';
  created_at: string;
  producer_version: string;
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
}

/** The decision alone (`gate.verdict`): what `result` and `matched_rule` of an evaluation say. */
export interface GateVerdict {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  /** Tier rule names joined by `,` ('' on the default and fail-closed paths). */
  matched_rule: string;
}

export interface StepVerdict {
  index: number;
  tool_name: string;
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  matched_rule: string;
}

export interface GateEvaluation {
  result: GateResult;
  /** Tier rule names joined by `,` ('' on the default and fail-closed paths). */
  matched_rule: string;
  policy_digest: string;
  /** Digest of the prepared intent (claims stripped, Wrkr keys added): what tokens bind to. */
  intent_digest: string;
  /** The prepared intent; undefined when the intent could not be normalized (fail-closed block). */
  prepared: NormalizedIntent | undefined;
  /** `context_envelope` and/or the Wrkr source, sorted and comma-joined. */
  context_source: string;
  /**
   * Why the context envelope could not be bound, when that made the evaluation a fail-closed
   * block; `prepared` is then the intent with its own claims (Gait's CLI reports that one).
   */
  context_binding_error?: string;
  /** With a binding error: the intent's `context.phase` as written (Gait prints that one). */
  context_binding_phase?: string;
  /** Everything the core decided, for the CLI's post-processing (tokens, limits, broker). */
  outcome: CoreOutcome;
  script: boolean;
  step_count: number;
  script_hash: string;
  composite_risk_class: string;
  step_verdicts: StepVerdict[];
}

/** Gate.decide's options: evaluation, decision stages, and in-memory limit counters. */
export type GateDecideOptions = EvaluateOptions & DecideOptions & { counters?: Map<string, number> };

const ZERO_CREATED_AT = '1980-01-01T00:00:00Z';
const NO_STEPS: readonly string[] = [];

/**
 * What the fast paths may read of an intent: a parsed object as it is; JSON text parsed by
 * JSON.parse when that reads it as Go's decoder would (intent/plain-json.ts); else undefined.
 */
function fastPathValue(intent: string | unknown): unknown {
  if (typeof intent !== 'string') return intent;
  const value = parseIntentJson(intent);
  return value !== undefined && membersMatch(intent, value) ? value : undefined;
}

/** `names.join(',')`, without the join for the usual zero or one name. */
function joinNames(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : names.length === 0 ? '' : names.join(',');
}

/**
 * A compiled policy loaded into an engine's WASM memory, evaluated against intents: what `Gate`
 * does but `enforce` and `evaluateToolCall` (see `Gate` for the memory rules, which are the same).
 */
export class DecisionGate {
  readonly policy: Policy;
  readonly policyDigest: string;
  protected readonly loaded: LoadedPolicy;

  /** `compiled` from compilePolicy (core/compile.ts) or a compiled policy file; `digest` its policy_digest. */
  constructor(
    protected readonly engine: Engine,
    compiled: CompiledPolicy,
    digest: string,
  ) {
    this.policy = compiled.policy;
    this.policyDigest = digest;
    this.loaded = engine.load(compiled);
  }

  /** Frees the gate's policy in the engine's memory; the gate can no longer evaluate. Idempotent. */
  dispose(): void {
    this.engine.unload(this.loaded);
  }

  /** True once `dispose()` has run. */
  get disposed(): boolean {
    return !this.loaded.loaded;
  }

  /** Before any work: a disposed gate says so (the engine would refuse its policy anyway). */
  protected assertLive(): void {
    if (this.disposed) throw new EngineError('this gate is disposed: its policy was unloaded from the engine; create a new gate');
  }

  /**
   * The gate's answer for an intent (JSON text or parsed object): the object `gait gate eval
   * --json` prints, without trace fields. Throws GaitError on invalid input (never allows).
   */
  check(intent: IntentInput, options: EvaluateOptions & DecideOptions = {}): DecisionPayload {
    return decisionPayload(this.decide(intent, options));
  }

  /**
   * Like `check`, with the full evaluation attached. Pass `counters` (any Map, kept by the caller)
   * to enforce the policy's rate limits and destructive budgets in memory.
   */
  decide(intent: IntentInput, options: GateDecideOptions = {}): Decision {
    return this.decideEvaluation(this.evaluate(intent, options), options); // evaluate checks the argument
  }

  /** `decide` for an intent already decoded with Go's JSON rules (intent/decode.ts). */
  decideRaw(raw: RawIntent, options: GateDecideOptions = {}): Decision {
    return this.decideEvaluation(this.evaluateRaw(raw, options), options);
  }

  private decideEvaluation(evaluation: GateEvaluation, options: GateDecideOptions): Decision {
    const limits = options.counters ? applyLimits(evaluation, options.counters, options.now ?? nowTime(), this.policy.rules) : options.limits;
    return decide(evaluation, { ...options, limits });
  }

  /**
   * The decision alone: the verdict, reason codes, violations and matched rule that `evaluate`
   * gives, without digests, tokens or trace fields. Plain single intents (parsed objects, or JSON
   * text JSON.parse reads as Go would) are encoded straight into the core's buffer
   * (core/encode-object.ts); everything else, and any input that needs Wrkr enrichment, takes
   * the full path. Throws GaitError like `evaluate`.
   */
  verdict(intent: IntentInput, options: EvaluateOptions = {}): GateVerdict {
    this.assertLive();
    try {
      const input = intentInput('Gate', intent);
      const value = fastPathValue(input);
      const encoded = value !== undefined && !options.wrkrInventory && options.contextEnvelope === undefined ? encodeIntentObject(value, this.loaded.compiled) : undefined;
      if (encoded) {
        const d = this.engine.evaluateDecision(this.loaded, encoded);
        return { verdict: d.verdict, reason_codes: d.reason_codes, violations: d.violations, matched_rule: joinNames(d.matched_rules) };
      }
      const e = this.evaluateValue(input, value, options);
      return { verdict: e.result.verdict, reason_codes: e.result.reason_codes, violations: e.result.violations, matched_rule: e.matched_rule };
    } catch (err) {
      throw asGaitError('Gate', err);
    }
  }

  /** Evaluates an intent given as JSON text or a parsed JSON object. */
  evaluate(intent: IntentInput, options: EvaluateOptions = {}): GateEvaluation {
    this.assertLive();
    try {
      const input = intentInput('Gate', intent);
      return this.evaluateValue(input, fastPathValue(input), options);
    } catch (err) {
      throw asGaitError('Gate', err);
    }
  }

  /**
   * `intent` with `value`, what the fast paths may read of it (see fastPathValue): one-pass
   * normalization (intent/normalize-object.ts) when it takes the value, else Go's decoding.
   */
  private evaluateValue(intent: string | unknown, value: unknown, options: EvaluateOptions): GateEvaluation {
    const normalized = value !== undefined ? normalizeIntentObject(value) : undefined;
    // With an envelope, Go's decoding: a failed binding reports the intent's phase as written.
    if (normalized && options.contextEnvelope === undefined) return this.evaluateOwned(normalized, options);
    return this.evaluateRaw(typeof intent === 'string' ? decodeIntentJson(intent) : decodeIntentValue(intent), options);
  }

  /** Evaluates an intent already decoded with Go's JSON rules (intent/decode.ts). */
  evaluateRaw(raw: RawIntent, options: EvaluateOptions = {}): GateEvaluation {
    this.assertLive();
    let normalized: NormalizedIntent;
    try {
      normalized = normalizeIntent(raw, { digests: false });
    } catch (err) {
      if (!(err instanceof GaitError)) throw err;
      return this.evaluateInvalid(raw, err, options);
    }
    return this.evaluateOwned(normalized, options, raw.context?.phase ?? '');
  }

  /** Evaluates a normalized intent (claims stripped, or replaced by the envelope's). */
  evaluateNormalized(normalized: NormalizedIntent, options: EvaluateOptions = {}): GateEvaluation {
    this.assertLive();
    if (options.contextEnvelope === undefined) return this.evaluatePrepared(stripContextClaims(normalized, { digests: false }), options, '');
    return this.evaluateBound(copyIntent(normalized, { digests: false }), options);
  }

  /** A freshly normalized intent the gate owns and may change: strip its claims or bind the envelope. */
  private evaluateOwned(normalized: NormalizedIntent, options: EvaluateOptions, rawPhase = ''): GateEvaluation {
    if (options.contextEnvelope === undefined) return this.evaluatePrepared(stripContextClaimsInPlace(normalized), options, '');
    return this.evaluateBound(normalized, options, rawPhase);
  }

  /** intent.md §4.2 with an envelope: verify it, check the intent's claims, bind its evidence. */
  private evaluateBound(normalized: NormalizedIntent, options: EvaluateOptions, rawPhase = ''): GateEvaluation {
    let bound: NormalizedIntent;
    try {
      let envelope: ContextEnvelope;
      try {
        envelope = parseContextEnvelope(options.contextEnvelope!);
      } catch (err) {
        if (err instanceof GaitError) throw invalidInput(`verify context envelope: ${err.message}`);
        throw err;
      }
      checkContextClaims(normalized.context, envelope);
      bound = withContextEvidence(normalized, contextEvidence(envelope, options.now ?? nowTime()), { digests: false });
    } catch (err) {
      if (!(err instanceof GaitError)) throw err;
      return this.evaluateUnbound(normalized, err, options, rawPhase);
    }
    return this.evaluatePrepared(bound, options, 'context_envelope');
  }

  /** The rest of an evaluation, given a prepared intent the gate owns (claims stripped or bound). */
  private evaluatePrepared(intent: NormalizedIntent, options: EvaluateOptions, envelopeSource: string): GateEvaluation {
    let prepared = intent;
    const inventory = options.wrkrInventory;
    const source = options.wrkrSource || 'wrkr_inventory';
    let wrkrHit = false;
    let stepContext: ((tool: string) => WrkrContext | undefined) | undefined;
    if (inventory) {
      if (prepared.script) {
        stepContext = (tool) => {
          const e = inventory.get(tool);
          if (!e) return undefined;
          wrkrHit = true;
          return { tool: e.tool_name, data: e.data_class, endpoint: e.endpoint_class, autonomy: e.autonomy_level };
        };
      } else {
        const e = inventory.get(prepared.tool_name);
        if (e) {
          wrkrHit = true;
          prepared = withAuthContextKeys(prepared, {
            'wrkr.tool_name': e.tool_name,
            'wrkr.data_class': e.data_class,
            'wrkr.endpoint_class': e.endpoint_class,
            'wrkr.autonomy_level': e.autonomy_level,
          }, { digests: false });
        }
      }
    }
    const stepTools = prepared.script ? prepared.script.steps.map((s) => s.tool_name) : NO_STEPS;
    const encoded = encodePrepared(prepared, this.loaded.compiled, stepContext ? { stepContext } : undefined);
    const outcome = this.engine.evaluate(this.loaded, encoded, stepTools);
    // The fail-closed checks return before Wrkr context is applied and the context source is
    // recorded (policy.md §7.1 steps 3, 5, 7): no wrkr keys in the digest, no source.
    if (outcome.fail_closed) return this.assemble(outcome, intent, intent.created_at, options, '');
    return this.assemble(outcome, prepared, prepared.created_at, options, joinSources(envelopeSource, wrkrHit ? source : ''));
  }

  /**
   * An envelope that does not bind (§4.1 step 2): a fail-closed block when the policy's fail-closed
   * covers the risk class, else `normalize intent: <why>`. The intent keeps its own claims.
   */
  private evaluateUnbound(normalized: NormalizedIntent, cause: GaitError, options: EvaluateOptions, rawPhase: string): GateEvaluation {
    let outcome: CoreOutcome;
    try {
      outcome = this.engine.evaluate(this.loaded, encodeInvalidIntent(normalized.context.risk_class, this.loaded.compiled), []);
    } catch (err) {
      if (err instanceof IntentInvalidStatus) throw invalidInput(`normalize intent: ${cause.message}`);
      throw err;
    }
    return this.assemble(outcome, normalized, normalized.created_at, options, '', cause.message, rawPhase);
  }

  private evaluateInvalid(raw: RawIntent, cause: GaitError, options: EvaluateOptions): GateEvaluation {
    let outcome: CoreOutcome;
    try {
      outcome = this.engine.evaluate(this.loaded, encodeInvalidIntent(rawRiskClass(raw), this.loaded.compiled), []);
    } catch (err) {
      if (err instanceof IntentInvalidStatus) throw invalidInput(`normalize intent: ${cause.message}`);
      throw err;
    }
    return this.assemble(outcome, undefined, rawCreatedAt(raw), options, '');
  }

  private assemble(
    outcome: CoreOutcome,
    prepared: NormalizedIntent | undefined,
    createdAt: string,
    options: EvaluateOptions,
    contextSource: string,
    bindingError?: string,
    bindingPhase?: string,
  ): GateEvaluation {
    const stepVerdicts: StepVerdict[] = outcome.steps.map((s) => ({
      index: s.index,
      tool_name: s.tool_name,
      verdict: s.verdict,
      reason_codes: s.reason_codes,
      violations: s.violations,
      matched_rule: s.matched_rules.join(','),
    }));
    // Scripts join the steps' already-joined strings after sorting them whole (policy.md §13 q8).
    const matched = outcome.script
      ? sortedUnique(stepVerdicts.map((s) => s.matched_rule)).join(',')
      : joinNames(outcome.matched_rules);
    const result: GateResult = {
      schema_id: 'gait.gate.result',
      schema_version: '1.0.0',
      created_at: createdAt || ZERO_CREATED_AT,
      producer_version: options.producerVersion || '0.0.0-dev',
      verdict: outcome.verdict,
      reason_codes: outcome.reason_codes,
      violations: outcome.violations,
    };
    return new Evaluation(result, matched, this.policyDigest, prepared, contextSource, outcome, stepVerdicts, bindingError, bindingPhase);
  }
}

// `using gate = ...` where the runtime has Symbol.dispose (the type stays `dispose()`: the
// compile target's lib has no Disposable).
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
if (typeof disposeSymbol === 'symbol') {
  Object.defineProperty(DecisionGate.prototype, disposeSymbol, { value: DecisionGate.prototype.dispose, writable: true, configurable: true });
}

/** A GateEvaluation whose prepared-intent digests are computed once, on first use. */
class Evaluation implements GateEvaluation {
  private digested = false;
  private intentDigestOnly: string | undefined;
  readonly script: boolean;
  readonly step_count: number;
  readonly composite_risk_class: string;

  constructor(
    readonly result: GateResult,
    readonly matched_rule: string,
    readonly policy_digest: string,
    private readonly undigested: NormalizedIntent | undefined,
    readonly context_source: string,
    readonly outcome: CoreOutcome,
    readonly step_verdicts: StepVerdict[],
    readonly context_binding_error: string | undefined,
    readonly context_binding_phase: string | undefined = undefined,
  ) {
    this.script = outcome.script;
    this.step_count = step_verdicts.length;
    this.composite_risk_class = outcome.composite_risk_class;
  }

  get prepared(): NormalizedIntent | undefined {
    if (this.undigested && !this.digested) {
      computeIntentDigests(this.undigested, this.intentDigestOnly);
      this.digested = true;
    }
    return this.undigested;
  }

  /** Only this digest when nothing else is read (the args digest costs a second hash). */
  get intent_digest(): string {
    const n = this.undigested;
    if (!n) return '';
    if (this.digested) return n.intent_digest;
    return (this.intentDigestOnly ??= intentDigest(n));
  }

  get script_hash(): string {
    return this.undigested?.script ? this.prepared!.script_hash : '';
  }
}

/** Context sources, sorted, de-duplicated and comma-joined (policy.md §7.1 step 7). */
function joinSources(a: string, b: string): string {
  return sortedUnique([a.trim(), b.trim()].filter((s) => s !== '')).join(',');
}

/** created_at of an intent that failed normalization, in UTC (or '' when absent). */
function rawCreatedAt(raw: RawIntent): string {
  const text = (raw as { created_at?: unknown }).created_at;
  if (typeof text !== 'string' || text === '') return '';
  try {
    return formatRfc3339Nano(parseRfc3339(text), true);
  } catch {
    return '';
  }
}
