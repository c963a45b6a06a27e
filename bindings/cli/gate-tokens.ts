/**
 * gate eval's signed-artifact stages (cli.md §2.3 steps 13, 17, 18; signed_artifacts.md §1.6):
 * which key verifies what, reading token files, the delegation and approval stages, and the
 * approved-script fast path. Keys are loaded only when their stage runs.
 */
import type { ParsedFlags } from './flags.js';
import { flagString } from './flags.js';
import { invalidInput, type GaitError } from '../errors.js';
import { readRegularFile, readOptionalInputFile, readFailureText } from './files.js';
import { resolveVerifyKey, type KeySources } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import type { GateEvaluation } from '../gate.js';
import type { NormalizedIntent } from '../intent/model.js';
import type { Policy } from '../policy/model.js';
import type { RfcTime } from '../time.js';
import { formatRfc3339Nano, nowTime } from '../time.js';
import {
  mergeTokenPaths, parseApprovalToken, parseDelegationToken, approvalContext, evaluateApprovals, evaluateDelegations,
  readRegistry, verifyRegistry, isRegistryFailClosed, registryFailureDecision, matchApprovedScriptIntent,
  preApprovedOutcome, CONTEXT_EVIDENCE_WARNING, MAX_ARTIFACT_BYTES, type ApprovalStageResult, type DelegationStageResult,
} from '../tokens/index.js';

export const TOKEN_FLAGS = [
  'approval-token', 'approval-token-chain', 'approval-token-ref', 'approval-public-key', 'approval-public-key-env',
  'approval-private-key', 'approval-private-key-env', 'approval-audit-out', 'delegation-token', 'delegation-token-chain',
  'delegation-public-key', 'delegation-public-key-env', 'delegation-private-key', 'delegation-private-key-env',
  'delegation-audit-out', 'approved-script-registry', 'approved-script-public-key', 'approved-script-public-key-env',
];

function sources(flags: ParsedFlags, prefix: string): KeySources | undefined {
  const s: KeySources = {
    publicKeyPath: flagString(flags, `${prefix}-public-key`) || undefined,
    publicKeyEnv: flagString(flags, `${prefix}-public-key-env`) || undefined,
    privateKeyPath: flagString(flags, `${prefix}-private-key`) || undefined,
    privateKeyEnv: flagString(flags, `${prefix}-private-key-env`) || undefined,
  };
  return s.publicKeyPath || s.publicKeyEnv || s.privateKeyPath || s.privateKeyEnv ? s : undefined;
}

/**
 * The verify key for a stage: its own flags, then (delegation, registry) the approval flags,
 * then (approval, delegation) the trace signing key. undefined = nothing configured.
 */
export async function stageVerifyKey(
  flags: ParsedFlags,
  stage: 'approval' | 'delegation' | 'approved-script',
  env: Readonly<Record<string, string | undefined>>,
  traceKey: Uint8Array | undefined,
): Promise<{ key: Uint8Array | undefined; explicit: boolean }> {
  const own = sources(flags, stage) ?? (stage !== 'approval' ? sources(flags, 'approval') : undefined);
  if (own) return { key: (await resolveVerifyKey(own, nodeKeyIO(env))).publicKey, explicit: true };
  return { key: stage === 'approved-script' ? undefined : traceKey, explicit: false };
}

/** A token file: a regular file of at most MAX_ARTIFACT_BYTES. */
async function readToken(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, MAX_ARTIFACT_BYTES);
  } catch (err) {
    throw invalidInput(`read ${what}: ${readFailureText(err, path)}`);
  }
}

export function tokenPaths(flags: ParsedFlags, kind: 'approval' | 'delegation'): string[] {
  return mergeTokenPaths(flagString(flags, `${kind}-token`) || undefined, flagString(flags, `${kind}-token-chain`) || undefined);
}

export async function delegationStage(
  flags: ParsedFlags, evaluation: GateEvaluation, key: Uint8Array | undefined, now: RfcTime,
): Promise<DelegationStageResult | undefined> {
  const paths = tokenPaths(flags, 'delegation');
  if (paths.length === 0) return undefined;
  const tokens = [];
  for (const path of paths) tokens.push({ path, token: parseDelegationToken(await readToken(path, 'delegation token')) });
  return evaluateDelegations({
    delegation: evaluation.prepared?.delegation,
    tokens,
    verifyKey: key,
    now,
    requiredScopes: evaluation.outcome.delegation_scopes,
    intentDigest: evaluation.intent_digest,
    policyDigest: evaluation.policy_digest,
  });
}

