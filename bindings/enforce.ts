/**
 * The enforcement pipeline: `gait gate eval`'s processing order (cli.md §2.3) as a library
 * function. Evaluation, the approved-script fast path, rate limits and destructive budgets,
 * delegation and approval tokens, the credential broker, simulate and profile rules, the signed
 * trace and the audit records, in Gait's order. Everything with I/O is an injected port: the
 * limit store, keys (values or lazy loaders), token and registry loaders, the broker, the
 * artifact sink and the clock. The CLI is one adapter over it (cli/gate-eval.ts): files in,
 * files out; an edge function passes values and a Durable Object store.
 */
import type { Gate, GateEvaluation, WrkrInventory, EvaluateOptions } from './gate.js';
import type { Policy } from './policy/model.js';
import type { RawIntent } from './intent/decode.js';
import type { NormalizedIntent } from './intent/model.js';
import type { IntentInput } from './intent/request.js';
import { decodeIntentJson, decodeIntentValue } from './intent/decode.js';
import { normalizeIntent, rawRiskClass } from './intent/normalize.js';
import { delegationDigest, ZERO_TIME_TEXT } from './intent/digest.js';
import { intentInput } from './arguments.js';
import { GaitError, invalidInput } from './errors.js';
import { sortedUnique } from './canonical/order.js';
import { addSeconds, formatRfc3339Nano, type RfcTime } from './time.js';
import { toRfcTime, type TimeInput } from './tokens/common.js';
import {
  startDecision, needsDelegation, applyDelegation, needsApproval, applyApproval, needsCredential, applyBroker,
  finishDecision, decisionPayload, type Decision, type DecisionPayload,
} from './decision.js';
import { limitRequests, limitsOutcome, needsCounters, type LimitsOutcome } from './limits.js';
import { LimitStoreError, withStoreTimeout, type LimitStore } from './stores/types.js';
import { memoryLimitStore } from './stores/memory.js';
import {
  parseApprovalToken, parseDelegationToken, approvalContext, evaluateApprovals, evaluateDelegations,
  parseRegistry, verifyRegistry, isRegistryFailClosed, registryFailureDecision, matchApprovedScriptIntent,
  preApprovedOutcome, buildApprovalAuditRecord, buildDelegationAuditRecord, CONTEXT_EVIDENCE_WARNING,
  type ApprovalToken, type DelegationToken, type ApprovedScriptRegistry, type ApprovalStageResult,
  type DelegationStageResult, type ApprovalAuditRecord, type DelegationAuditRecord,
} from './tokens/index.js';
import { DEV_MODE_WARNING, parsePrivateKey, parsePublicKey, publicKeyOf } from './crypto/keys.js';
import { generateKeyPairAsync, PRIVATE_KEY_SIZE, PUBLIC_KEY_SIZE, SEED_SIZE, publicKeyFromSeed } from './crypto/ed25519.js';
import { buildTraceRecord, traceId as computeTraceId, signTrace, type TraceRecord } from './crypto/trace.js';

/** A value, or a function that loads it when (and only when) its stage runs. */
export type Lazy<T> = T | (() => T | Promise<T>);

/**
 * An Ed25519 key: raw bytes (a 32-byte public key; a 64-byte Go private key, seed || public; a
 * 32-byte seed where a private key is expected), Gait's key-file text (standard base64), or an
 * extractable WebCrypto `CryptoKey`.
 */
export type KeyInput = Uint8Array | string | CryptoKey;

/** A token as a value: the parsed token, its JSON text or bytes; `path` orders and names it. */
export type TokenInput<T> = T | string | Uint8Array | { path?: string; token: T | string | Uint8Array };

/** What a broker is asked for (cli.md §2.3 step 19). */
export interface CredentialRequest {
  reference: string;
  scopes: string[];
  toolName: string;
  identity: string;
  workspace: string;
  sessionId: string;
  requestId: string;
  /** The evaluation time. */
  now: RfcTime;
}

