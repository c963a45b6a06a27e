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
  /** Token stage results, when tokens were presented. */
  delegation?: DelegationStage;
  approval?: ApprovalStage;
}

export interface Decision {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
  warnings: string[];
  required_approvals: number;
  valid_approvals: number;
  approval_ref: string;
  delegation_required: boolean;
  valid_delegations: number;
  delegation_ref: string;
  limits: LimitsOutcome;
  credential?: IssuedCredentialSummary;
  simulated?: { verdict: Verdict; reason_codes: string[]; would_have_blocked: boolean };
  /** 0 allow/dry_run and every simulated run, 3 block, 4 require_approval. */
  exit_code: number;
  evaluation: GateEvaluation;
}

export function verdictExitCode(verdict: Verdict): number {
  return verdict === 'block' ? 3 : verdict === 'require_approval' ? 4 : 0;
}

/** Work in progress between the stages; `decide` runs them all. */
export interface PendingDecision {
  verdict: Verdict;
  reasons: Set<string>;
  violations: Set<string>;
  requiredApprovals: number;
  validApprovals: number;
  approvalRef: string;
  delegationRequired: boolean;
  validDelegations: number;
  delegationRef: string;
  limits: LimitsOutcome;
  credential?: IssuedCredentialSummary;
  evaluation: GateEvaluation;
}

/** What the decision keeps of an issued broker credential: references only, never secrets. */
export interface IssuedCredentialSummary {
  credential_ref: string;
  issuer: string;
}

/** The delegation stage's result (tokens/delegation.ts evaluateDelegations). */
export interface DelegationStage {
  verdict: 'block' | null;
  reasonCodes: readonly string[];
  violations: readonly string[];
  delegationRef: string;
  validDelegations: number;
}

/** The approval stage's result (tokens/approval.ts evaluateApprovals). */
export interface ApprovalStage {
  granted: boolean;
  reasonCodes: readonly string[];
  violations: readonly string[];
  approvalRef: string;
  requiredApprovals: number;
  validApprovals: number;
}

/**
 * Steps 15-16: rate limit and destructive budget, counted whatever the verdict. Required
 * approvals start at the evaluation's minimum, as in Gait v1.3.6: a verdict that ends up other
 * than `require_approval` (a rate limit, a missing delegation token, a script's mixed-risk block
 * over require_approval steps) still reports them, and the CLI writes their approval audit.
 */
export function startDecision(evaluation: GateEvaluation, limits: LimitsOutcome = {}): PendingDecision {
  const d: PendingDecision = {
    verdict: evaluation.result.verdict,
    reasons: new Set(evaluation.result.reason_codes),
    violations: new Set(evaluation.result.violations),
    requiredApprovals: evaluation.outcome.min_approvals,
    validApprovals: 0,
    approvalRef: '',
    delegationRequired: false,
    validDelegations: 0,
    delegationRef: '',
    limits,
    evaluation,
  };
  if (limits.rateLimit?.exceeded) block(d, 'rate_limit_exceeded', 'rate_limit_exceeded');
  if (limits.destructiveBudget?.exceeded) block(d, 'destructive_budget_exceeded', 'destructive_budget_exceeded');
  return d;
}

/** Does step 17 run? (a winning rule requires delegation) */
export function needsDelegation(d: PendingDecision): boolean {
  return d.evaluation.outcome.require_delegation;
}

/** Step 17. Without a stage result (no tokens), the call blocks with `delegation_token_missing`. */
export function applyDelegation(d: PendingDecision, stage: DelegationStage | undefined): void {
  if (!needsDelegation(d)) return;
  d.delegationRequired = true;
  if (!stage) {
    block(d, 'delegation_token_missing', 'delegation_not_granted');
    return;
  }
  for (const r of stage.reasonCodes) d.reasons.add(r);
  for (const v of stage.violations) d.violations.add(v);
  if (stage.verdict === 'block') d.verdict = 'block';
  d.validDelegations = stage.validDelegations;
  d.delegationRef = stage.delegationRef;
}

/** Does step 18 run? (the verdict is require_approval) */
export function needsApproval(d: PendingDecision): boolean {
  return d.verdict === 'require_approval';
}

