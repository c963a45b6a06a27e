/**
 * Approval tokens (`gait.gate.approval_token` 1.0.0), signed_artifacts.md §3: the model in Go
 * field order, Go-semantics parsing, normalization (§3.3), `token_id` (§3.2), minting (§3.4), the
 * approval context (§3.5), single-token validation in the exact §3.6 order, the approval stage
 * of `gate eval` (§3.7) and its audit record (§6.1).
 *
 * Signing and verification go through `crypto/signed-json` over the normalized projection
 * without `signature` (§2). Every function is pure: keys, clocks and token texts are arguments.
 */
import { invalidInput } from '../errors.js';
import { compareBytewise } from '../canonical/order.js';
import { sha256Hex } from '../canonical/sha256.js';
import { goTrim } from '../canonical/text.js';
import {
  signJson,
  signJsonSync,
  verifyJson,
  verifyJsonSync,
  type Signature,
} from '../crypto/signed-json.js';
import type { TraceRelationship } from '../crypto/trace.js';
import { delegationDigest, intentDigest as computeIntentDigest } from '../intent/digest.js';
import type { IntentTarget, NormalizedIntent } from '../intent/model.js';
import { compareTime, formatRfc3339, formatRfc3339Nano, isZeroTime, toUtc, type RfcTime } from '../time.js';
import { auditRelationship } from './audit.js';
import {
  addNanos,
  checkStageSize,
  codeList,
  decodeStruct,
  dedupeSorted,
  DEFAULT_PRODUCER_VERSION,
  failure,
  isSha256Hex,
  isZeroText,
  normalizeScopeList,
  NormalizeFailure,
  parseArtifactTree,
  renderTime,
  SIGNATURE_SPEC,
  timeOf,
  toRfcTime,
  trimLower,
  trimmedSortedUnique,
  ttlNanos,
  utcText,
  valueTree,
  ZERO_TIME_TEXT,
  goMarshalIndent,
  type Decoded,
  type StructSpec,
  type TimeInput,
  type TtlInput,
  type Validation,
} from './common.js';

export const APPROVAL_TOKEN_SCHEMA_ID = 'gait.gate.approval_token';
export const APPROVAL_TOKEN_SCHEMA_VERSION = '1.0.0';
export const APPROVAL_AUDIT_SCHEMA_ID = 'gait.gate.approval_audit_record';
export const APPROVAL_AUDIT_SCHEMA_VERSION = '1.0.0';

/**
 * An approval token, members in the order gait writes them. Times are RFC 3339 text as Go
 * re-renders a parsed time (RFC3339Nano, own offset kept); '' means unset (Go's zero time).
 * `delegation_binding_digest`, `max_targets`, `max_ops` and `signature` are `omitempty`.
 */
export interface ApprovalToken {
  schema_id: string;
  schema_version: string;
  created_at: string;
  producer_version: string;
  token_id: string;
  approver_identity: string;
  reason_code: string;
  intent_digest: string;
  policy_digest: string;
  delegation_binding_digest?: string;
  scope: string[];
  max_targets?: number;
  max_ops?: number;
  expires_at: string;
  signature?: Signature;
}

/** Reason codes a single approval token can fail with (§3.6). */
export type ApprovalTokenCode =
  | 'approval_token_invalid'
  | 'approval_token_signature_missing'
  | 'approval_token_signature_invalid'
  | 'approval_token_intent_mismatch'
  | 'approval_token_policy_mismatch'
  | 'approval_token_delegation_binding_mismatch'
  | 'approval_token_expired'
  | 'approval_token_scope_mismatch'
  | 'approval_token_max_targets_exceeded'
  | 'approval_token_max_ops_exceeded';

// ---------------------------------------------------------------------------------------------
// Parsing (Go encoding/json into the token struct)

const APPROVAL_SPEC: StructSpec = {
  name: 'ApprovalToken',
  fields: {
    schema_id: 'string',
    schema_version: 'string',
    created_at: 'time',
    producer_version: 'string',
    token_id: 'string',
    approver_identity: 'string',
    reason_code: 'string',
    intent_digest: 'string',
    policy_digest: 'string',
    delegation_binding_digest: 'string',
    scope: 'strings',
    max_targets: 'int',
    max_ops: 'int',
    expires_at: 'time',
    signature: { struct: SIGNATURE_SPEC },
  },
};

