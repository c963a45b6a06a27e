/**
 * Delegation tokens (`gait.gate.delegation_token` 1.0.0), signed_artifacts.md §4: model, Go
 * parsing, normalization (§4.3), `token_id` (§4.2), minting (§4.4), single-token validation in
 * the §4.6 order, chain validation (§4.7), the delegation stage of `gate eval` (§4.8), the trace
 * `delegation_ref` object (§4.9) and the audit record (§6.2).
 */
import { invalidInput } from '../errors.js';
import { compareBytewise } from '../canonical/order.js';
import { sha256Hex } from '../canonical/sha256.js';
import { goTrim } from '../canonical/text.js';
import { signJson, signJsonSync, verifyJson, verifyJsonSync, type Signature } from '../crypto/signed-json.js';
import type { TraceDelegationRef, TraceRelationship } from '../crypto/trace.js';
import { delegationDigest } from '../intent/digest.js';
import type { IntentDelegation } from '../intent/model.js';
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
  goMarshalIndent,
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
  type Decoded,
  type StructSpec,
  type TimeInput,
  type TtlInput,
  type Validation,
} from './common.js';

export const DELEGATION_TOKEN_SCHEMA_ID = 'gait.gate.delegation_token';
export const DELEGATION_TOKEN_SCHEMA_VERSION = '1.0.0';
export const DELEGATION_AUDIT_SCHEMA_ID = 'gait.gate.delegation_audit_record';
export const DELEGATION_AUDIT_SCHEMA_VERSION = '1.0.0';

/** A delegation token in Go struct order; times as in {@link ApprovalToken} ('' = unset). */
export interface DelegationToken {
  schema_id: string;
  schema_version: string;
  created_at: string;
  producer_version: string;
  token_id: string;
  delegator_identity: string;
  delegate_identity: string;
  scope: string[];
  scope_class?: string;
  intent_digest?: string;
  policy_digest?: string;
  expires_at: string;
  signature?: Signature;
}

export type DelegationTokenCode =
  | 'delegation_token_invalid'
  | 'delegation_token_signature_missing'
  | 'delegation_token_signature_invalid'
  | 'delegation_token_expired'
  | 'delegation_token_delegator_mismatch'
  | 'delegation_token_delegate_mismatch'
  | 'delegation_token_intent_mismatch'
  | 'delegation_token_policy_mismatch'
  | 'delegation_token_scope_mismatch';

/** Codes an audit entry can carry (the token codes plus the chain-level ones). */
export type DelegationEntryCode = DelegationTokenCode | 'delegation_token_missing' | 'delegation_token_chain_mismatch';

// ---------------------------------------------------------------------------------------------
// Parsing

const DELEGATION_SPEC: StructSpec = {
  name: 'DelegationToken',
  fields: {
    schema_id: 'string',
    schema_version: 'string',
    created_at: 'time',
    producer_version: 'string',
    token_id: 'string',
    delegator_identity: 'string',
    delegate_identity: 'string',
    scope: 'strings',
    scope_class: 'string',
    intent_digest: 'string',
    policy_digest: 'string',
    expires_at: 'time',
    signature: { struct: SIGNATURE_SPEC },
  },
};

const PARSE_PREFIX = 'parse delegation token';

function fromDecoded(d: Decoded): DelegationToken {
  const token: DelegationToken = {
    schema_id: d.schema_id as string,
    schema_version: d.schema_version as string,
    created_at: d.created_at as string,
    producer_version: d.producer_version as string,
    token_id: d.token_id as string,
    delegator_identity: d.delegator_identity as string,
    delegate_identity: d.delegate_identity as string,
    scope: d.scope as string[],
    scope_class: d.scope_class as string,
    intent_digest: d.intent_digest as string,
    policy_digest: d.policy_digest as string,
    expires_at: d.expires_at as string,
  };
  if (d.signature !== undefined) token.signature = d.signature as Signature;
  return token;
}

/** Parses token text/bytes with Go semantics; failures are `parse delegation token: <Go message>`. */
export function parseDelegationToken(input: string | Uint8Array): DelegationToken {
  return fromDecoded(decodeStruct(parseArtifactTree(input, PARSE_PREFIX), DELEGATION_SPEC, 'gate.DelegationToken', PARSE_PREFIX));
}

