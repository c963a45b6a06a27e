/**
 * The gate decision: the core's evaluation plus the gate's post-evaluation stages (cli.md §2.3
 * steps 15-20: delegation, approval, broker, simulate) and the result object the CLI prints.
 * Shared by `gait gate eval` and the library API, so both give the same answer.
 */
import type { Verdict } from './policy/model.js';
import type { GateEvaluation, StepVerdict } from './gate.js';
import { sortedUnique } from './canonical/order.js';
import type { LimitsOutcome } from './limits.js';

export interface DecideOptions {
  /** Non-enforcing observe mode (cli.md §2.5). */
  simulate?: boolean;
  /** Warnings gathered before evaluation (key mode, Wrkr fallback), reported sorted. */
  warnings?: Iterable<string>;
  /** Rate-limit and destructive-budget counts already taken for this evaluation (limits.ts). */
  limits?: LimitsOutcome;
}

export interface Decision {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  warnings: string[];
  required_approvals: number;
  delegation_required: boolean;
  limits: LimitsOutcome;
  simulated?: { verdict: Verdict; reason_codes: string[]; would_have_blocked: boolean };
  /** 0 allow/dry_run and every simulated run, 3 block, 4 require_approval. */
  exit_code: number;
  evaluation: GateEvaluation;
}

export function verdictExitCode(verdict: Verdict): number {
  return verdict === 'block' ? 3 : verdict === 'require_approval' ? 4 : 0;
}

export function decide(evaluation: GateEvaluation, options: DecideOptions = {}): Decision {
  let verdict = evaluation.result.verdict;
  const reasons = new Set(evaluation.result.reason_codes);
  const violations = new Set(evaluation.result.violations);
  const outcome = evaluation.outcome;
  let requiredApprovals = 0;
  let delegationRequired = false;

  // Rate limit and destructive budget (steps 15-16): counted whatever the verdict.
  const limits = options.limits ?? {};
  if (limits.rateLimit?.exceeded) {
    verdict = 'block';
    reasons.add('rate_limit_exceeded');
    violations.add('rate_limit_exceeded');
  }
  if (limits.destructiveBudget?.exceeded) {
    verdict = 'block';
    reasons.add('destructive_budget_exceeded');
    violations.add('destructive_budget_exceeded');
  }
  // Delegation (step 17) without tokens: a winning rule that requires delegation blocks.
  if (outcome.require_delegation) {
    delegationRequired = true;
    verdict = 'block';
    reasons.add('delegation_token_missing');
    violations.add('delegation_not_granted');
  }
  // Approval (step 18) without tokens: require_approval stands, reported as missing.
  if (verdict === 'require_approval') {
    requiredApprovals = Math.max(outcome.min_approvals, 1);
    reasons.add('approval_token_missing');
    violations.add('approval_not_granted');
  }
  // Broker (step 19) with no broker configured: an allow that needs a credential blocks.
  if (outcome.require_broker_credential && verdict === 'allow') {
    verdict = 'block';
    reasons.add('broker_credential_required');
    violations.add('broker_credential_missing');
  }

  let exitCode = verdictExitCode(verdict);
  let simulated: Decision['simulated'];
  if (options.simulate) {
    const wouldHaveBlocked = verdict === 'block' || verdict === 'require_approval';
    simulated = { verdict, reason_codes: sortedUnique(reasons), would_have_blocked: wouldHaveBlocked };
    reasons.add('simulate_mode_non_enforcing');
    if (wouldHaveBlocked) {
      reasons.add(`simulated_${verdict}`);
      verdict = 'allow';
      violations.clear();
    }
    exitCode = 0;
  }
  return {
    verdict,
    reason_codes: sortedUnique(reasons),
    violations: sortedUnique(violations),
    warnings: sortedUnique(options.warnings ?? []),
    required_approvals: requiredApprovals,
    delegation_required: delegationRequired,
    limits,
    simulated,
    exit_code: exitCode,
    evaluation,
  };
}

function stepPayload(s: StepVerdict): StepVerdictPayload {
  return {
    index: s.index,
    tool_name: s.tool_name,
    verdict: s.verdict,
    reason_codes: s.reason_codes.length ? s.reason_codes : undefined,
    violations: s.violations.length ? s.violations : undefined,
    matched_rule: s.matched_rule || undefined,
  };
}

export interface StepVerdictPayload {
  index: number;
  tool_name: string;
  verdict: Verdict;
  reason_codes?: string[];
  violations?: string[];
  matched_rule?: string;
}

/** The `gate eval --json` object (cli.md §2.6). Empty, zero and false members are absent. */
export interface DecisionPayload {
  ok: true;
  profile: string;
  verdict: Verdict;
  reason_codes?: string[];
  violations?: string[];
  required_approvals?: number;
  delegation_required?: boolean;
  rate_limit_scope?: string;
  rate_limit_key?: string;
  rate_limit_used?: number;
  rate_limit_remaining?: number;
  destructive_budget_scope?: string;
  destructive_budget_key?: string;
  destructive_budget_used?: number;
  destructive_budget_remaining?: number;
  trace_id?: string;
  trace_path?: string;
  policy_digest: string;
  intent_digest?: string;
  context_source?: string;
  script?: boolean;
  step_count?: number;
  script_hash?: string;
  composite_risk_class?: string;
  step_verdicts?: StepVerdictPayload[];
  matched_rule?: string;
  phase?: string;
  simulate_mode?: boolean;
  would_have_blocked?: boolean;
  simulated_verdict?: Verdict;
  simulated_reason_codes?: string[];
  warnings?: string[];
}

/** Builds the result object; undefined members are dropped by every JSON writer. */
export function decisionPayload(d: Decision, extra: { profile?: string; trace_id?: string; trace_path?: string } = {}): DecisionPayload {
  const e = d.evaluation;
  return {
    ok: true,
    profile: extra.profile ?? 'standard',
    verdict: d.verdict,
    reason_codes: d.reason_codes.length ? d.reason_codes : undefined,
    violations: d.violations.length ? d.violations : undefined,
    required_approvals: d.required_approvals || undefined,
    delegation_required: d.delegation_required || undefined,
    rate_limit_scope: d.limits.rateLimit?.scope,
    rate_limit_key: d.limits.rateLimit?.key,
    rate_limit_used: d.limits.rateLimit?.used || undefined,
    rate_limit_remaining: d.limits.rateLimit?.remaining || undefined,
    destructive_budget_scope: d.limits.destructiveBudget?.scope,
    destructive_budget_key: d.limits.destructiveBudget?.key,
    destructive_budget_used: d.limits.destructiveBudget?.used || undefined,
    destructive_budget_remaining: d.limits.destructiveBudget?.remaining || undefined,
    trace_id: extra.trace_id,
    trace_path: extra.trace_path,
    policy_digest: e.policy_digest,
    intent_digest: e.intent_digest || undefined,
    context_source: e.context_source || undefined,
    script: e.script || undefined,
    step_count: e.step_count || undefined,
    script_hash: e.script_hash || undefined,
    composite_risk_class: e.composite_risk_class || undefined,
    step_verdicts: e.step_verdicts.length ? e.step_verdicts.map(stepPayload) : undefined,
    matched_rule: e.matched_rule || undefined,
    phase: e.prepared?.context.phase,
    simulate_mode: d.simulated ? true : undefined,
    would_have_blocked: d.simulated?.would_have_blocked || undefined,
    simulated_verdict: d.simulated?.verdict,
    simulated_reason_codes: d.simulated?.reason_codes.length ? d.simulated.reason_codes : undefined,
    warnings: d.warnings.length ? d.warnings : undefined,
  };
}