const PARSE_PREFIX = 'parse approval token';

function fromDecoded(d: Decoded): ApprovalToken {
  const token: ApprovalToken = {
    schema_id: d.schema_id as string,
    schema_version: d.schema_version as string,
    created_at: d.created_at as string,
    producer_version: d.producer_version as string,
    token_id: d.token_id as string,
    approver_identity: d.approver_identity as string,
    reason_code: d.reason_code as string,
    intent_digest: d.intent_digest as string,
    policy_digest: d.policy_digest as string,
    delegation_binding_digest: d.delegation_binding_digest as string,
    scope: d.scope as string[],
    max_targets: d.max_targets as number,
    max_ops: d.max_ops as number,
    expires_at: d.expires_at as string,
  };
  if (d.signature !== undefined) token.signature = d.signature as Signature;
  return token;
}

/**
 * Parses token file text (or bytes) the way gait does: unknown members dropped, member names
 * matched case-insensitively (the last duplicate wins), strict RFC 3339 times, Go type errors.
 * Any failure is an `invalidInput` GaitError `parse approval token: <Go message>`; the caller
 * (gate eval) treats it as a hard error, not a reason code.
 */
export function parseApprovalToken(input: string | Uint8Array): ApprovalToken {
  return fromDecoded(decodeStruct(parseArtifactTree(input, PARSE_PREFIX), APPROVAL_SPEC, 'gate.ApprovalToken', PARSE_PREFIX));
}

/** The same from an already-parsed JSON value (e.g. `JSON.parse` output or a token object). */
export function decodeApprovalToken(value: unknown): ApprovalToken {
  return fromDecoded(decodeStruct(valueTree(value, PARSE_PREFIX), APPROVAL_SPEC, 'gate.ApprovalToken', PARSE_PREFIX));
}

// ---------------------------------------------------------------------------------------------
// Normalization, projection, token id

/** §3.3. Returns a normalized copy; throws `NormalizeFailure` with gait's message. */
function normalizeOrThrow(t: ApprovalToken): ApprovalToken {
  const fail = (m: string): never => {
    throw new NormalizeFailure(m);
  };
  let schemaId = t.schema_id;
  if (schemaId === '') schemaId = APPROVAL_TOKEN_SCHEMA_ID;
  else if (schemaId !== APPROVAL_TOKEN_SCHEMA_ID) fail(`unsupported schema_id: ${schemaId}`);
  let schemaVersion = t.schema_version;
  if (schemaVersion === '') schemaVersion = APPROVAL_TOKEN_SCHEMA_VERSION;
  else if (schemaVersion !== APPROVAL_TOKEN_SCHEMA_VERSION) fail(`unsupported schema_version: ${schemaVersion}`);
  const tokenId = goTrim(t.token_id);
  if (tokenId === '') fail('token_id is required');
  const approver = goTrim(t.approver_identity);
  if (approver === '') fail('approver_identity is required');
  const reason = goTrim(t.reason_code);
  if (reason === '') fail('reason_code is required');
  const intent = trimLower(t.intent_digest);
  if (!isSha256Hex(intent)) fail('intent_digest must be sha256 hex');
  const policy = trimLower(t.policy_digest);
  if (!isSha256Hex(policy)) fail('policy_digest must be sha256 hex');
  const binding = trimLower(t.delegation_binding_digest ?? '');
  if (binding !== '' && !isSha256Hex(binding)) fail('delegation_binding_digest must be sha256 hex when set');
  const scope = normalizeScopeList(t.scope ?? []);
  if (scope.length === 0) fail('scope is required');
  const maxTargets = t.max_targets ?? 0;
  if (maxTargets < 0) fail('max_targets must be >= 0');
  const maxOps = t.max_ops ?? 0;
  if (maxOps < 0) fail('max_ops must be >= 0');
  if (isZeroText(t.created_at)) fail('created_at is required');
  if (isZeroText(t.expires_at)) fail('expires_at is required');
  const out: ApprovalToken = {
    schema_id: schemaId,
    schema_version: schemaVersion,
    created_at: t.created_at,
    producer_version: t.producer_version,
    token_id: tokenId,
    approver_identity: approver,
    reason_code: reason,
    intent_digest: intent,
    policy_digest: policy,
    delegation_binding_digest: binding,
    scope,
    max_targets: maxTargets,
    max_ops: maxOps,
    expires_at: t.expires_at,
  };
  if (t.signature !== undefined) out.signature = t.signature;
  return out;
}