export function decodeDelegationToken(value: unknown): DelegationToken {
  return fromDecoded(decodeStruct(valueTree(value, PARSE_PREFIX), DELEGATION_SPEC, 'gate.DelegationToken', PARSE_PREFIX));
}

// ---------------------------------------------------------------------------------------------
// Normalization, projection, token id

function normalizeOrThrow(t: DelegationToken): DelegationToken {
  const fail = (m: string): never => {
    throw new NormalizeFailure(m);
  };
  let schemaId = t.schema_id;
  if (schemaId === '') schemaId = DELEGATION_TOKEN_SCHEMA_ID;
  else if (schemaId !== DELEGATION_TOKEN_SCHEMA_ID) fail(`unsupported schema_id: ${schemaId}`);
  let schemaVersion = t.schema_version;
  if (schemaVersion === '') schemaVersion = DELEGATION_TOKEN_SCHEMA_VERSION;
  else if (schemaVersion !== DELEGATION_TOKEN_SCHEMA_VERSION) fail(`unsupported schema_version: ${schemaVersion}`);
  const tokenId = goTrim(t.token_id);
  if (tokenId === '') fail('token_id is required');
  const delegator = goTrim(t.delegator_identity);
  const delegate = goTrim(t.delegate_identity);
  if (delegator === '' || delegate === '') fail('delegator_identity and delegate_identity are required');
  const scope = normalizeScopeList(t.scope ?? []);
  if (scope.length === 0) fail('scope is required');
  const scopeClass = trimLower(t.scope_class ?? '');
  const intent = trimLower(t.intent_digest ?? '');
  if (intent !== '' && !isSha256Hex(intent)) fail('intent_digest must be sha256 hex when set');
  const policy = trimLower(t.policy_digest ?? '');
  if (policy !== '' && !isSha256Hex(policy)) fail('policy_digest must be sha256 hex when set');
  if (isZeroText(t.created_at)) fail('created_at is required');
  if (isZeroText(t.expires_at)) fail('expires_at is required');
  const out: DelegationToken = {
    schema_id: schemaId,
    schema_version: schemaVersion,
    created_at: t.created_at,
    producer_version: t.producer_version,
    token_id: tokenId,
    delegator_identity: delegator,
    delegate_identity: delegate,
    scope,
    scope_class: scopeClass,
    intent_digest: intent,
    policy_digest: policy,
    expires_at: t.expires_at,
  };
  if (t.signature !== undefined) out.signature = t.signature;
  return out;
}

/** §4.3 normalization; throws an `invalidInput` GaitError with gait's message. */
export function normalizeDelegationToken(token: DelegationToken): DelegationToken {
  try {
    return normalizeOrThrow(token);
  } catch (err) {
    if (err instanceof NormalizeFailure) throw invalidInput(err.message);
    throw err;
  }
}

/** The signed projection: Go struct order, `omitempty` on scope_class and the digests. */
export function delegationTokenPayload(t: DelegationToken): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schema_id: t.schema_id,
    schema_version: t.schema_version,
    created_at: t.created_at || ZERO_TIME_TEXT,
    producer_version: t.producer_version,
    token_id: t.token_id,
    delegator_identity: t.delegator_identity,
    delegate_identity: t.delegate_identity,
    scope: t.scope,
  };
  if (t.scope_class) out.scope_class = t.scope_class;
  if (t.intent_digest) out.intent_digest = t.intent_digest;
  if (t.policy_digest) out.policy_digest = t.policy_digest;
  out.expires_at = t.expires_at || ZERO_TIME_TEXT;
  return out;
}