/** What a broker issued: a reference to a credential, never the secret. */
export interface IssuedCredential {
  /** Who issued it (Gait: the broker kind, or a command's `issued_by`). */
  broker: string;
  reference: string;
  credential_ref: string;
  scope: string[];
  ttl_seconds: number;
  /** When it was issued, if the broker says; else Go's zero time in the evidence record. */
  issued_at?: RfcTime;
}

/** The credential-broker port. `issue` resolves undefined when it could not issue (the call blocks). */
export interface CredentialBroker {
  readonly name: string;
  issue(request: CredentialRequest): Promise<IssuedCredential | undefined> | IssuedCredential | undefined;
}

export type EnforceArtifact =
  | { kind: 'trace'; trace_id: string; record: TraceRecord }
  | { kind: 'approval_audit'; trace_id: string; record: ApprovalAuditRecord }
  | { kind: 'delegation_audit'; trace_id: string; record: DelegationAuditRecord }
  | { kind: 'credential_evidence'; trace_id: string; record: CredentialEvidenceRecord };

/**
 * The trace and audit sink: receives each signed artifact as it is made. What it returns (a file
 * path, a URL) is reported as the artifact's `*_path` in the result. A sink that throws fails the
 * evaluation (the caller must not run a call whose trace was not kept).
 */
export type ArtifactSink = (artifact: EnforceArtifact) => void | string | Promise<void | string>;

export interface EnforceOptions {
  /** `standard` (default) or `oss-prod` (cli.md §2.10). */
  profile?: 'standard' | 'oss-prod' | string;
  /** Observe without enforcing: every verdict becomes allow, with what it would have been. */
  simulate?: boolean;
  /** The evaluation time (windows, budgets, token expiry); default: the clock. */
  now?: TimeInput;
  /** The clock port, for `now` and the trace's `observed_at`; default: the system clock. */
  clock?: () => Date;
  /**
   * The key that signs the trace (prod mode). Absent: dev mode, an ephemeral key and the dev-mode
   * warning (refused under oss-prod).
   */
  signingKey?: Lazy<KeyInput>;
  /** Where limits are counted. Default: a memory store private to this gate. */
  limitStore?: LimitStore;
  /** How long a limit store may take before the evaluation blocks (default 2000 ms). */
  limitStoreTimeoutMs?: number;
  approval?: {
    tokens?: Lazy<readonly TokenInput<ApprovalToken>[]>;
    /** Echoed (trimmed) as `approval_ref` unless approval is granted. */
    tokenRef?: string;
    /** Verifies approval tokens; also delegation tokens and registry entries without their own key. */
    verifyKey?: Lazy<KeyInput>;
  };
  delegation?: {
    tokens?: Lazy<readonly TokenInput<DelegationToken>[]>;
    verifyKey?: Lazy<KeyInput>;
  };
  /** The approved-script registry (the fast path for pre-approved scripts). */
  approvedScripts?: {
    registry: Lazy<ApprovedScriptRegistry | string | Uint8Array>;
    verifyKey?: Lazy<KeyInput>;
  };
  /**
   * Verified context evidence (`gait.context.envelope`: a parsed envelope, its JSON text, bytes or
   * object): rules that require context evidence can allow only with one (intent.md §4.2).
   */
  contextEnvelope?: EvaluateOptions['contextEnvelope'];
  wrkrInventory?: WrkrInventory;
  /** `context_source` label on an inventory hit. */
  wrkrSource?: string;
  broker?: CredentialBroker;
  /** Overrides the rules' broker references. */
  credentialRef?: string;
  /** Added to the rules' broker scopes. */
  credentialScopes?: readonly string[];
  sink?: ArtifactSink;
  /**
   * Called once the evaluation's digests are known and before anything is counted, issued or
   * signed: throw to stop with nothing done (the CLI checks its output paths here).
   */
  beforeEffects?: (e: { policy_digest: string; intent_digest: string }) => void | Promise<void>;
  /** Warnings from the caller's own stages (e.g. an unavailable Wrkr inventory). */
  warnings?: Iterable<string>;
  producerVersion?: string;
  /** The trace's correlation id (the CLI's: a digest of its argv). */
  correlationId?: string;
}