/**
 * §3.3 normalization. Throws an `invalidInput` GaitError with gait's message
 * (`scope is required`, `intent_digest must be sha256 hex`, …).
 */
export function normalizeApprovalToken(token: ApprovalToken): ApprovalToken {
  try {
    return normalizeOrThrow(token);
  } catch (err) {
    if (err instanceof NormalizeFailure) throw invalidInput(err.message);
    throw err;
  }
}

/**
 * The token as Go marshals it, without `signature`: the bytes that are signed (after JCS) when
 * the token is normalized. Members in struct order, `omitempty` applied.
 */
export function approvalTokenPayload(t: ApprovalToken): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schema_id: t.schema_id,
    schema_version: t.schema_version,
    created_at: t.created_at || ZERO_TIME_TEXT,
    producer_version: t.producer_version,
    token_id: t.token_id,
    approver_identity: t.approver_identity,
    reason_code: t.reason_code,
    intent_digest: t.intent_digest,
    policy_digest: t.policy_digest,
  };
  if (t.delegation_binding_digest) out.delegation_binding_digest = t.delegation_binding_digest;
  out.scope = t.scope;
  if (t.max_targets) out.max_targets = t.max_targets;
  if (t.max_ops) out.max_ops = t.max_ops;
  out.expires_at = t.expires_at || ZERO_TIME_TEXT;
  return out;
}

/** The token file as gait writes it: 2-space indented JSON in struct order + "\n". */
export function serializeApprovalToken(t: ApprovalToken): string {
  const out = approvalTokenPayload(t);
  if (t.signature) {
    out.signature = {
      alg: t.signature.alg,
      key_id: t.signature.key_id,
      sig: t.signature.sig,
      ...(t.signature.signed_digest ? { signed_digest: t.signature.signed_digest } : {}),
    };
  }
  return goMarshalIndent(out);
}

export interface ApprovalTokenIdInput {
  intent_digest: string;
  policy_digest: string;
  approver_identity: string;
  reason_code: string;
  scope: readonly string[];
  max_targets?: number | undefined;
  max_ops?: number | undefined;
  /** RFC 3339 text or a time; rendered in UTC RFC3339Nano. */
  expires_at: string | RfcTime;
}

/**
 * §3.2: first 12 bytes (24 hex) of SHA-256 over
 * `<intent>:<policy>:<approver>:<reason>:<scope csv>:<max_targets>:<max_ops>:<expires_at UTC>`.
 * The values are used as given: pass normalized ones.
 */
export function approvalTokenId(t: ApprovalTokenIdInput): string {
  const expires = typeof t.expires_at === 'string' ? utcText(t.expires_at) : formatRfc3339Nano(t.expires_at, true);
  const text = [
    t.intent_digest,
    t.policy_digest,
    t.approver_identity,
    t.reason_code,
    t.scope.join(','),
    String(t.max_targets ?? 0),
    String(t.max_ops ?? 0),
    expires,
  ].join(':');
  return sha256Hex(text).slice(0, 24);
}

// ---------------------------------------------------------------------------------------------
// Minting (§3.4)

export interface MintApprovalTokenInput {
  intentDigest: string;
  policyDigest: string;
  delegationBindingDigest?: string | undefined;
  /** Go duration text (`1h`, `87600h`) or milliseconds; must be > 0. */
  ttl: TtlInput;
  /** Scope items (e.g. from {@link splitCsv} of `--scope`): trimmed, lower-cased, sorted, unique. */
  scope: readonly string[];
  approver: string;
  reasonCode: string;
  maxTargets?: number | undefined;
  maxOps?: number | undefined;
  /** Mint time; `created_at` = now in UTC with full precision. */
  now: TimeInput;
  /** 64-byte Ed25519 private key (seed || public). */
  privateKey: Uint8Array | undefined;
  /** Default `0.0.0-dev`. */
  producerVersion?: string | undefined;
}