export function serializeDelegationToken(t: DelegationToken): string {
  const out = delegationTokenPayload(t);
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

export interface DelegationTokenIdInput {
  delegator_identity: string;
  delegate_identity: string;
  scope: readonly string[];
  scope_class?: string | undefined;
  intent_digest?: string | undefined;
  policy_digest?: string | undefined;
  expires_at: string | RfcTime;
}

/**
 * §4.2: first 24 hex of SHA-256 over
 * `<delegator>:<delegate>:<scope csv>:<scope_class>:<intent_digest>:<policy_digest>:<expires_at UTC>`.
 */
export function delegationTokenId(t: DelegationTokenIdInput): string {
  const expires = typeof t.expires_at === 'string' ? utcText(t.expires_at) : formatRfc3339Nano(t.expires_at, true);
  return sha256Hex(
    [
      t.delegator_identity,
      t.delegate_identity,
      t.scope.join(','),
      t.scope_class ?? '',
      t.intent_digest ?? '',
      t.policy_digest ?? '',
      expires,
    ].join(':'),
  ).slice(0, 24);
}

// ---------------------------------------------------------------------------------------------
// Minting (§4.4)

export interface MintDelegationTokenInput {
  delegator: string;
  delegate: string;
  scope: readonly string[];
  scopeClass?: string | undefined;
  intentDigest?: string | undefined;
  policyDigest?: string | undefined;
  ttl: TtlInput;
  now: TimeInput;
  privateKey: Uint8Array | undefined;
  producerVersion?: string | undefined;
}

function buildDelegationToken(input: MintDelegationTokenInput): DelegationToken {
  if (!input.privateKey || input.privateKey.length === 0) throw invalidInput('signing private key is required');
  const ttl = ttlNanos(input.ttl);
  if (ttl === undefined) throw invalidInput('invalid --ttl, expected positive duration');
  if (ttl <= 0n) throw invalidInput('ttl must be greater than 0');
  const delegator = goTrim(input.delegator);
  const delegate = goTrim(input.delegate);
  if (delegator === '' || delegate === '') throw invalidInput('delegator and delegate identities are required');
  const scope = normalizeScopeList(input.scope);
  if (scope.length === 0) throw invalidInput('scope must include at least one value');
  const intent = trimLower(input.intentDigest ?? '');
  if (intent !== '' && !isSha256Hex(intent)) throw invalidInput('intent_digest must be sha256 hex when set');
  const policy = trimLower(input.policyDigest ?? '');
  if (policy !== '' && !isSha256Hex(policy)) throw invalidInput('policy_digest must be sha256 hex when set');
  const created = toUtc(toRfcTime(input.now, 'now'));
  const token: DelegationToken = {
    schema_id: DELEGATION_TOKEN_SCHEMA_ID,
    schema_version: DELEGATION_TOKEN_SCHEMA_VERSION,
    created_at: renderTime(created),
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    token_id: '',
    delegator_identity: delegator,
    delegate_identity: delegate,
    scope,
    scope_class: trimLower(input.scopeClass ?? ''),
    intent_digest: intent,
    policy_digest: policy,
    expires_at: renderTime(addNanos(created, ttl)),
  };
  token.token_id = delegationTokenId(token);
  return normalizeDelegationToken(token);
}

/** `gait delegate mint` minus flags and files (§4.4 validation messages). */
export async function mintDelegationToken(input: MintDelegationTokenInput): Promise<DelegationToken> {
  const token = buildDelegationToken(input);
  return { ...token, signature: await signJson(delegationTokenPayload(token), input.privateKey!) };
}

export function mintDelegationTokenSync(input: MintDelegationTokenInput): DelegationToken {
  const token = buildDelegationToken(input);
  return { ...token, signature: signJsonSync(delegationTokenPayload(token), input.privateKey!) };
}

/**
 * The JSON result fields shared by `delegate mint` and `delegate verify` (without `ok`,
 * `token_path`, `warnings`, `correlation_id`).
 */
export function delegationTokenSummary(
  token: DelegationToken,
  description: 'signed delegation token created' | 'delegation token verified',
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    token_id: token.token_id,
    delegator_identity: token.delegator_identity,
    delegate_identity: token.delegate_identity,
    scope: [...token.scope],
  };
  if (token.scope_class) out.scope_class = token.scope_class;
  out.expires_at = formatRfc3339(timeOf(token.expires_at), true);
  out.key_id = token.signature?.key_id ?? '';
  out.description = description;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Single-token validation (§4.6)

export interface DelegationExpectation {
  /** Expected delegator; '' or absent = any. Compared exactly (case-sensitive) after trimming. */
  delegator?: string | undefined;
  delegate?: string | undefined;
  /** Compared only when both this and the token's value are non-empty. */
  intentDigest?: string | undefined;
  policyDigest?: string | undefined;
  /** Required scopes (e.g. a rule's `delegation_scopes`); any one of them must be granted. */
  requiredScopes?: readonly string[] | undefined;
}

export type DelegationValidation = Validation<DelegationTokenCode, DelegationToken>;

type Pre = { done: DelegationValidation } | { token: DelegationToken; key: Uint8Array; signature: Signature };

function precheck(token: DelegationToken, verifyKey: Uint8Array | undefined | null): Pre {
  let normalized: DelegationToken;
  try {
    normalized = normalizeOrThrow(token);
  } catch (err) {
    return { done: failure('delegation_token_invalid', err instanceof Error ? err.message : String(err)) };
  }
  if (!verifyKey || verifyKey.length === 0) {
    return { done: failure('delegation_token_signature_invalid', 'verification public key is required') };
  }
  if (!normalized.signature) return { done: failure('delegation_token_signature_missing', 'signature is required') };
  return { token: normalized, key: verifyKey, signature: normalized.signature };
}

// The detail texts are Gait's (`delegate verify` prints `<code>: <detail>`).
function postcheck(token: DelegationToken, exp: DelegationExpectation, now: RfcTime): DelegationValidation {
  if (compareTime(now, timeOf(token.expires_at)) >= 0) return failure('delegation_token_expired', 'token expired');
  const delegator = goTrim(exp.delegator ?? '');
  if (delegator !== '' && delegator !== token.delegator_identity) {
    return failure('delegation_token_delegator_mismatch', 'delegator mismatch');
  }
  const delegate = goTrim(exp.delegate ?? '');
  if (delegate !== '' && delegate !== token.delegate_identity) {
    return failure('delegation_token_delegate_mismatch', 'delegate mismatch');
  }
  const intent = trimLower(exp.intentDigest ?? '');
  if (intent !== '' && token.intent_digest && intent !== token.intent_digest) {
    return failure('delegation_token_intent_mismatch', 'intent digest mismatch');
  }
  const policy = trimLower(exp.policyDigest ?? '');
  if (policy !== '' && token.policy_digest && policy !== token.policy_digest) {
    return failure('delegation_token_policy_mismatch', 'policy digest mismatch');
  }
  const required = normalizeScopeList(exp.requiredScopes ?? []);
  if (required.length > 0) {
    const granted = new Set(token.scope);
    if (token.scope_class) granted.add(token.scope_class);
    if (!granted.has('*') && !required.some((s) => granted.has(s))) {
      return failure('delegation_token_scope_mismatch', 'scope mismatch');
    }
  }
  return { ok: true, token };
}

/** §4.6, first failure wins; `{ok:true, token: <normalized>}` otherwise. */
export async function validateDelegationToken(
  token: DelegationToken,
  expect: DelegationExpectation,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): Promise<DelegationValidation> {
  const clock = toRfcTime(now, 'now');
  const pre = precheck(token, verifyKey);
  if ('done' in pre) return pre.done;
  try {
    await verifyJson(delegationTokenPayload(pre.token), pre.signature, pre.key);
  } catch (err) {
    return failure('delegation_token_signature_invalid', err instanceof Error ? err.message : String(err));
  }
  return postcheck(pre.token, expect, clock);
}

export function validateDelegationTokenSync(
  token: DelegationToken,
  expect: DelegationExpectation,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): DelegationValidation {
  const clock = toRfcTime(now, 'now');
  const pre = precheck(token, verifyKey);
  if ('done' in pre) return pre.done;
  try {
    verifyJsonSync(delegationTokenPayload(pre.token), pre.signature, pre.key);
  } catch (err) {
    return failure('delegation_token_signature_invalid', err instanceof Error ? err.message : String(err));
  }
  return postcheck(pre.token, expect, clock);
}

// ---------------------------------------------------------------------------------------------
// Chain validation (§4.7)

export interface DelegationTokenInput {
  path: string;
  token: DelegationToken;
}

export interface DelegationAuditEntry {
  token_id?: string;
  delegator_identity?: string;
  delegate_identity?: string;
  scope?: string[];
  expires_at: string;
  valid: boolean;
  error_code?: string;
}

export interface DelegationChainInput {
  /** The normalized intent's `delegation` block (undefined when the intent has none). */
  delegation: IntentDelegation | undefined;
  tokens: readonly DelegationTokenInput[];
  verifyKey: Uint8Array | undefined | null;
  /** Wall clock. */
  now: TimeInput;
  /** Union of the matched rules' `delegation_scopes`. */
  requiredScopes: readonly string[];
  intentDigest: string;
  policyDigest: string;
}

export interface DelegationChainResult {
  complete: boolean;
  /** Number of required links (chain hops, or 1 synthetic link). 0 without a delegation block. */
  requiredLinks: number;
  validDelegations: number;
  /** Sorted unique ids of the consumed tokens. */
  validTokenIds: string[];
  /** Audit entries, sorted by delegator, delegate, token_id. */
  entries: DelegationAuditEntry[];
}

/** §6.2 entry order. */
export function sortDelegationAuditEntries(entries: readonly DelegationAuditEntry[]): DelegationAuditEntry[] {
  return [...entries].sort(
    (a, b) =>
      compareBytewise(a.delegator_identity ?? '', b.delegator_identity ?? '') ||
      compareBytewise(a.delegate_identity ?? '', b.delegate_identity ?? '') ||
      compareBytewise(a.token_id ?? '', b.token_id ?? ''),
  );
}

/**
 * A token's audit entry, from the token as read (used or not), as Gait writes it: `token_id` and
 * the identities exactly as in the file (whitespace kept; omitted only when empty), `scope`
 * trimmed, de-duplicated and sorted (case kept), `expires_at` in UTC.
 */
function entryOf(raw: DelegationToken, valid: boolean, code: string | undefined): DelegationAuditEntry {
  const out: Partial<DelegationAuditEntry> = {};
  const scope = trimmedSortedUnique(raw.scope ?? []);
  if (raw.token_id) out.token_id = raw.token_id;
  if (raw.delegator_identity) out.delegator_identity = raw.delegator_identity;
  if (raw.delegate_identity) out.delegate_identity = raw.delegate_identity;
  if (scope.length > 0) out.scope = scope;
  out.expires_at = utcText(raw.expires_at);
  out.valid = valid;
  if (code) out.error_code = code;
  return out as DelegationAuditEntry;
}

type Checked = { raw: DelegationToken; pre: DelegationValidation | undefined; normalized: DelegationToken | undefined };

/** Steps 5-10 for a token whose steps 1-4 already ran (`pre` is their failure, if any). */
function linkCheck(c: Checked, exp: DelegationExpectation, now: RfcTime): DelegationValidation {
  if (c.pre) return c.pre;
  return postcheck(c.normalized!, exp, now);
}

function chain(input: DelegationChainInput, checked: readonly Checked[], now: RfcTime): DelegationChainResult {
  const d = input.delegation;
  if (!d) return { complete: false, requiredLinks: 0, validDelegations: 0, validTokenIds: [], entries: [] };
  const links =
    d.chain.length > 0
      ? d.chain.map((l) => ({ delegator: l.delegator_identity, delegate: l.delegate_identity }))
      : [{ delegator: '', delegate: d.requester_identity }];
  const base = { intentDigest: input.intentDigest, policyDigest: input.policyDigest, requiredScopes: input.requiredScopes };
  const used = new Array<boolean>(checked.length).fill(false);
  const entries: DelegationAuditEntry[] = [];
  const ids: string[] = [];
  let firstUnmatched = -1;
  links.forEach((link, li) => {
    const exp = { ...base, delegator: link.delegator, delegate: link.delegate };
    for (let i = 0; i < checked.length; i++) {
      if (used[i]) continue;
      const r = linkCheck(checked[i]!, exp, now);
      if (r.ok) {
        used[i] = true;
        ids.push(r.token.token_id);
        entries.push(entryOf(checked[i]!.raw, true, undefined));
        return;
      }
    }
    if (firstUnmatched < 0) firstUnmatched = li;
    const missing: Partial<DelegationAuditEntry> = {};
    if (goTrim(link.delegator)) missing.delegator_identity = goTrim(link.delegator);
    if (goTrim(link.delegate)) missing.delegate_identity = goTrim(link.delegate);
    missing.expires_at = ZERO_TIME_TEXT;
    missing.valid = false;
    missing.error_code = 'delegation_token_missing';
    entries.push(missing as DelegationAuditEntry);
  });
  for (let i = 0; i < checked.length; i++) {
    if (used[i]) continue;
    let code: string = 'delegation_token_chain_mismatch';
    if (firstUnmatched >= 0) {
      const link = links[firstUnmatched]!;
      const r = linkCheck(checked[i]!, { ...base, delegator: link.delegator, delegate: link.delegate }, now);
      if (!r.ok && r.code) code = r.code;
    }
    entries.push(entryOf(checked[i]!.raw, false, code));
  }
  return {
    complete: ids.length === links.length,
    requiredLinks: links.length,
    validDelegations: ids.length,
    validTokenIds: trimmedSortedUnique(ids),
    entries: sortDelegationAuditEntries(entries),
  };
}

function orderedTokens(tokens: readonly DelegationTokenInput[]): DelegationTokenInput[] {
  const out = dedupeSorted(tokens);
  checkStageSize(out.length, 'delegation');
  return out;
}

async function checkAll(input: DelegationChainInput): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const { token } of orderedTokens(input.tokens)) {
    const pre = precheck(token, input.verifyKey);
    if ('done' in pre) {
      out.push({ raw: token, pre: pre.done, normalized: undefined });
      continue;
    }
    try {
      await verifyJson(delegationTokenPayload(pre.token), pre.signature, pre.key);
      out.push({ raw: token, pre: undefined, normalized: pre.token });
    } catch (err) {
      out.push({ raw: token, pre: failure('delegation_token_signature_invalid', err instanceof Error ? err.message : String(err)), normalized: undefined });
    }
  }
  return out;
}