/** `gait.gate.broker_credential_record` 1.0.0 (Gait v1.3.6's shape). */
export interface CredentialEvidenceRecord {
  schema_id: 'gait.gate.broker_credential_record';
  schema_version: '1.0.0';
  created_at: string;
  producer_version: string;
  trace_id: string;
  tool_name: string;
  identity: string;
  broker: string;
  reference?: string;
  scope?: string[];
  credential_ref: string;
  issued_at: string;
  expires_at: string;
  ttl_seconds?: number;
}

export interface EnforceResult {
  /** The object `gait gate eval --json` prints (paths only where the sink returned them). */
  result: DecisionPayload;
  /** 0 allow/dry_run (and every simulated run), 3 block, 4 require_approval. */
  exit_code: number;
  trace_id: string;
  trace: TraceRecord;
  approval_audit?: ApprovalAuditRecord;
  delegation_audit?: DelegationAuditRecord;
  credential_evidence?: CredentialEvidenceRecord;
  decision: Decision;
}

/** The reason code (and violation) of a block because the limit store could not answer. */
export const LIMIT_STORE_UNAVAILABLE = 'limit_store_unavailable';
const DEFAULT_STORE_TIMEOUT_MS = 2000;

const defaultStores = new WeakMap<Gate, LimitStore>();

/** The intent as Go's decoder reads it (text or a parsed JSON value). */
export function rawIntentOf(intent: unknown): RawIntent {
  const value = intentInput('enforce', intent);
  return typeof value === 'string' ? decodeIntentJson(value) : decodeIntentValue(value);
}

async function load<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

async function rawKey(input: KeyInput): Promise<Uint8Array> {
  if (typeof input === 'string') return input.trim().length > 50 ? parsePrivateKey(input) : parsePublicKey(input);
  if (input instanceof Uint8Array) return input;
  if (input && typeof input === 'object' && 'type' in input && 'algorithm' in input) {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) throw invalidInput('a CryptoKey was given but this runtime has no WebCrypto');
    if (input.type === 'public') return new Uint8Array(await subtle.exportKey('raw', input));
    if (!input.extractable) throw invalidInput('a private CryptoKey must be extractable (Gait signs with the raw key)');
    const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', input));
    return pkcs8.subarray(pkcs8.length - SEED_SIZE);
  }
  throw invalidInput('a key must be bytes, base64 key text or a CryptoKey');
}

/** A private key in Go's 64-byte layout (from any KeyInput). */
export async function privateKeyOf(input: KeyInput): Promise<Uint8Array> {
  const raw = await rawKey(input);
  if (raw.length === PRIVATE_KEY_SIZE) return raw;
  if (raw.length === SEED_SIZE) {
    const out = new Uint8Array(PRIVATE_KEY_SIZE);
    out.set(raw);
    out.set(publicKeyFromSeed(raw), SEED_SIZE);
    return out;
  }
  throw invalidInput(`private key must be ${PRIVATE_KEY_SIZE} bytes (or a ${SEED_SIZE}-byte seed), got ${raw.length}`);
}

/** A verify key: a public key, or the public half of a private key. */
async function publicKeyFrom(input: KeyInput): Promise<Uint8Array> {
  const raw = await rawKey(input);
  if (raw.length === PUBLIC_KEY_SIZE && !(typeof input === 'object' && 'type' in input && input.type === 'private')) return raw;
  return publicKeyOf(await privateKeyOf(raw));
}

/**
 * Tokens as the stages take them. Every token is decoded with Gait's rules, also one given as an
 * object (from a request body, say: it is read as its JSON text), so a value of the wrong shape is
 * invalid input, never half-trusted.
 */