function checkCount(value: number | undefined, name: string): number {
  const v = value ?? 0;
  if (!Number.isSafeInteger(v)) throw invalidInput(`${name} must be an integer`);
  if (v < 0) throw invalidInput(`${name} must be >= 0`);
  return v;
}

function buildApprovalToken(input: MintApprovalTokenInput): ApprovalToken {
  if (!input.privateKey || input.privateKey.length === 0) throw invalidInput('signing private key is required');
  const ttl = ttlNanos(input.ttl);
  if (ttl === undefined) throw invalidInput('invalid --ttl, expected positive duration');
  if (ttl <= 0n) throw invalidInput('ttl must be greater than 0');
  const intent = trimLower(input.intentDigest);
  if (!isSha256Hex(intent)) throw invalidInput('intent_digest must be sha256 hex');
  const policy = trimLower(input.policyDigest);
  if (!isSha256Hex(policy)) throw invalidInput('policy_digest must be sha256 hex');
  const binding = trimLower(input.delegationBindingDigest ?? '');
  if (binding !== '' && !isSha256Hex(binding)) throw invalidInput('delegation_binding_digest must be sha256 hex when set');
  const approver = goTrim(input.approver);
  if (approver === '') throw invalidInput('approver identity is required');
  const reason = goTrim(input.reasonCode);
  if (reason === '') throw invalidInput('reason code is required');
  const scope = normalizeScopeList(input.scope);
  if (scope.length === 0) throw invalidInput('scope must include at least one value');
  const maxTargets = checkCount(input.maxTargets, 'max_targets');
  const maxOps = checkCount(input.maxOps, 'max_ops');

  const created = toUtc(toRfcTime(input.now, 'now'));
  const expires = addNanos(created, ttl);
  const token: ApprovalToken = {
    schema_id: APPROVAL_TOKEN_SCHEMA_ID,
    schema_version: APPROVAL_TOKEN_SCHEMA_VERSION,
    created_at: renderTime(created),
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    token_id: '',
    approver_identity: approver,
    reason_code: reason,
    intent_digest: intent,
    policy_digest: policy,
    delegation_binding_digest: binding,
    scope,
    max_targets: maxTargets,
    max_ops: maxOps,
    expires_at: renderTime(expires),
  };
  token.token_id = approvalTokenId(token);
  return normalizeApprovalToken(token);
}

/**
 * `gait approve` minus flags and files: validates the inputs (§3.4 step 8 messages, in order),
 * builds the token, signs the normalized projection. The CLI checks `--ttl` and the scope CSV
 * itself first (`parsePositiveTtl`, `scope is required`) and loads the key before this.
 */
export async function mintApprovalToken(input: MintApprovalTokenInput): Promise<ApprovalToken> {
  const token = buildApprovalToken(input);
  return { ...token, signature: await signJson(approvalTokenPayload(token), input.privateKey!) };
}

export function mintApprovalTokenSync(input: MintApprovalTokenInput): ApprovalToken {
  const token = buildApprovalToken(input);
  return { ...token, signature: signJsonSync(approvalTokenPayload(token), input.privateKey!) };
}

/** The JSON result fields of `gait approve` (without `ok`, path, warnings, correlation id). */
export function approvalMintSummary(token: ApprovalToken): {
  token_id: string;
  expires_at: string;
  reason_code: string;
  scope: string[];
  max_targets?: number;
  max_ops?: number;
  key_id: string;
  description: string;
} {
  return {
    token_id: token.token_id,
    expires_at: formatRfc3339(timeOf(token.expires_at), true),
    reason_code: token.reason_code,
    scope: [...token.scope],
    ...(token.max_targets ? { max_targets: token.max_targets } : {}),
    ...(token.max_ops ? { max_ops: token.max_ops } : {}),
    key_id: token.signature?.key_id ?? '',
    description: 'signed approval token created',
  };
}

// ---------------------------------------------------------------------------------------------
// Approval context (§3.5)