function checkAllSync(input: DelegationChainInput): Checked[] {
  return orderedTokens(input.tokens).map(({ token }) => {
    const pre = precheck(token, input.verifyKey);
    if ('done' in pre) return { raw: token, pre: pre.done, normalized: undefined };
    try {
      verifyJsonSync(delegationTokenPayload(pre.token), pre.signature, pre.key);
      return { raw: token, pre: undefined, normalized: pre.token };
    } catch (err) {
      return { raw: token, pre: failure('delegation_token_signature_invalid', err instanceof Error ? err.message : String(err)), normalized: undefined };
    }
  });
}

/**
 * §4.7: pairs tokens (byte-sorted path order) with the intent's chain links in order; each link
 * consumes the first unused token that passes §4.6 for that hop. Signature checks run once per
 * token (they do not depend on the link).
 */
export async function validateDelegationChain(input: DelegationChainInput): Promise<DelegationChainResult> {
  const now = toRfcTime(input.now, 'now');
  return chain(input, await checkAll(input), now);
}

export function validateDelegationChainSync(input: DelegationChainInput): DelegationChainResult {
  const now = toRfcTime(input.now, 'now');
  return chain(input, checkAllSync(input), now);
}

// ---------------------------------------------------------------------------------------------
// Delegation stage (§4.8)

