/** Decodes the core's result buffer (layout.ts O_*) into strings via the compiled policy. */
import type { Verdict } from '../policy/model.js';
import type { CompiledPolicy } from './compile.js';
import { VERDICT_NAME } from './compile.js';
import * as L from './layout.js';

export interface StepOutcome {
  index: number;
  tool_name: string;
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  /** Names of the step's tier rules, sorted. */
  matched_rules: string[];
}

/** What the core decided, before any CLI post-processing (tokens, rate limits, simulate). */
export interface CoreOutcome {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  /** Names of all rules of the winning tier (single intents), sorted. */
  matched_rules: string[];
  min_approvals: number;
  require_distinct_approvers: boolean;
  require_broker_credential: boolean;
  require_delegation: boolean;
  dataflow_triggered: boolean;
  /** The whole evaluation took a fail-closed path (no rule was evaluated). */
  fail_closed: boolean;
  /** No rule matched: the default verdict applied. */
  default_verdict: boolean;
  /** Index (into policy.rules) of the most restrictive rate limit / destructive budget, or -1. */
  rate_limit_rule: number;
  destructive_budget_rule: number;
  broker_references: string[];
  broker_scopes: string[];
  delegation_scopes: string[];
  script: boolean;
  composite_risk_class: '' | 'low' | 'medium' | 'high';
  steps: StepOutcome[];
}

/** The decision of a single intent alone: what `gate.verdict` reports. */
export interface CoreDecision {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  /** Names of all rules of the winning tier, sorted. */
  matched_rules: string[];
}

const RISK: readonly ('low' | 'medium' | 'high')[] = ['low', 'medium', 'high'];

/** The strings of the list at word `at` (`count, id*`); the next list starts at at + 1 + count. */
function readList(view: Int32Array, at: number, strings: readonly string[]): string[] {
  const n = view[at]!;
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = strings[view[at + 1 + i]!]!;
  return out;
}

export function decodeOutcome(view: Int32Array, base: number, compiled: CompiledPolicy, stepTools: readonly string[]): CoreOutcome {
  const strings = compiled.strings;
  let at = base + L.O_LISTS;
  const next = (): string[] => {
    const list = readList(view, at, strings);
    at += 1 + list.length;
    return list;
  };
  const flags = view[base + L.O_FLAGS]!;
  const composite = view[base + L.O_COMPOSITE_RISK]!;
  const outcome: CoreOutcome = {
    verdict: VERDICT_NAME[view[base + L.O_VERDICT]!]!,
    reason_codes: next(),
    violations: next(),
    matched_rules: next(),
    broker_references: next(),
    broker_scopes: next(),
    delegation_scopes: next(),
    min_approvals: view[base + L.O_MIN_APPROVALS]!,
    require_distinct_approvers: (flags & L.OF_DISTINCT_APPROVERS) !== 0,
    require_broker_credential: (flags & L.OF_BROKER) !== 0,
    require_delegation: (flags & L.OF_REQUIRE_DELEGATION) !== 0,
    dataflow_triggered: (flags & L.OF_DATAFLOW_TRIGGERED) !== 0,
    fail_closed: (flags & L.OF_FAIL_CLOSED) !== 0,
    default_verdict: (flags & L.OF_DEFAULT) !== 0,
    rate_limit_rule: view[base + L.O_RATE_RULE]!,
    destructive_budget_rule: view[base + L.O_BUDGET_RULE]!,
    script: (flags & L.OF_SCRIPT) !== 0,
    composite_risk_class: composite >= 0 ? RISK[composite]! : '',
    steps: [],
  };
  const stepCount = view[base + L.O_STEP_COUNT]!;
  for (let i = 0; i < stepCount; i++) {
    const verdict = VERDICT_NAME[view[at++]!]!;
    outcome.steps.push({ index: i, tool_name: stepTools[i] ?? '', verdict, reason_codes: next(), violations: next(), matched_rules: next() });
  }
  return outcome;
}

/** The verdict and the first three lists of a result (decodeOutcome reads the same words). */
export function decodeDecision(view: Int32Array, base: number, compiled: CompiledPolicy): CoreDecision {
  const strings = compiled.strings;
  const reasons = base + L.O_LISTS;
  const reason_codes = readList(view, reasons, strings);
  const violationsAt = reasons + 1 + reason_codes.length;
  const violations = readList(view, violationsAt, strings);
  const matched_rules = readList(view, violationsAt + 1 + violations.length, strings);
  return { verdict: VERDICT_NAME[view[base + L.O_VERDICT]!]!, reason_codes, violations, matched_rules };
}