export interface ApprovalContext {
  /** Expected `intent_digest` (lowercase); '' disables the check. */
  intentDigest: string;
  /** Expected `policy_digest`; '' disables the check. */
  policyDigest: string;
  /** Expected `delegation_binding_digest` (§4.5); '' when the intent has no delegation block. */
  delegationBindingDigest: string;
  /** Required scope items, lowercase, sorted, unique. */
  requiredScope: string[];
  targetCount: number;
  operationCount: number;
}

const DESTRUCTIVE_OPERATIONS = new Set(['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate', 'exec', 'spawn']);

/** §3.5: destructive flag or hint, class `fs.delete`/`proc.exec`, or a destructive operation. */
export function isDestructiveTarget(t: Pick<IntentTarget, 'destructive' | 'destructive_hint' | 'endpoint_class' | 'operation'>): boolean {
  if (t.destructive || t.destructive_hint) return true;
  const cls = trimLower(t.endpoint_class ?? '');
  if (cls === 'fs.delete' || cls === 'proc.exec') return true;
  return DESTRUCTIVE_OPERATIONS.has(trimLower(t.operation ?? ''));
}

/**
 * The required approval scope: `tool:<tool_name>`, plus `phase:apply` and `destructive:apply`
 * when the phase is `apply` (the default) and a top-level target is destructive. Lowercase,
 * sorted, unique.
 */
export function requiredApprovalScope(
  toolName: string,
  phase: string,
  targets: ReadonlyArray<Pick<IntentTarget, 'destructive' | 'destructive_hint' | 'endpoint_class' | 'operation'>>,
): string[] {
  const items = [`tool:${trimLower(toolName)}`];
  const p = trimLower(phase) || 'apply';
  if (p === 'apply' && targets.some(isDestructiveTarget)) items.push('phase:apply', 'destructive:apply');
  return normalizeScopeList(items);
}

/**
 * §3.5 for the prepared (normalized, enriched) intent and the loaded policy's digest. The intent
 * digest and delegation binding digest are recomputed from the intent.
 */