export interface DelegationStageResult {
  granted: boolean;
  /** `block` when delegation failed; null leaves the verdict alone. */
  verdict: 'block' | null;
  exitCode: 0 | 3;
  /** Codes to merge into `reason_codes` (sorted, unique). */
  reasonCodes: string[];
  violations: string[];
  /** Valid token ids joined by `,` when granted, else ''. */
  delegationRef: string;
  validDelegations: number;
  requiredLinks: number;
  validTokenIds: string[];
  entries: DelegationAuditEntry[];
}

function stageOf(input: DelegationChainInput, result: DelegationChainResult | undefined): DelegationStageResult {
  if (!result) {
    return {
      granted: false,
      verdict: 'block',
      exitCode: 3,
      reasonCodes: ['delegation_token_missing'],
      violations: ['delegation_not_granted'],
      delegationRef: '',
      validDelegations: 0,
      requiredLinks: input.delegation ? Math.max(input.delegation.chain.length, 1) : 0,
      validTokenIds: [],
      entries: [],
    };
  }
  if (!result.complete) {
    const codes = result.entries.filter((e) => !e.valid && e.error_code).map((e) => e.error_code!);
    return {
      granted: false,
      verdict: 'block',
      exitCode: 3,
      reasonCodes: codeList([...codes, 'delegation_chain_insufficient']),
      violations: ['delegation_not_granted'],
      delegationRef: '',
      validDelegations: result.validDelegations,
      requiredLinks: result.requiredLinks,
      validTokenIds: result.validTokenIds,
      entries: result.entries,
    };
  }
  return {
    granted: true,
    verdict: null,
    exitCode: 0,
    reasonCodes: ['delegation_granted'],
    violations: [],
    delegationRef: result.validTokenIds.join(','),
    validDelegations: result.validDelegations,
    requiredLinks: result.requiredLinks,
    validTokenIds: result.validTokenIds,
    entries: result.entries,
  };
}