/** Step 18. Without a stage result (no tokens), require_approval stands, reported as missing. */
export function applyApproval(d: PendingDecision, stage: ApprovalStage | undefined): void {
  if (!needsApproval(d)) return;
  if (!stage) {
    d.requiredApprovals = Math.max(d.evaluation.outcome.min_approvals, 1);
    d.reasons.add('approval_token_missing');
    d.violations.add('approval_not_granted');
    return;
  }
  for (const r of stage.reasonCodes) d.reasons.add(r);
  for (const v of stage.violations) d.violations.add(v);
  d.requiredApprovals = stage.requiredApprovals;
  d.validApprovals = stage.validApprovals;
  d.approvalRef = stage.approvalRef;
  if (stage.granted) d.verdict = 'allow';
}

/** Stages before the credential broker, for callers whose token results are ready (or absent). */
export function decideBeforeBroker(evaluation: GateEvaluation, options: DecideOptions = {}): PendingDecision {
  const d = startDecision(evaluation, options.limits);
  applyDelegation(d, options.delegation);
  applyApproval(d, options.approval);
  return d;
}

function block(d: PendingDecision, reason: string, violation: string): void {
  d.verdict = 'block';
  d.reasons.add(reason);
  d.violations.add(violation);
}

/** Does the broker stage (step 19) have to issue a credential? */
export function needsCredential(d: PendingDecision): boolean {
  return d.evaluation.outcome.require_broker_credential && d.verdict === 'allow';
}

/** Step 19: `credential` is what the broker issued (undefined: none configured, or it failed). */
export function applyBroker(d: PendingDecision, brokerConfigured: boolean, credential: IssuedCredentialSummary | undefined): void {
  if (!needsCredential(d)) return;
  if (!brokerConfigured) block(d, 'broker_credential_required', 'broker_credential_missing');
  else if (!credential) block(d, 'broker_credential_missing', 'broker_credential_missing');
  else {
    d.reasons.add('broker_credential_present');
    d.credential = credential;
  }
}

/** Step 20 (simulate) and the final shape. */
export function finishDecision(d: PendingDecision, options: DecideOptions = {}): Decision {
  let verdict = d.verdict;
  let exitCode = verdictExitCode(verdict);
  let simulated: Decision['simulated'];
  if (options.simulate) {
    const wouldHaveBlocked = verdict === 'block' || verdict === 'require_approval';
    simulated = { verdict, reason_codes: sortedUnique(d.reasons), would_have_blocked: wouldHaveBlocked };
    d.reasons.add('simulate_mode_non_enforcing');
    if (wouldHaveBlocked) {
      d.reasons.add(`simulated_${verdict}`);
      verdict = 'allow';
      d.violations.clear();
    }
    exitCode = 0;
  }
  return {
    verdict,
    reason_codes: sortedUnique(d.reasons),
    violations: sortedUnique(d.violations),
    warnings: sortedUnique(options.warnings ?? []),
    required_approvals: d.requiredApprovals,
    valid_approvals: d.validApprovals,
    approval_ref: d.approvalRef,
    delegation_required: d.delegationRequired,
    valid_delegations: d.validDelegations,
    delegation_ref: d.delegationRef,
    limits: d.limits,
    credential: d.credential,
    simulated,
    exit_code: exitCode,
    evaluation: d.evaluation,
  };
}

/**
 * All stages at once, for callers without an asynchronous broker: a rule that requires a broker
 * credential blocks unless `credential` is given.
 */