export function approvalContext(intent: NormalizedIntent, policyDigest: string): ApprovalContext {
  const steps = intent.script?.steps ?? [];
  let targetCount = intent.targets.length;
  let operationCount = intent.targets.length > 0 ? intent.targets.length : 1;
  if (intent.script) {
    const stepTargets = steps.reduce((n, s) => n + s.targets.length, 0);
    if (stepTargets > 0) targetCount = stepTargets;
    operationCount = steps.length;
  }
  return {
    intentDigest: computeIntentDigest(intent),
    policyDigest: trimLower(policyDigest),
    delegationBindingDigest: delegationDigest(intent),
    requiredScope: requiredApprovalScope(intent.tool_name, intent.context.phase, intent.targets),
    targetCount,
    operationCount,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation (§3.6)

export type ApprovalValidation = Validation<ApprovalTokenCode, ApprovalToken>;

type Pre = { done: ApprovalValidation } | { token: ApprovalToken; key: Uint8Array; signature: Signature };

function precheck(token: ApprovalToken, verifyKey: Uint8Array | undefined | null): Pre {
  let normalized: ApprovalToken;
  try {
    normalized = normalizeOrThrow(token);
  } catch (err) {
    if (err instanceof NormalizeFailure) return { done: failure('approval_token_invalid', err.message) };
    return { done: failure('approval_token_invalid', err instanceof Error ? err.message : String(err)) };
  }
  if (!verifyKey || verifyKey.length === 0) {
    return { done: failure('approval_token_signature_invalid', 'verification public key is required') };
  }
  if (!normalized.signature) return { done: failure('approval_token_signature_missing', 'signature is required') };
  return { token: normalized, key: verifyKey, signature: normalized.signature };
}

function postcheck(token: ApprovalToken, ctx: Partial<ApprovalContext>, now: RfcTime): ApprovalValidation {
  const expIntent = trimLower(ctx.intentDigest ?? '');
  if (expIntent !== '' && expIntent !== token.intent_digest) return failure('approval_token_intent_mismatch', 'intent digest mismatch');
  const expPolicy = trimLower(ctx.policyDigest ?? '');
  if (expPolicy !== '' && expPolicy !== token.policy_digest) return failure('approval_token_policy_mismatch', 'policy digest mismatch');
  const expBinding = trimLower(ctx.delegationBindingDigest ?? '');
  if (expBinding !== '' && expBinding !== (token.delegation_binding_digest ?? '')) {
    return failure('approval_token_delegation_binding_mismatch', 'delegation binding digest mismatch');
  }
  if (compareTime(now, timeOf(token.expires_at)) >= 0) return failure('approval_token_expired', 'token expired');
  const required = normalizeScopeList(ctx.requiredScope ?? []);
  if (required.length > 0 && !token.scope.includes('*') && !required.every((s) => token.scope.includes(s))) {
    return failure('approval_token_scope_mismatch', `token scope does not cover ${required.join(',')}`);
  }
  const maxTargets = token.max_targets ?? 0;
  if (maxTargets > 0 && (ctx.targetCount ?? 0) > maxTargets) {
    return failure('approval_token_max_targets_exceeded', `target count ${ctx.targetCount} exceeds max_targets ${maxTargets}`);
  }
  const maxOps = token.max_ops ?? 0;
  if (maxOps > 0 && (ctx.operationCount ?? 0) > maxOps) {
    return failure('approval_token_max_ops_exceeded', `operation count ${ctx.operationCount} exceeds max_ops ${maxOps}`);
  }
  return { ok: true, token };
}

/**
 * Validates one token against the approval context, returning the first failing step's code
 * in §3.6 order, or `{ok:true, token: <normalized>}`. `now < expires_at` must hold. A context
 * member left empty/absent disables its check (as gait does for empty expectations).
 */
export async function validateApprovalToken(
  token: ApprovalToken,
  ctx: Partial<ApprovalContext>,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): Promise<ApprovalValidation> {
  const clock = toRfcTime(now, 'now');
  const pre = precheck(token, verifyKey);
  if ('done' in pre) return pre.done;
  try {
    await verifyJson(approvalTokenPayload(pre.token), pre.signature, pre.key);
  } catch (err) {
    return failure('approval_token_signature_invalid', err instanceof Error ? err.message : String(err));
  }
  return postcheck(pre.token, ctx, clock);
}

export function validateApprovalTokenSync(
  token: ApprovalToken,
  ctx: Partial<ApprovalContext>,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): ApprovalValidation {
  const clock = toRfcTime(now, 'now');
  const pre = precheck(token, verifyKey);
  if ('done' in pre) return pre.done;
  try {
    verifyJsonSync(approvalTokenPayload(pre.token), pre.signature, pre.key);
  } catch (err) {
    return failure('approval_token_signature_invalid', err instanceof Error ? err.message : String(err));
  }
  return postcheck(pre.token, ctx, clock);
}

// ---------------------------------------------------------------------------------------------
// Approval stage (§3.7) and audit record (§6.1)

export interface ApprovalAuditEntry {
  token_id?: string;
  approver_identity?: string;
  reason_code?: string;
  scope?: string[];
  expires_at: string;
  valid: boolean;
  error_code?: string;
}

export interface ApprovalTokenInput {
  /** The token's file path (tokens are evaluated in byte-sorted, de-duplicated path order). */
  path: string;
  token: ApprovalToken;
}

export interface ApprovalStageInput {
  tokens: readonly ApprovalTokenInput[];
  context: ApprovalContext;
  /** The policy outcome's minimum approvals; raised to at least 1. */
  minApprovals: number;
  /** True when a rule that produced the verdict has `min_approvals > 1` / `require_distinct_approvers`. */
  requireDistinctApprovers: boolean;
  verifyKey: Uint8Array | undefined | null;
  /** Wall clock for expiry. */
  now: TimeInput;
  /** `--approval-token-ref`, kept as `approval_ref` unless approval is granted. */
  approvalTokenRef?: string | undefined;
}

export interface ApprovalTokenOutcome {
  path: string;
  tokenId: string;
  ok: boolean;
  code?: ApprovalTokenCode;
  error?: string;
}

export interface ApprovalStageResult {
  granted: boolean;
  /** `allow` when granted, else `require_approval`. */
  verdict: 'allow' | 'require_approval';
  exitCode: 0 | 4;
  /** Codes to merge into `reason_codes` (sorted, unique). */
  reasonCodes: string[];
  /** Violations to merge (`approval_not_granted` or none). */
  violations: string[];
  /** Sorted unique valid token ids joined by `,` when granted, else the `--approval-token-ref` value. */
  approvalRef: string;
  requiredApprovals: number;
  validApprovals: number;
  /** Sorted unique approver identities of the valid tokens. */
  approvers: string[];
  /** Audit entries, sorted as §6.1 says. */
  entries: ApprovalAuditEntry[];
  /** Per token, in evaluation order. */
  outcomes: ApprovalTokenOutcome[];
}

function auditEntry(raw: ApprovalToken, result: ApprovalValidation): ApprovalAuditEntry {
  const out: Partial<ApprovalAuditEntry> = {};
  const tokenId = goTrim(raw.token_id);
  const approver = goTrim(raw.approver_identity);
  const reason = goTrim(raw.reason_code);
  const scope = trimmedSortedUnique(raw.scope ?? []);
  if (tokenId) out.token_id = tokenId;
  if (approver) out.approver_identity = approver;
  if (reason) out.reason_code = reason;
  if (scope.length > 0) out.scope = scope;
  out.expires_at = utcText(raw.expires_at);
  out.valid = result.ok;
  if (!result.ok) out.error_code = result.code;
  return out as ApprovalAuditEntry;
}

/** §6.1 entry order: token_id, approver, reason_code, expires_at (instant), joined scope. */
export function sortApprovalAuditEntries(entries: readonly ApprovalAuditEntry[]): ApprovalAuditEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareBytewise(a.token_id ?? '', b.token_id ?? '') ||
      compareBytewise(a.approver_identity ?? '', b.approver_identity ?? '') ||
      compareBytewise(a.reason_code ?? '', b.reason_code ?? '') ||
      compareTime(timeOf(a.expires_at), timeOf(b.expires_at)) ||
      compareBytewise((a.scope ?? []).join(','), (b.scope ?? []).join(',')),
  );
}