/**
 * The delegation stage of `gate eval` (§4.8), run when a matched rule that produced the verdict
 * has `require_delegation`. No tokens → block `delegation_token_missing`; an incomplete chain →
 * block with every invalid entry's code plus `delegation_chain_insufficient`; complete →
 * `delegation_granted` and `delegation_ref` (surplus tokens' codes stay in the audit only).
 */
export async function evaluateDelegations(input: DelegationChainInput): Promise<DelegationStageResult> {
  if (orderedTokens(input.tokens).length === 0) return stageOf(input, undefined);
  return stageOf(input, await validateDelegationChain(input));
}

export function evaluateDelegationsSync(input: DelegationChainInput): DelegationStageResult {
  if (orderedTokens(input.tokens).length === 0) return stageOf(input, undefined);
  return stageOf(input, validateDelegationChainSync(input));
}

// ---------------------------------------------------------------------------------------------
// Trace delegation_ref (§4.9) and audit record (§6.2)

/**
 * The trace's `delegation_ref` object, only when the intent has a delegation block:
 * `delegation_token_ref` (the stage's `delegation_ref`, else the first sorted intent token_ref),
 * requester, depth (omitted when 0), scope_class, `chain_digest` (§4.5) and every final reason
 * code starting with `delegation_`, sorted.
 */