export function decide(evaluation: GateEvaluation, options: DecideOptions & { credential?: IssuedCredentialSummary } = {}): Decision {
  const d = decideBeforeBroker(evaluation, options);
  applyBroker(d, options.credential !== undefined, options.credential);
  return finishDecision(d, options);
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
  valid_approvals?: number;
  approval_ref?: string;
  approval_audit_path?: string;
  delegation_required?: boolean;
  valid_delegations?: number;
  delegation_ref?: string;
  delegation_audit_path?: string;
  pre_approved?: boolean;
  pattern_id?: string;
  registry_reason?: string;
  rate_limit_scope?: string;
  rate_limit_key?: string;
  rate_limit_used?: number;
  rate_limit_remaining?: number;
  destructive_budget_scope?: string;
  destructive_budget_key?: string;
  destructive_budget_used?: number;
  destructive_budget_remaining?: number;
  credential_issuer?: string;
  credential_ref?: string;
  credential_evidence_path?: string;
  trace_id?: string;
  trace_path?: string;
  policy_digest: string;
  intent_digest?: string;
  context_source?: string;
  context_set_digest?: string;
  context_evidence_mode?: string;
  context_ref_count?: number;
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
export interface PayloadExtras {
  profile?: string;
  trace_id?: string;
  trace_path?: string;
  credential_evidence_path?: string;
  approval_audit_path?: string;
  delegation_audit_path?: string;
  pre_approved?: boolean;
  pattern_id?: string;
  registry_reason?: string;
}

export function decisionPayload(d: Decision, extra: PayloadExtras = {}): DecisionPayload {
  const e = d.evaluation;
  const context = e.prepared?.context;
  return {
    ok: true,
    profile: extra.profile ?? 'standard',
    verdict: d.verdict,
    reason_codes: d.reason_codes.length ? d.reason_codes : undefined,
    violations: d.violations.length ? d.violations : undefined,
    required_approvals: d.required_approvals || undefined,
    valid_approvals: d.valid_approvals || undefined,
    approval_ref: d.approval_ref || undefined,
    approval_audit_path: extra.approval_audit_path,
    delegation_required: d.delegation_required || undefined,
    valid_delegations: d.valid_delegations || undefined,
    delegation_ref: d.delegation_ref || undefined,
    delegation_audit_path: extra.delegation_audit_path,
    pre_approved: extra.pre_approved || undefined,
    pattern_id: extra.pattern_id || undefined,
    registry_reason: extra.registry_reason || undefined,
    rate_limit_scope: d.limits.rateLimit?.scope,
    rate_limit_key: d.limits.rateLimit?.key,
    rate_limit_used: d.limits.rateLimit?.used || undefined,
    rate_limit_remaining: d.limits.rateLimit?.remaining || undefined,
    destructive_budget_scope: d.limits.destructiveBudget?.scope,
    destructive_budget_key: d.limits.destructiveBudget?.key,
    destructive_budget_used: d.limits.destructiveBudget?.used || undefined,
    destructive_budget_remaining: d.limits.destructiveBudget?.remaining || undefined,
    credential_issuer: d.credential?.issuer,
    credential_ref: d.credential?.credential_ref,
    credential_evidence_path: extra.credential_evidence_path,
    trace_id: extra.trace_id,
    trace_path: extra.trace_path,
    policy_digest: e.policy_digest,
    intent_digest: e.intent_digest || undefined,
    context_source: e.context_source || undefined,
    context_set_digest: context?.context_set_digest || undefined,
    context_evidence_mode: context?.context_evidence_mode || undefined,
    context_ref_count: context?.context_refs.length || undefined,
    script: e.script || undefined,
    step_count: e.step_count || undefined,
    // Only when the script evaluation ran (Gait prints none for a script the fail-closed checks blocked).
    script_hash: (e.script && e.script_hash) || undefined,
    composite_risk_class: e.composite_risk_class || undefined,
    step_verdicts: e.step_verdicts.length ? e.step_verdicts.map(stepPayload) : undefined,
    matched_rule: e.matched_rule || undefined,
    // Gait prints the phase of the evaluated intent; when the envelope did not bind, the intent's
    // phase as written (none if it has none).
    phase: e.context_binding_error === undefined ? context?.phase : e.context_binding_phase || undefined,
    simulate_mode: d.simulated ? true : undefined,
    would_have_blocked: d.simulated?.would_have_blocked || undefined,
    simulated_verdict: d.simulated?.verdict,
    simulated_reason_codes: d.simulated?.reason_codes.length ? d.simulated.reason_codes : undefined,
    warnings: d.warnings.length ? d.warnings : undefined,
  };
}