function stage(input: ApprovalStageInput, results: ReadonlyArray<{ item: ApprovalTokenInput; result: ApprovalValidation }>): ApprovalStageResult {
  const required = Math.max(Math.trunc(input.minApprovals) || 0, 1);
  const ref = input.approvalTokenRef ?? '';
  if (results.length === 0) {
    return {
      granted: false,
      verdict: 'require_approval',
      exitCode: 4,
      reasonCodes: ['approval_token_missing'],
      violations: ['approval_not_granted'],
      approvalRef: ref,
      requiredApprovals: required,
      validApprovals: 0,
      approvers: [],
      entries: [],
      outcomes: [],
    };
  }
  const reasons: string[] = [];
  const ids: string[] = [];
  const approvers: string[] = [];
  const entries: ApprovalAuditEntry[] = [];
  const outcomes: ApprovalTokenOutcome[] = [];
  let valid = 0;
  for (const { item, result } of results) {
    entries.push(auditEntry(item.token, result));
    if (result.ok) {
      valid++;
      ids.push(result.token.token_id);
      approvers.push(result.token.approver_identity);
      outcomes.push({ path: item.path, tokenId: result.token.token_id, ok: true });
    } else {
      reasons.push(result.code);
      outcomes.push({ path: item.path, tokenId: goTrim(item.token.token_id), ok: false, code: result.code, error: result.error });
    }
  }
  const violations: string[] = [];
  let granted = true;
  if (valid < required) {
    reasons.push('approval_chain_insufficient');
    violations.push('approval_not_granted');
    granted = false;
  }
  const distinct = trimmedSortedUnique(approvers);
  if (input.requireDistinctApprovers && required > 1 && distinct.length < required) {
    reasons.push('approval_distinct_approvers_required');
    violations.push('approval_not_granted');
    granted = false;
  }
  if (granted) reasons.push('approval_granted');
  return {
    granted,
    verdict: granted ? 'allow' : 'require_approval',
    exitCode: granted ? 0 : 4,
    reasonCodes: codeList(reasons),
    violations: codeList(violations),
    approvalRef: granted ? trimmedSortedUnique(ids).join(',') : ref,
    requiredApprovals: required,
    validApprovals: valid,
    approvers: distinct,
    entries: sortApprovalAuditEntries(entries),
    outcomes,
  };
}