function tokenList<T>(items: readonly TokenInput<T>[], parse: (b: string | Uint8Array) => T): { path: string; token: T }[] {
  if (!Array.isArray(items)) throw invalidInput('tokens must be a list');
  const width = String(items.length).length;
  return items.map((item, i) => {
    const wrapped = item && typeof item === 'object' && !(item instanceof Uint8Array) && 'token' in item ? (item as { path?: string; token: T | string | Uint8Array }) : undefined;
    const value = wrapped ? wrapped.token : (item as T | string | Uint8Array);
    const token = parse(typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
    return { path: wrapped?.path ?? `token-${String(i).padStart(width, '0')}`, token };
  });
}

/** cli.md §2.10 / policy.md §3.5: oss-prod's rules for high-risk allow and approval rules. */
export function checkOssProdPolicy(policy: Policy, brokerConfigured: boolean): void {
  const highRisk = policy.rules.filter((r) => r.effect !== 'block' && r.match.risk_classes.some((c) => c === 'high' || c === 'critical'));
  if (highRisk.some((r) => !r.require_broker_credential)) {
    throw invalidInput('oss-prod profile requires high-risk allow/approval rules to set require_broker_credential: true');
  }
  if (highRisk.length > 0 && !brokerConfigured) throw invalidInput('oss-prod profile requires --credential-broker for high-risk policies');
}

function tryNormalize(raw: RawIntent): NormalizedIntent | undefined {
  try {
    return normalizeIntent(raw);
  } catch {
    return undefined;
  }
}

interface FastPath {
  evaluation?: GateEvaluation;
  registryReason: string;
  patternId: string;
  warnings: string[];
}

/** Step 13: the approved-script fast path. Fails closed (throws) in fail-closed mode. */
async function approvedScriptFastPath(
  gate: Gate, o: EnforceOptions, raw: RawIntent, profile: string, now: RfcTime, template: GateEvaluation, clock: () => Date,
): Promise<FastPath> {
  const scripts = o.approvedScripts!;
  const failClosed = isRegistryFailClosed(profile, rawRiskClass(raw));
  const out: FastPath = { registryReason: '', patternId: '', warnings: [] };
  const fail = (kind: Parameters<typeof registryFailureDecision>[0], detail?: string, entryIndex?: number): FastPath => {
    const d = registryFailureDecision(kind, { failClosed, detail, entryIndex });
    if (d.failClosed) throw d.error;
    out.warnings.push(d.warning);
    return out;
  };
  let registry: ApprovedScriptRegistry;
  try {
    const value = await load(scripts.registry);
    registry = parseRegistry(typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
  } catch (err) {
    return fail('registry_unavailable', (err as Error).message);
  }
  const keyInput = scripts.verifyKey ?? o.approval?.verifyKey;
  if (keyInput === undefined) return fail('verify_key_missing');
  const key = await publicKeyFrom(await load(keyInput));
  const verification = await verifyRegistry(registry, key, now);
  if (!verification.ok) return fail('entry_verification_failed', verification.error, verification.index);
  // No verified entry: nothing to match, so (as in Gait) no fast path at all.
  if (registry.entries.length === 0) return out;
  const policy = gate.policy;
  if (policy.rules.some((r) => r.require_context_evidence || r.required_context_evidence_mode === 'required' || r.max_context_age_seconds > 0)) {
    out.warnings.push(CONTEXT_EVIDENCE_WARNING);
    return out;
  }
  const normalized = tryNormalize(raw);
  if (!normalized) return fail('match_failed', 'intent could not be normalized');
  const match = matchApprovedScriptIntent(registry, normalized, gate.policyDigest, now);
  out.registryReason = match.reason;
  if (!match.match) return out;
  out.patternId = match.pattern_id;
  const pre = preApprovedOutcome(normalized, match.pattern_id);
  const t = template;
  out.evaluation = {
    ...t,
    // Gait stamps a pre-approval with the clock, not the intent's created_at.
    result: { ...t.result, created_at: formatRfc3339Nano(toRfcTime(clock(), 'clock'), true), verdict: 'allow', reason_codes: ['approved_script_match'], violations: [] },
    matched_rule: '',
    intent_digest: normalized.intent_digest,
    prepared: normalized,
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

/** Checks and counts the evaluation's limits; a store that cannot answer fails closed. */
async function countLimits(gate: Gate, o: EnforceOptions, evaluation: GateEvaluation, now: RfcTime): Promise<{ limits?: LimitsOutcome; storeError?: string }> {
  if (!needsCounters(evaluation)) return {};
  let store = o.limitStore;
  if (!store) {
    store = defaultStores.get(gate) ?? memoryLimitStore();
    defaultStores.set(gate, store);
  }
  const requests = limitRequests(evaluation, now, gate.policy.rules);
  try {
    const counts = await withStoreTimeout(store.name, o.limitStoreTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, Promise.resolve().then(() => store!.consume(requests)));
    if (!Array.isArray(counts) || counts.length !== requests.length || counts.some((c) => !c || !Number.isSafeInteger(c.used) || c.used < 0 || typeof c.exceeded !== 'boolean')) {
      throw new LimitStoreError(store.name, 'garbled answer');
    }
    return { limits: limitsOutcome(requests, counts) };
  } catch (err) {
    // A bad state file is invalid input (Gait: exit 6); anything else is the store failing.
    if (err instanceof GaitError) throw err;
    return { storeError: err instanceof LimitStoreError ? err.message : `limit store ${store.name}: ${(err as Error)?.message ?? String(err)}` };
  }
}

/**
 * Runs the whole gate on one intent (JSON text or a parsed object). Throws GaitError on invalid input (exit 6) and on fail-closed registry errors
 * (exit 3); never returns an allow it did not fully judge.
 */
export async function enforce(gate: Gate, intent: IntentInput, o: EnforceOptions = {}): Promise<EnforceResult> {
  return enforceRaw(gate, rawIntentOf(intent), o);
}

/** `enforce` for an intent already decoded with Go's JSON rules (the CLI reads files that way). */
export async function enforceRaw(gate: Gate, raw: RawIntent, o: EnforceOptions = {}): Promise<EnforceResult> {
  const clock = o.clock ?? (() => new Date());
  const started = clock().getTime();
  const profile = (o.profile ?? 'standard').trim().toLowerCase();
  if (profile !== 'standard' && profile !== 'oss-prod') throw invalidInput(`unsupported profile "${o.profile}" (expected standard or oss-prod)`);
  const simulate = o.simulate === true;
  if (profile === 'oss-prod') {
    if (simulate) throw invalidInput('oss-prod profile does not allow --simulate');
    if (o.signingKey === undefined) throw invalidInput('oss-prod profile requires --key-mode prod');
    checkOssProdPolicy(gate.policy, o.broker !== undefined);
  }
  const now = o.now !== undefined ? toRfcTime(o.now, 'now') : toRfcTime(clock(), 'clock');
  const producerVersion = o.producerVersion ?? '0.0.0-dev';
  const warnings = new Set<string>(o.warnings ?? []);

  let evaluation = gate.evaluateRaw(raw, { wrkrInventory: o.wrkrInventory, wrkrSource: o.wrkrSource, producerVersion, contextEnvelope: o.contextEnvelope, now });
  let fastPath: FastPath | undefined;
  if (o.approvedScripts) {
    fastPath = await approvedScriptFastPath(gate, o, raw, profile, now, evaluation, clock);
    for (const w of fastPath.warnings) warnings.add(w);
    if (fastPath.evaluation) evaluation = fastPath.evaluation;
  }

  let signingKey: Uint8Array;
  if (o.signingKey !== undefined) signingKey = await privateKeyOf(await load(o.signingKey));
  else {
    signingKey = (await generateKeyPairAsync()).privateKey;
    warnings.add(DEV_MODE_WARNING);
  }
  const signingPublic = signingKey.subarray(SEED_SIZE);

  await o.beforeEffects?.({ policy_digest: evaluation.policy_digest, intent_digest: evaluation.intent_digest });
  const { limits, storeError } = await countLimits(gate, o, evaluation, now);
  const pending = startDecision(evaluation, limits);
  if (storeError !== undefined) {
    pending.verdict = 'block';
    pending.reasons.add(LIMIT_STORE_UNAVAILABLE);
    pending.violations.add(LIMIT_STORE_UNAVAILABLE);
    warnings.add(storeError);
  }
  pending.approvalRef = (o.approval?.tokenRef ?? '').trim();

  let delegation: DelegationStageResult | undefined;
  if (needsDelegation(pending)) {
    const own = o.delegation?.verifyKey ?? o.approval?.verifyKey;
    if (profile === 'oss-prod' && own === undefined) {
      throw invalidInput('oss-prod profile requires explicit delegation verify key (--delegation-public-key/--delegation-public-key-env or private key source)');
    }
    const key = own !== undefined ? await publicKeyFrom(await load(own)) : signingPublic;
    const tokens = o.delegation?.tokens !== undefined ? tokenList(await load(o.delegation.tokens), parseDelegationToken) : [];
    if (tokens.length > 0) {
      delegation = await evaluateDelegations({
        delegation: evaluation.prepared?.delegation, tokens, verifyKey: key, now,
        requiredScopes: evaluation.outcome.delegation_scopes, intentDigest: evaluation.intent_digest, policyDigest: evaluation.policy_digest,
      });
    }
    applyDelegation(pending, delegation);
  }
  let approval: ApprovalStageResult | undefined;
  if (needsApproval(pending)) {
    const own = o.approval?.verifyKey;
    if (profile === 'oss-prod' && own === undefined) {
      throw invalidInput('oss-prod profile requires explicit approval verify key (--approval-public-key/--approval-public-key-env or approval private key source)');
    }
    const key = own !== undefined ? await publicKeyFrom(await load(own)) : signingPublic;
    const tokens = o.approval?.tokens !== undefined ? tokenList(await load(o.approval.tokens), parseApprovalToken) : [];
    if (tokens.length > 0 && evaluation.prepared) {
      approval = await evaluateApprovals({
        tokens, context: approvalContext(evaluation.prepared, evaluation.policy_digest),
        minApprovals: evaluation.outcome.min_approvals, requireDistinctApprovers: evaluation.outcome.require_distinct_approvers,
        verifyKey: key, now, approvalTokenRef: pending.approvalRef || undefined,
      });
    }
    applyApproval(pending, approval);
  }
  let issued: IssuedCredential | undefined;
  if (needsCredential(pending) && o.broker) {
    const outcome = evaluation.outcome;
    issued = await o.broker.issue({
      reference: (o.credentialRef ?? '').trim() || outcome.broker_references.join(','),
      scopes: sortedUnique([...outcome.broker_scopes, ...(o.credentialScopes ?? [])]),
      toolName: evaluation.prepared?.tool_name ?? '',
      identity: evaluation.prepared?.context.identity ?? '',
      workspace: evaluation.prepared?.context.workspace ?? '',
      sessionId: evaluation.prepared?.context.session_id ?? '',
      requestId: evaluation.prepared?.context.request_id ?? '',
      now,
    });
  }
  applyBroker(pending, o.broker !== undefined, issued && { credential_ref: issued.credential_ref, issuer: issued.broker });
  const decision = finishDecision(pending, { simulate, warnings });

  const traceId = computeTraceId(evaluation.policy_digest, evaluation.intent_digest, decision.verdict);
  const record = buildTraceRecord({
    createdAt: evaluation.result.created_at,
    observedAt: formatRfc3339Nano(toRfcTime(clock(), 'clock'), true),
    producerVersion,
    traceId,
    correlationId: o.correlationId,
    intent: evaluation.prepared,
    policyDigest: evaluation.policy_digest,
    intentDigest: evaluation.intent_digest,
    policyId: gate.policy.schema_id,
    policyVersion: gate.policy.schema_version,
    verdict: decision.verdict,
    violations: decision.violations,
    contextSource: evaluation.context_source,
    // From the intent, as Gait does: a script blocked by the fail-closed checks before the script
    // evaluation still has them in its trace (not in the result).
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
    latencyMs: clock().getTime() - started,
  });
  const trace = await signTrace(record, signingKey);
  const paths: Record<string, string | undefined> = {};
  const emit = async (artifact: EnforceArtifact): Promise<void> => {
    const where = await o.sink?.(artifact);
    if (typeof where === 'string') paths[artifact.kind] = where;
  };
  await emit({ kind: 'trace', trace_id: traceId, record: trace });

  // Audit records: approval whenever approvals were required or tokens evaluated; delegation
  // whenever a rule required it (cli.md §2.3 step 21).
  const out: EnforceResult = { result: undefined as unknown as DecisionPayload, exit_code: decision.exit_code, trace_id: traceId, trace, decision };
  if (decision.required_approvals > 0 || (approval?.outcomes.length ?? 0) > 0) {
    out.approval_audit = buildApprovalAuditRecord({
      createdAt: evaluation.result.created_at, producerVersion, traceId, toolName: evaluation.prepared?.tool_name ?? '',
      intentDigest: evaluation.intent_digest, policyDigest: evaluation.policy_digest,
      requiredApprovals: decision.required_approvals, entries: approval?.entries ?? [],
    });
    await emit({ kind: 'approval_audit', trace_id: traceId, record: out.approval_audit });
  }
  if (decision.delegation_required) {
    out.delegation_audit = buildDelegationAuditRecord({
      createdAt: evaluation.result.created_at, now, producerVersion, traceId, toolName: evaluation.prepared?.tool_name ?? '',
      intentDigest: evaluation.intent_digest, policyDigest: evaluation.policy_digest, delegationRequired: true,
      delegationRef: decision.delegation_ref || undefined, entries: delegation?.entries ?? [],
    });
    await emit({ kind: 'delegation_audit', trace_id: traceId, record: out.delegation_audit });
  }
  if (issued && decision.credential) {
    // Gait v1.3.6's record: created_at is the evaluation's (the intent's) time; issue and expiry
    // times only when the broker says (else Go's zero time); empty reference, scope, TTL left out.
    out.credential_evidence = {
      schema_id: 'gait.gate.broker_credential_record',
      schema_version: '1.0.0',
      created_at: evaluation.result.created_at,
      producer_version: producerVersion,
      trace_id: traceId,
      tool_name: evaluation.prepared?.tool_name ?? '',
      identity: evaluation.prepared?.context.identity ?? '',
      broker: issued.broker,
      reference: issued.reference || undefined,
      scope: issued.scope.length > 0 ? issued.scope : undefined,
      credential_ref: issued.credential_ref,
      issued_at: issued.issued_at ? formatRfc3339Nano(issued.issued_at, true) : ZERO_TIME_TEXT,
      expires_at: issued.issued_at ? formatRfc3339Nano(addSeconds(issued.issued_at, issued.ttl_seconds), true) : ZERO_TIME_TEXT,
      ttl_seconds: issued.ttl_seconds || undefined,
    };
    await emit({ kind: 'credential_evidence', trace_id: traceId, record: out.credential_evidence });
  }
  out.result = withoutUndefined(decisionPayload(decision, {
    profile, trace_id: traceId, trace_path: paths['trace'], credential_evidence_path: paths['credential_evidence'],
    approval_audit_path: paths['approval_audit'], delegation_audit_path: paths['delegation_audit'],
    pre_approved: fastPath?.evaluation !== undefined, pattern_id: fastPath?.patternId, registry_reason: fastPath?.registryReason,
  }));
  return out;
}

/** The result as `--json` prints it: absent members absent, not `undefined`. */
function withoutUndefined<T extends object>(value: T): T {
  for (const k of Object.keys(value) as (keyof T)[]) if (value[k] === undefined) delete value[k];
  return value;
}