export function traceDelegationRef(input: {
  delegation: IntentDelegation | undefined;
  delegationRef?: string | undefined;
  reasonCodes: readonly string[];
}): TraceDelegationRef | undefined {
  const d = input.delegation;
  if (!d) return undefined;
  const out: TraceDelegationRef = {};
  const ref = goTrim(input.delegationRef ?? '') || trimmedSortedUnique(d.token_refs)[0] || '';
  if (ref) out.delegation_token_ref = ref;
  out.requester_identity = d.requester_identity;
  if (d.chain.length > 0) out.delegation_depth = d.chain.length;
  if (d.scope_class) out.scope_class = d.scope_class;
  out.chain_digest = delegationDigest({ delegation: d });
  const codes = codeList(input.reasonCodes.filter((c) => c.startsWith('delegation_')));
  if (codes.length > 0) out.reason_codes = codes;
  return out;
}

export interface DelegationAuditRecord {
  schema_id: string;
  schema_version: string;
  created_at: string;
  producer_version: string;
  trace_id: string;
  tool_name: string;
  intent_digest: string;
  policy_digest: string;
  delegation_required: boolean;
  valid_delegations: number;
  delegated: boolean;
  delegation_ref?: string;
  relationship: TraceRelationship;
  entries: DelegationAuditEntry[];
}

export interface DelegationAuditInput {
  /** Gate result time; '' (zero) → `now`. */
  createdAt: TimeInput | '';
  now: TimeInput;
  producerVersion?: string | undefined;
  traceId: string;
  toolName: string;
  intentDigest: string;
  policyDigest: string;
  delegationRequired: boolean;
  delegationRef?: string | undefined;
  entries: readonly DelegationAuditEntry[];
}

/** §6.2 `gait.gate.delegation_audit_record` (not signed). */
export function buildDelegationAuditRecord(input: DelegationAuditInput): DelegationAuditRecord {
  let createdTime = input.createdAt === '' ? undefined : toRfcTime(input.createdAt, 'created_at');
  if (!createdTime || isZeroTime(createdTime)) createdTime = toRfcTime(input.now, 'now');
  const created = formatRfc3339Nano(createdTime, true);
  const entries = sortDelegationAuditEntries(input.entries);
  const valid = entries.filter((e) => e.valid).length;
  const policyDigest = trimLower(input.policyDigest);
  const record: DelegationAuditRecord = {
    schema_id: DELEGATION_AUDIT_SCHEMA_ID,
    schema_version: DELEGATION_AUDIT_SCHEMA_VERSION,
    created_at: created,
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    trace_id: input.traceId,
    tool_name: input.toolName,
    intent_digest: trimLower(input.intentDigest),
    policy_digest: policyDigest,
    delegation_required: input.delegationRequired,
    valid_delegations: valid,
    delegated: valid > 0,
    relationship: auditRelationship({
      traceId: input.traceId,
      toolName: input.toolName,
      policyDigest,
      agents: [],
      links: entries.map((e) => ({ delegator: e.delegator_identity ?? '', delegate: e.delegate_identity ?? '' })),
    }),
    entries,
  };
  const ref = goTrim(input.delegationRef ?? '');
  if (ref === '') return record;
  const { relationship, entries: e, ...head } = record;
  return { ...head, delegation_ref: ref, relationship, entries: e };
}