export async function approvalStage(
  flags: ParsedFlags, evaluation: GateEvaluation, key: Uint8Array | undefined, now: RfcTime,
): Promise<ApprovalStageResult | undefined> {
  const paths = tokenPaths(flags, 'approval');
  if (paths.length === 0 || !evaluation.prepared) return undefined;
  const tokens = [];
  for (const path of paths) tokens.push({ path, token: parseApprovalToken(await readToken(path, 'approval token')) });
  return evaluateApprovals({
    tokens,
    context: approvalContext(evaluation.prepared, evaluation.policy_digest),
    minApprovals: evaluation.outcome.min_approvals,
    requireDistinctApprovers: evaluation.outcome.require_distinct_approvers,
    verifyKey: key,
    now,
    approvalTokenRef: flagString(flags, 'approval-token-ref').trim() || undefined,
  });
}

export interface FastPath {
  /** Set on a match: the evaluation that replaces policy evaluation. */
  evaluation?: GateEvaluation;
  registryReason: string;
  patternId: string;
  warnings: string[];
}

/**
 * Step 13: the approved-script registry. A failure blocks (throws a policy_blocked GaitError)
 * in fail-closed mode and only disables the fast path otherwise; it never creates an allow.
 */
export async function registryFastPath(input: {
  flags: ParsedFlags;
  env: Readonly<Record<string, string | undefined>>;
  profile: string;
  rawRiskClass: string;
  normalized: NormalizedIntent | undefined;
  policy: Policy;
  policyDigest: string;
  now: RfcTime;
  template: GateEvaluation;
}): Promise<FastPath> {
  const path = flagString(input.flags, 'approved-script-registry');
  const failClosed = isRegistryFailClosed(input.profile, input.rawRiskClass);
  const out: FastPath = { registryReason: '', patternId: '', warnings: [] };
  const fail = (kind: Parameters<typeof registryFailureDecision>[0], detail?: string, entryIndex?: number): FastPath => {
    const d = registryFailureDecision(kind, { failClosed, detail, entryIndex });
    if (d.failClosed) throw d.error as GaitError;
    out.warnings.push(d.warning);
    return out;
  };
  let registry;
  try {
    registry = await readRegistry(path, { readFile: (p) => readOptionalInputFile(p, MAX_ARTIFACT_BYTES) });
  } catch (err) {
    return fail('registry_unavailable', (err as Error).message);
  }
  const { key } = await stageVerifyKey(input.flags, 'approved-script', input.env, undefined);
  if (!key) return fail('verify_key_missing');
  const verification = await verifyRegistry(registry, key, input.now);
  if (!verification.ok) return fail('entry_verification_failed', verification.error, verification.index);
  // No verified entry (a missing or empty registry): nothing to match, so, as in Gait, no fast path
  // at all: no context-evidence warning, no registry_reason. The fail-closed checks above (read,
  // verify key, entries) have run; an intent the gate cannot normalize is judged by the evaluation.
  if (registry.entries.length === 0) return out;
  const needsEvidence = input.policy.rules.some((r) => r.require_context_evidence || r.required_context_evidence_mode === 'required' || r.max_context_age_seconds > 0);
  if (needsEvidence) {
    out.warnings.push(CONTEXT_EVIDENCE_WARNING);
    return out;
  }
  if (!input.normalized) return fail('match_failed', 'intent could not be normalized');
  const match = matchApprovedScriptIntent(registry, input.normalized, input.policyDigest, input.now);
  out.registryReason = match.reason;
  if (!match.match) return out;
  out.patternId = match.pattern_id;
  const pre = preApprovedOutcome(input.normalized, match.pattern_id);
  const t = input.template;
  out.evaluation = {
    ...t,
    result: { ...t.result, created_at: formatRfc3339Nano(nowTime(), true), verdict: 'allow', reason_codes: ['approved_script_match'], violations: [] },
    matched_rule: '',
    intent_digest: input.normalized.intent_digest,
    prepared: input.normalized,
    context_source: '',
    context_binding_error: undefined, // the fast path does not bind an envelope
    outcome: {
      ...t.outcome, verdict: 'allow', reason_codes: ['approved_script_match'], violations: [], matched_rules: [],
      min_approvals: 0, require_distinct_approvers: false, require_broker_credential: false, require_delegation: false,
      rate_limit_rule: -1, destructive_budget_rule: -1, broker_references: [], broker_scopes: [], delegation_scopes: [],
    },
    script: true,
    step_count: pre.step_count,
    script_hash: pre.script_hash,
    composite_risk_class: pre.composite_risk_class,
    step_verdicts: pre.step_verdicts.map((s) => ({ ...s, matched_rule: '' })),
  };
  return out;
}
