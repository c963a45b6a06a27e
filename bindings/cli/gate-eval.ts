/**
 * `gait gate eval` (cli.md §2): evaluate one intent, apply the gate's post-evaluation stages,
 * optionally simulate, write the signed trace, print the result.
 */
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString, type ParsedFlags } from './flags.js';
import { GaitError, invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { loadIntentFile } from '../intent/load-node.js';
import { rawRiskClass } from '../intent/normalize.js';
import { loadWrkrInventory } from '../intent/wrkr-node.js';
import { Gate, type GateEvaluation, type WrkrInventory } from '../gate.js';
import {
  startDecision, needsDelegation, applyDelegation, needsApproval, applyApproval, needsCredential, applyBroker,
  finishDecision, decisionPayload,
} from '../decision.js';
import { TOKEN_FLAGS, stageVerifyKey, delegationStage, approvalStage, registryFastPath, type FastPath } from './gate-tokens.js';
import { buildApprovalAuditRecord, buildDelegationAuditRecord, serializeAuditRecord, type ApprovalStageResult, type DelegationStageResult } from '../tokens/index.js';
import { normalizeIntent } from '../intent/normalize.js';
import { delegationDigest } from '../intent/digest.js';
import type { RawIntent } from '../intent/decode.js';
import { parseBrokerKind, validateBroker, issueCredential, type BrokerConfig, type IssuedCredential } from './broker.js';
import { sortedUnique } from '../canonical/order.js';
import { splitCsv } from '../tokens/common.js';
import type { Policy } from '../policy/model.js';
import { createEngine } from '../load/node.js';
import { checkOutputFile, writeOutputFile } from './files.js';
import { correlationId } from './envelope.js';
import { toPrettyJson } from './json.js';
import { resolveSigningKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { buildTraceRecord, traceId as computeTraceId, signTrace } from '../crypto/trace.js';
import { addSeconds, formatRfc3339Nano, nowTime, parseRfc3339Go, type RfcTime } from '../time.js';
import { ZERO_TIME_TEXT } from '../intent/digest.js';
import { limitRequests, limitsOutcome, needsCounters, type LimitsOutcome } from '../limits.js';
import { consumeLimits } from './limit-store-flag.js';
import { VERSION } from '../version.js';

export const GATE_EVAL_USAGE = `Usage:
  gait gate eval --policy <policy.yaml> --intent <intent.json> [--simulate] [--json]
                 [--wrkr-inventory <inventory.json>] [--trace-out trace.json]
                 [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>]
                 [--rate-limit-state .gait-out/gate_rate_limits.json | --rate-limit-store redis://host:6379/0]
                 [--evaluation-time <rfc3339>]
                 [--profile standard|oss-prod] [--credential-broker off|stub|env|command]
                 [--credential-env-prefix GAIT_BROKER_TOKEN_] [--credential-command <path>]
                 [--credential-command-args csv] [--credential-ref ref] [--credential-scopes csv]
                 [--credential-evidence-out path]
                 [--approval-token <token.json>] [--approval-token-chain <csv>] [--approval-token-ref ref]
                 [--approval-public-key <path>|--approval-public-key-env <VAR>]
                 [--approval-private-key <path>|--approval-private-key-env <VAR>] [--approval-audit-out audit.json]
                 [--delegation-token <token.json>] [--delegation-token-chain <csv>]
                 [--delegation-public-key <path>|--delegation-public-key-env <VAR>] [--delegation-audit-out audit.json]
                 [--approved-script-registry <registry.json>]
                 [--approved-script-public-key <path>|--approved-script-public-key-env <VAR>]
  observe first: add --simulate while tuning
  enforce later: remove --simulate once fixtures are stable
Exit codes: 0 allow/dry_run (and every --simulate run), 3 block, 4 require_approval, 6 invalid input.
`;

const STRING_FLAGS = [
  'policy', 'intent', 'wrkr-inventory', 'trace-out', 'key-mode', 'private-key', 'private-key-env', 'profile',
  'rate-limit-state', 'rate-limit-store', 'evaluation-time', 'credential-broker', 'credential-env-prefix', 'credential-command',
  'credential-command-args', 'credential-ref', 'credential-scopes', 'credential-evidence-out', ...TOKEN_FLAGS,
];
const BOOL_FLAGS = ['json', 'simulate', 'explain'];

export async function runGateEval(ctx: CommandContext, args: readonly string[]): Promise<number> {
  try {
    return await gateEval(ctx, args);
  } catch (err) {
    return printError(ctx, 'gate eval', err);
  }
}

async function gateEval(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, { strings: STRING_FLAGS, bools: BOOL_FLAGS }, false);
  if (flags.help) {
    ctx.io.stdout(GATE_EVAL_USAGE);
    return 0;
  }
  if (flags.bools.has('explain') && !ctx.json) {
    ctx.io.stdout('Run policy evaluation for a single intent request, optionally simulate non-enforcing rollout, and write signed gate artifacts.\n');
    return 0;
  }
  if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
  const policyPath = flagString(flags, 'policy');
  const intentPath = flagString(flags, 'intent');
  if (policyPath === '' || intentPath === '') throw invalidInput('both --policy and --intent are required');
  const profile = (flagString(flags, 'profile') || 'standard').trim().toLowerCase();
  if (profile !== 'standard' && profile !== 'oss-prod') {
    throw invalidInput(`unsupported --profile value "${flagString(flags, 'profile')}" (expected standard or oss-prod)`);
  }
  const simulate = flags.bools.has('simulate');
  const now = parseEvaluationTime(flagString(flags, 'evaluation-time'));
  const keyMode = (flagString(flags, 'key-mode') || 'dev').trim().toLowerCase();
  if (profile === 'oss-prod') {
    if (simulate) throw invalidInput('oss-prod profile does not allow --simulate');
    if (keyMode !== 'prod') throw invalidInput('oss-prod profile requires --key-mode prod');
    if (!flagString(flags, 'private-key') && !flagString(flags, 'private-key-env')) {
      throw invalidInput('oss-prod profile requires --private-key or --private-key-env');
    }
  }
  const broker: BrokerConfig = {
    kind: parseBrokerKind(flagString(flags, 'credential-broker')),
    envPrefix: flags.strings.has('credential-env-prefix') ? flagString(flags, 'credential-env-prefix') : 'GAIT_BROKER_TOKEN_',
    command: flagString(flags, 'credential-command'),
    commandArgs: splitCsv(flagString(flags, 'credential-command-args')),
    env: ctx.io.env,
  };
  validateBroker(broker);

  const started = performance.now();
  const policy = await loadPolicyFile(policyPath);
  const raw = await loadIntentFile(intentPath);
  const warnings = new Set<string>();

  let inventory: WrkrInventory | undefined;
  const inventoryPath = flagString(flags, 'wrkr-inventory');
  if (inventoryPath !== '') {
    try {
      inventory = await loadWrkrInventory(inventoryPath);
    } catch (err) {
      const risk = rawRiskClass(raw);
      if (profile === 'oss-prod' || risk === 'high' || risk === 'critical') {
        const message = err instanceof Error ? err.message : String(err);
        throw new GaitError(`wrkr inventory unavailable in fail-closed mode: ${message}`, 'policy_blocked');
      }
      warnings.add('wrkr inventory unavailable; continuing without context enrichment');
    }
  }

  if (profile === 'oss-prod') checkOssProdPolicy(policy, broker);
  const gate = new Gate(await createEngine(), policy);
  let evaluation = gate.evaluateRaw(raw, {
    wrkrInventory: inventory,
    wrkrSource: inventory ? path.normalize(inventoryPath) : undefined,
    producerVersion: VERSION,
  });
  let fastPath: FastPath | undefined;
  if (flagString(flags, 'approved-script-registry') !== '') {
    fastPath = await registryFastPath({
      flags, env: ctx.io.env, profile, rawRiskClass: rawRiskClass(raw), normalized: tryNormalize(raw),
      policy, policyDigest: gate.policyDigest, now, template: evaluation,
    });
    for (const w of fastPath.warnings) warnings.add(w);
    if (fastPath.evaluation) evaluation = fastPath.evaluation;
  }
  // An un-normalizable intent at a fail-closed risk class stays a block here; Gait's CLI would
  // fail re-normalizing it for the approval context (cli.md §2.3 step 14, spec README decision 2).

  const key = await resolveSigningKey(
    {
      mode: keyMode,
      privateKeyPath: flagString(flags, 'private-key') || undefined,
      privateKeyEnv: flagString(flags, 'private-key-env') || undefined,
    },
    nodeKeyIO(ctx.io.env),
  );
  for (const w of key.warnings) warnings.add(w);

  await checkOutputs(flags, evaluation);
  let limits: LimitsOutcome | undefined;
  if (needsCounters(evaluation)) {
    const requests = limitRequests(evaluation, now, policy.rules);
    limits = limitsOutcome(requests, await consumeLimits(flags, requests));
  }
  const pending = startDecision(evaluation, limits);
  // Gait echoes --approval-token-ref (trimmed) as approval_ref whatever the verdict; a granted
  // approval replaces it with the valid token ids (approval stage).
  pending.approvalRef = flagString(flags, 'approval-token-ref').trim();
  let delegation: DelegationStageResult | undefined;
  if (needsDelegation(pending)) {
    const { key: verifyKey, explicit } = await stageVerifyKey(flags, 'delegation', ctx.io.env, key.publicKey);
    if (profile === 'oss-prod' && !explicit) {
      throw invalidInput('oss-prod profile requires explicit delegation verify key (--delegation-public-key/--delegation-public-key-env or private key source)');
    }
    delegation = await delegationStage(flags, evaluation, verifyKey, now);
    applyDelegation(pending, delegation);
  }
  let approval: ApprovalStageResult | undefined;
  if (needsApproval(pending)) {
    const { key: verifyKey, explicit } = await stageVerifyKey(flags, 'approval', ctx.io.env, key.publicKey);
    if (profile === 'oss-prod' && !explicit) {
      throw invalidInput('oss-prod profile requires explicit approval verify key (--approval-public-key/--approval-public-key-env or approval private key source)');
    }
    approval = await approvalStage(flags, evaluation, verifyKey, now);
    applyApproval(pending, approval);
  }
  let issued: IssuedCredential | undefined;
  if (needsCredential(pending) && broker.kind !== 'off') {
    const outcome = evaluation.outcome;
    issued = await issueCredential(broker, {
      reference: flagString(flags, 'credential-ref').trim() || outcome.broker_references.join(','),
      scopes: sortedUnique([...outcome.broker_scopes, ...splitCsv(flagString(flags, 'credential-scopes'))]),
      toolName: evaluation.prepared?.tool_name ?? '',
      identity: evaluation.prepared?.context.identity ?? '',
      workspace: evaluation.prepared?.context.workspace ?? '',
      sessionId: evaluation.prepared?.context.session_id ?? '',
      requestId: evaluation.prepared?.context.request_id ?? '',
      now,
    });
  }
  applyBroker(pending, broker.kind !== 'off', issued && { credential_ref: issued.credential_ref, issuer: issued.broker });
  const decision = finishDecision(pending, { simulate, warnings });
  const policyDigest = evaluation.policy_digest;
  const intentDigest = evaluation.intent_digest;
  const traceId = computeTraceId(policyDigest, intentDigest, decision.verdict);
  const tracePath = resolveTracePath(flagString(flags, 'trace-out'), traceId);
  const record = buildTraceRecord({
    createdAt: evaluation.result.created_at,
    observedAt: formatRfc3339Nano(nowTime(), true),
    producerVersion: VERSION,
    traceId,
    correlationId: correlationId(ctx.argv),
    intent: evaluation.prepared,
    policyDigest,
    intentDigest,
    policyId: policy.schema_id,
    policyVersion: policy.schema_version,
    verdict: decision.verdict,
    violations: decision.violations,
    contextSource: evaluation.context_source,
    // From the intent, as Gait does: a script blocked by the fail-closed checks before the script
    // evaluation still has them in its trace (not in the printed JSON).
    script: evaluation.prepared?.script !== undefined,
    stepCount: evaluation.prepared?.script?.steps.length ?? 0,
    scriptHash: evaluation.script_hash,
    compositeRiskClass: evaluation.composite_risk_class,
    stepVerdicts: evaluation.step_verdicts,
    preApproved: fastPath?.evaluation !== undefined,
    patternId: fastPath?.patternId || undefined,
    registryReason: fastPath?.registryReason || undefined,
    approvalTokenRef: decision.approval_ref || undefined,
    delegationTokenRef: decision.delegation_ref || undefined,
    delegationChainDigest: evaluation.prepared?.delegation ? delegationDigest(evaluation.prepared) : undefined,
    reasonCodes: decision.reason_codes,
    latencyMs: performance.now() - started,
  });
  const signed = await signTrace(record, key.privateKey);
  await writeOutputFile(tracePath, toPrettyJson(signed), 0o600, 'trace record');

  // Audit records: approval whenever approvals were required or tokens evaluated; delegation
  // whenever a rule required it (cli.md §2.3 step 21).
  let approvalAuditPath: string | undefined;
  if (decision.required_approvals > 0 || (approval?.outcomes.length ?? 0) > 0) {
    approvalAuditPath = flagString(flags, 'approval-audit-out').trim() || `approval_audit_${traceId}.json`;
    await writeOutputFile(approvalAuditPath, serializeAuditRecord(buildApprovalAuditRecord({
      createdAt: evaluation.result.created_at,
      producerVersion: VERSION,
      traceId,
      toolName: evaluation.prepared?.tool_name ?? '',
      intentDigest,
      policyDigest,
      requiredApprovals: decision.required_approvals,
      entries: approval?.entries ?? [],
    })), 0o600, 'approval audit record');
  }
  let delegationAuditPath: string | undefined;
  if (decision.delegation_required) {
    delegationAuditPath = flagString(flags, 'delegation-audit-out').trim() || `delegation_audit_${traceId}.json`;
    await writeOutputFile(delegationAuditPath, serializeAuditRecord(buildDelegationAuditRecord({
      createdAt: evaluation.result.created_at,
      now,
      producerVersion: VERSION,
      traceId,
      toolName: evaluation.prepared?.tool_name ?? '',
      intentDigest,
      policyDigest,
      delegationRequired: true,
      delegationRef: decision.delegation_ref || undefined,
      entries: delegation?.entries ?? [],
    })), 0o600, 'delegation audit record');
  }
  let evidencePath: string | undefined;
  if (issued && decision.credential) {
    evidencePath = flagString(flags, 'credential-evidence-out').trim() || `credential_evidence_${traceId}.json`;
    // Gait v1.3.6's record: created_at is the evaluation's (the intent's) time; issue and expiry
    // times are known only for the stub (issued now, for its TTL), else Go's zero time; an empty
    // reference or scope and a zero TTL are left out.
    const issuedAt = issued.issued_at;
    await writeOutputFile(evidencePath, toPrettyJson({
      schema_id: 'gait.gate.broker_credential_record',
      schema_version: '1.0.0',
      created_at: evaluation.result.created_at,
      producer_version: VERSION,
      trace_id: traceId,
      tool_name: evaluation.prepared?.tool_name ?? '',
      identity: evaluation.prepared?.context.identity ?? '',
      broker: issued.broker,
      reference: issued.reference || undefined,
      scope: issued.scope.length > 0 ? issued.scope : undefined,
      credential_ref: issued.credential_ref,
      issued_at: issuedAt ? formatRfc3339Nano(issuedAt, true) : ZERO_TIME_TEXT,
      expires_at: issuedAt ? formatRfc3339Nano(addSeconds(issuedAt, issued.ttl_seconds), true) : ZERO_TIME_TEXT,
      ttl_seconds: issued.ttl_seconds || undefined,
    }), 0o600, 'credential evidence record');
  }
  if (ctx.json) {
    return printJson(ctx, decisionPayload(decision, {
      profile, trace_id: traceId, trace_path: tracePath, credential_evidence_path: evidencePath,
      approval_audit_path: approvalAuditPath, delegation_audit_path: delegationAuditPath,
      pre_approved: fastPath?.evaluation !== undefined, pattern_id: fastPath?.patternId, registry_reason: fastPath?.registryReason,
    }), decision.exit_code);
  }
  const lines = [`gate eval: verdict=${decision.verdict}`, `trace: ${tracePath}`];
  if (decision.simulated) {
    lines.push(`simulate: would_have_blocked=${decision.simulated.would_have_blocked} simulated_verdict=${decision.simulated.verdict}`);
  }
  if (decision.reason_codes.length) lines.push(`reasons: ${decision.reason_codes.join(',')}`);
  if (decision.violations.length) lines.push(`violations: ${decision.violations.join(',')}`);
  if (decision.required_approvals > 0) lines.push(`approvals: ${decision.valid_approvals}/${decision.required_approvals}`);
  if (approvalAuditPath) lines.push(`approval audit: ${approvalAuditPath}`);
  if (decision.delegation_required) lines.push(`delegations: ${decision.valid_delegations}`);
  if (delegationAuditPath) lines.push(`delegation audit: ${delegationAuditPath}`);
  if (decision.credential) lines.push(`credential: ${decision.credential.credential_ref} (${decision.credential.issuer})`);
  if (evidencePath) lines.push(`credential evidence: ${evidencePath}`);
  for (const w of decision.warnings) lines.push(`warning: ${w}`);
  ctx.io.stdout(lines.join('\n') + '\n');
  return decision.exit_code;
}

/** The plain normalized intent (claims kept) for registry matching, or undefined if invalid. */
function tryNormalize(raw: RawIntent) {
  try {
    return normalizeIntent(raw);
  } catch {
    return undefined;
  }
}

/**
 * cli.md §2.10 / policy.md §3.5: under oss-prod, every allow or approval rule that matches high
 * or critical risk must require a broker credential, and a broker must be configured.
 */
function checkOssProdPolicy(policy: Policy, broker: BrokerConfig): void {
  const highRisk = policy.rules.filter(
    (r) => r.effect !== 'block' && r.match.risk_classes.some((c) => c === 'high' || c === 'critical'),
  );
  if (highRisk.some((r) => !r.require_broker_credential)) {
    throw invalidInput('oss-prod profile requires high-risk allow/approval rules to set require_broker_credential: true');
  }
  if (highRisk.length > 0 && broker.kind === 'off') {
    throw invalidInput('oss-prod profile requires --credential-broker for high-risk policies');
  }
}

/** `--evaluation-time` (RFC 3339) fixes "now" for windows and budgets; default: the clock. */
export function parseEvaluationTime(text: string): RfcTime {
  if (text.trim() === '') return nowTime();
  try {
    return parseRfc3339Go(text.trim());
  } catch (err) {
    throw invalidInput(`invalid --evaluation-time: ${(err as Error).message}`);
  }
}

/**
 * Every output this evaluation may write, checked before rate-limit counts are consumed or
 * anything is written, so a bad output path (a FIFO, a device, a directory, a `..` trace path)
 * fails with nothing done. The default names depend on the final verdict: all are checked.
 */
async function checkOutputs(flags: ParsedFlags, evaluation: GateEvaluation): Promise<void> {
  const ids = (['allow', 'block', 'require_approval', 'dry_run'] as const).map((v) => computeTraceId(evaluation.policy_digest, evaluation.intent_digest, v));
  const outputs: [flag: string, what: string, byDefault: (id: string) => string][] = [
    ['trace-out', 'trace record', (id) => resolveTracePath('', id)],
    ['approval-audit-out', 'approval audit record', (id) => `approval_audit_${id}.json`],
    ['delegation-audit-out', 'delegation audit record', (id) => `delegation_audit_${id}.json`],
    ['credential-evidence-out', 'credential evidence record', (id) => `credential_evidence_${id}.json`],
  ];
  const checks = outputs.flatMap(([flag, what, byDefault]) => {
    const given = flagString(flags, flag).trim();
    const paths = given !== '' ? [flag === 'trace-out' ? resolveTracePath(given, '') : given] : ids.map(byDefault);
    return paths.map((p) => checkOutputFile(p, what));
  });
  // All at once; the first failure in the order above is reported.
  const failed = (await Promise.allSettled(checks)).find((c) => c.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** cli.md §2.8 trace path rules. */
function resolveTracePath(flag: string, traceId: string): string {
  if (flag.trim() === '') return `trace_${traceId}.json`;
  const cleaned = path.normalize(flag.trim());
  if (cleaned === '.' || cleaned === '/') throw invalidInput('trace path is required');
  if (!path.isAbsolute(cleaned) && cleaned.split(path.sep).includes('..')) {
    throw invalidInput('relative trace path must not traverse parent directories');
  }
  return cleaned;
}