function ordered(input: ApprovalStageInput): ApprovalTokenInput[] {
  const tokens = dedupeSorted(input.tokens);
  checkStageSize(tokens.length, 'approval');
  return tokens;
}

/**
 * The approval stage of `gate eval` (§3.7), to run only when the verdict is `require_approval`.
 * Tokens are de-duplicated by path and evaluated in byte-sorted path order. The caller merges
 * `reasonCodes`/`violations` into the result and applies `verdict` and `exitCode`.
 */
export async function evaluateApprovals(input: ApprovalStageInput): Promise<ApprovalStageResult> {
  const now = toRfcTime(input.now, 'now');
  const results = [];
  for (const item of ordered(input)) {
    results.push({ item, result: await validateApprovalToken(item.token, input.context, input.verifyKey, now) });
  }
  return stage(input, results);
}

export function evaluateApprovalsSync(input: ApprovalStageInput): ApprovalStageResult {
  const now = toRfcTime(input.now, 'now');
  const results = ordered(input).map((item) => ({
    item,
    result: validateApprovalTokenSync(item.token, input.context, input.verifyKey, now),
  }));
  return stage(input, results);
}

export interface ApprovalAuditRecord {
  schema_id: string;
  schema_version: string;
  created_at: string;
  producer_version: string;
  trace_id: string;
  tool_name: string;
  intent_digest: string;
  policy_digest: string;
  required_approvals: number;
  valid_approvals: number;
  approved: boolean;
  approvers?: string[];
  relationship: TraceRelationship;
  /** `null` when no token was evaluated: Gait v1.3.6 writes `"entries": null` then. */
  entries: ApprovalAuditEntry[] | null;
}

export interface ApprovalAuditInput {
  /** Gate result time (intent `created_at` in UTC; '' → 1980-01-01T00:00:00Z). */
  createdAt: TimeInput | '';
  producerVersion?: string | undefined;
  traceId: string;
  toolName: string;
  intentDigest: string;
  policyDigest: string;
  requiredApprovals: number;
  entries: readonly ApprovalAuditEntry[];
}

/** §6.1 `gait.gate.approval_audit_record` (not signed). Serialize with {@link serializeAuditRecord}. */
export function buildApprovalAuditRecord(input: ApprovalAuditInput): ApprovalAuditRecord {
  const createdTime = input.createdAt === '' ? undefined : toRfcTime(input.createdAt, 'created_at');
  const created = !createdTime || isZeroTime(createdTime) ? '1980-01-01T00:00:00Z' : formatRfc3339Nano(createdTime, true);
  const entries = sortApprovalAuditEntries(input.entries);
  const valid = entries.filter((e) => e.valid);
  const approvers = trimmedSortedUnique(valid.map((e) => e.approver_identity ?? ''));
  const policyDigest = trimLower(input.policyDigest);
  const intentDigest = trimLower(input.intentDigest);
  const required = Math.max(Math.trunc(input.requiredApprovals) || 0, 0);
  const record: ApprovalAuditRecord = {
    schema_id: APPROVAL_AUDIT_SCHEMA_ID,
    schema_version: APPROVAL_AUDIT_SCHEMA_VERSION,
    created_at: created,
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    trace_id: input.traceId,
    tool_name: input.toolName,
    intent_digest: intentDigest,
    policy_digest: policyDigest,
    required_approvals: required,
    valid_approvals: valid.length,
    approved: valid.length >= required,
    relationship: auditRelationship({ traceId: input.traceId, toolName: input.toolName, policyDigest, agents: approvers }),
    entries: entries.length > 0 ? entries : null,
  };
  if (approvers.length === 0) delete record.approvers;
  else {
    // keep struct order: approvers before relationship
    const { relationship, entries: e, ...head } = record;
    return { ...head, approvers, relationship, entries: e };
  }
  return record;
}

/** An audit record file: 2-space indented JSON + "\n" (Go's MarshalIndent escaping). */
export function serializeAuditRecord(record: object): string {
  return goMarshalIndent(record);
}
