/**
 * The approved-script registry (signed_artifacts.md §5): file parsing with gait's permissive
 * rules (§5.1), entry normalization and signing (§5.2), `approve-script` entry minting and the
 * in-place upsert (§5.3), `list-scripts` rows (§5.4), per-entry verification, the fail-closed
 * decisions of `gate eval` (§5.5) and fast-path matching (§5.6), including the upstream quirk
 * that the sorted, de-duplicated `tool_sequence` is compared with the ordered step tool names.
 *
 * Compatibility target v1.3.6 (spec README): entry `scope` keeps its case and is not checked
 * when matching (§5.8).
 */
import { GaitError, invalidInput } from '../errors.js';
import { compareBytewise } from '../canonical/order.js';
import { goTrim } from '../canonical/text.js';
import { SIGNATURE_VERIFY_FAILED, signJson, signJsonSync, verifyJson, verifyJsonSync, type Signature } from '../crypto/signed-json.js';
import { scriptHash as computeScriptHash } from '../intent/digest.js';
import type { IntentTarget, NormalizedIntent } from '../intent/model.js';
import { compareTime, formatRfc3339Nano, isZeroTime, toUtc, type RfcTime } from '../time.js';
import {
  addNanos,
  decodeStruct,
  DEFAULT_PRODUCER_VERSION,
  goMarshalIndent,
  isSha256Hex,
  NormalizeFailure,
  parseArtifactTree,
  renderTime,
  SIGNATURE_SPEC,
  textOf,
  timeOf,
  toRfcTime,
  trimLower,
  trimmedSortedUnique,
  ttlNanos,
  valueTree,
  ZERO_TIME_TEXT,
  type Decoded,
  type StructSpec,
  type TimeInput,
  type TtlInput,
} from './common.js';
import type { JNode } from '../intent/json-tree.js';

export const APPROVED_SCRIPT_SCHEMA_ID = 'gait.gate.approved_script_entry';
export const APPROVED_SCRIPT_SCHEMA_VERSION = '1.0.0';
export const DEFAULT_REGISTRY_TTL = '168h';
const CREATED_AT_DEFAULT = '1980-01-01T00:00:00Z';

/** One registry entry in Go struct order. Times are RFC 3339 text ('' = unset). */
export interface ApprovedScriptEntry {
  schema_id: string;
  schema_version: string;
  created_at: string;
  producer_version: string;
  pattern_id: string;
  policy_digest: string;
  script_hash: string;
  tool_sequence: string[];
  scope?: string[];
  approver_identity: string;
  expires_at: string;
  signature?: Signature;
}

export interface ApprovedScriptRegistry {
  entries: ApprovedScriptEntry[];
}

// ---------------------------------------------------------------------------------------------
// Parsing (§5.1)

const ENTRY_SPEC: StructSpec = {
  name: 'ApprovedScriptEntry',
  fields: {
    schema_id: 'string',
    schema_version: 'string',
    created_at: 'time',
    producer_version: 'string',
    pattern_id: 'string',
    policy_digest: 'string',
    script_hash: 'string',
    tool_sequence: 'strings',
    scope: 'strings',
    approver_identity: 'string',
    expires_at: 'time',
    signature: { struct: SIGNATURE_SPEC },
  },
};

const PARSE_PREFIX = 'parse approved script registry';
const ENTRY_GO_TYPE = 'gate.ApprovedScriptEntry';

function fromDecoded(d: Decoded): ApprovedScriptEntry {
  const entry: ApprovedScriptEntry = {
    schema_id: d.schema_id as string,
    schema_version: d.schema_version as string,
    created_at: d.created_at as string,
    producer_version: d.producer_version as string,
    pattern_id: d.pattern_id as string,
    policy_digest: d.policy_digest as string,
    script_hash: d.script_hash as string,
    tool_sequence: d.tool_sequence as string[],
    scope: d.scope as string[],
    approver_identity: d.approver_identity as string,
    expires_at: d.expires_at as string,
  };
  if (d.signature !== undefined) entry.signature = d.signature as Signature;
  return entry;
}

/** One entry from an already-parsed value (Go semantics; no normalization). */
export function decodeRegistryEntry(value: unknown): ApprovedScriptEntry {
  return fromDecoded(decodeStruct(valueTree(value, PARSE_PREFIX), ENTRY_SPEC, ENTRY_GO_TYPE, PARSE_PREFIX));
}

function kindOf(node: JNode): string {
  switch (node.k) {
    case 'arr': return 'array';
    case 'obj': return 'object';
    case 'str': return 'string';
    case 'num': return 'number';
    case 'bool': return 'bool';
    default: return 'null';
  }
}

function entriesNode(tree: JNode): JNode[] {
  if (tree.k === 'obj') {
    let found: JNode | undefined;
    for (const [key, value] of tree.entries) if (key === 'entries') found = value;
    if (found === undefined) {
      throw invalidInput(`${PARSE_PREFIX}: json: cannot unmarshal object into Go value of type []${ENTRY_GO_TYPE}`);
    }
    if (found.k !== 'arr') throw invalidInput(`${PARSE_PREFIX}: entries must be an array`);
    return found.items;
  }
  if (tree.k === 'arr') return tree.items;
  if (tree.k === 'null') return [];
  throw invalidInput(`${PARSE_PREFIX}: json: cannot unmarshal ${kindOf(tree)} into Go value of type []${ENTRY_GO_TYPE}`);
}

/**
 * Parses registry file text/bytes (§5.1): empty or whitespace-only → no entries;
 * `{"entries":[…]}` (the value must be an array; `null` fails); otherwise a bare array (legacy).
 * Every entry is normalized (§5.2): the first failure is `approved script entries[<i>]: <msg>`.
 * Parse errors are `parse approved script registry: …`. All are `invalidInput` GaitErrors.
 */
export function parseRegistry(input: string | Uint8Array): ApprovedScriptRegistry {
  const text = textOf(input);
  if (goTrim(text) === '') return { entries: [] };
  const tree = parseArtifactTree(input, PARSE_PREFIX);
  const items = entriesNode(tree);
  const raw = items.map((item) => fromDecoded(decodeStruct(item, ENTRY_SPEC, ENTRY_GO_TYPE, PARSE_PREFIX)));
  return {
    entries: raw.map((entry, i) => {
      try {
        return normalizeOrThrow(entry);
      } catch (err) {
        if (err instanceof NormalizeFailure) throw invalidInput(`approved script entries[${i}]: ${err.message}`);
        throw err;
      }
    }),
  };
}

/** File access for {@link readRegistry}: resolve `undefined` when the file does not exist. */
export interface RegistryIO {
  readFile(path: string): Promise<string | Uint8Array | undefined>;
}

/**
 * Reads a registry file: path required (`approved script registry path is required`), a missing
 * file is an empty registry, other read errors are `read approved script registry: <msg>`.
 */
export async function readRegistry(path: string, io: RegistryIO): Promise<ApprovedScriptRegistry> {
  const p = goTrim(path);
  if (p === '') throw invalidInput('approved script registry path is required');
  let content: string | Uint8Array | undefined;
  try {
    content = await io.readFile(p);
  } catch (err) {
    throw invalidInput(`read approved script registry: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (content === undefined) return { entries: [] };
  return parseRegistry(content);
}

// ---------------------------------------------------------------------------------------------
// Normalization and signing (§5.2)

function normalizeOrThrow(e: ApprovedScriptEntry): ApprovedScriptEntry {
  const fail = (m: string): never => {
    throw new NormalizeFailure(m);
  };
  // The comparison uses the trimmed value; the stored (and signed) value is the untrimmed one.
  let schemaId = e.schema_id;
  if (goTrim(schemaId) === '') schemaId = APPROVED_SCRIPT_SCHEMA_ID;
  else if (goTrim(schemaId) !== APPROVED_SCRIPT_SCHEMA_ID) fail(`unsupported approved script schema_id: ${schemaId}`);
  let schemaVersion = e.schema_version;
  if (goTrim(schemaVersion) === '') schemaVersion = APPROVED_SCRIPT_SCHEMA_VERSION;
  else if (goTrim(schemaVersion) !== APPROVED_SCRIPT_SCHEMA_VERSION) fail(`unsupported approved script schema_version: ${schemaVersion}`);
  const createdTime = timeOf(e.created_at);
  const created = isZeroTime(createdTime) ? timeOf(CREATED_AT_DEFAULT) : toUtc(createdTime);
  const patternId = goTrim(e.pattern_id);
  if (patternId === '') fail('pattern_id is required');
  const policy = trimLower(e.policy_digest);
  if (!isSha256Hex(policy)) fail('policy_digest must be sha256 hex');
  const script = trimLower(e.script_hash);
  if (!isSha256Hex(script)) fail('script_hash must be sha256 hex');
  const tools = trimmedSortedUnique((e.tool_sequence ?? []).map(trimLower));
  if (tools.length === 0) fail('tool_sequence is required');
  const scope = trimmedSortedUnique(e.scope ?? []); // v1.3.6: case kept
  const approver = goTrim(e.approver_identity);
  if (approver === '') fail('approver_identity is required');
  const expires = toUtc(timeOf(e.expires_at));
  if (compareTime(expires, created) <= 0) fail('expires_at must be after created_at');
  const out: ApprovedScriptEntry = {
    schema_id: schemaId,
    schema_version: schemaVersion,
    created_at: renderTime(created),
    producer_version: e.producer_version,
    pattern_id: patternId,
    policy_digest: policy,
    script_hash: script,
    tool_sequence: tools,
    ...(scope.length > 0 ? { scope } : {}),
    approver_identity: approver,
    expires_at: isZeroTime(expires) ? ZERO_TIME_TEXT : renderTime(expires),
  };
  if (e.signature !== undefined) out.signature = e.signature;
  return out;
}

/** §5.2 normalization; throws an `invalidInput` GaitError with gait's message. */
export function normalizeRegistryEntry(entry: ApprovedScriptEntry): ApprovedScriptEntry {
  try {
    return normalizeOrThrow(entry);
  } catch (err) {
    if (err instanceof NormalizeFailure) throw invalidInput(err.message);
    throw err;
  }
}

/** The signed projection (struct order, `scope` omitempty, no `signature`). */
export function registryEntryPayload(e: ApprovedScriptEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    schema_id: e.schema_id,
    schema_version: e.schema_version,
    created_at: e.created_at || ZERO_TIME_TEXT,
    producer_version: e.producer_version,
    pattern_id: e.pattern_id,
    policy_digest: e.policy_digest,
    script_hash: e.script_hash,
    tool_sequence: e.tool_sequence,
  };
  if (e.scope && e.scope.length > 0) out.scope = e.scope;
  out.approver_identity = e.approver_identity;
  out.expires_at = e.expires_at || ZERO_TIME_TEXT;
  return out;
}

function entryForFile(e: ApprovedScriptEntry): Record<string, unknown> {
  const out = registryEntryPayload(e);
  if (e.signature) {
    out.signature = {
      alg: e.signature.alg,
      key_id: e.signature.key_id,
      sig: e.signature.sig,
      ...(e.signature.signed_digest ? { signed_digest: e.signature.signed_digest } : {}),
    };
  }
  return out;
}

/** The registry file as gait writes it: entries sorted by pattern_id then created_at, indented, "\n". */
export function serializeRegistry(registry: ApprovedScriptRegistry): string {
  const entries = [...registry.entries].sort(
    (a, b) => compareBytewise(a.pattern_id, b.pattern_id) || compareTime(timeOf(a.created_at), timeOf(b.created_at)),
  );
  return goMarshalIndent({ entries: entries.map(entryForFile) });
}

/** §5.3 step 10: replace the entry with the same `pattern_id` in place, or append. */
export function upsertRegistryEntry(registry: ApprovedScriptRegistry, entry: ApprovedScriptEntry): ApprovedScriptRegistry {
  const entries = [...registry.entries];
  const i = entries.findIndex((e) => e.pattern_id === entry.pattern_id);
  if (i >= 0) entries[i] = entry;
  else entries.push(entry);
  return { entries };
}

export interface MintRegistryEntryInput {
  policyDigest: string;
  scriptHash: string;
  /** Step tool names in step order (stored normalized: sorted, unique). */
  toolSequence: readonly string[];
  approver: string;
  scope?: readonly string[] | undefined;
  /** Default `168h`. */
  ttl?: TtlInput | undefined;
  now: TimeInput;
  privateKey: Uint8Array | undefined;
  /** Default `pattern_` + first 12 hex of the script hash. */
  patternId?: string | undefined;
  producerVersion?: string | undefined;
}

function buildEntry(input: MintRegistryEntryInput): ApprovedScriptEntry {
  const ttl = ttlNanos(input.ttl ?? DEFAULT_REGISTRY_TTL);
  if (ttl === undefined || ttl <= 0n) throw invalidInput('invalid --ttl duration');
  if (!input.privateKey || input.privateKey.length === 0) throw invalidInput('signing private key is required');
  const hash = trimLower(input.scriptHash);
  const patternId = goTrim(input.patternId ?? '') || `pattern_${hash.slice(0, 12)}`;
  const now = toUtc(toRfcTime(input.now, 'now'));
  return normalizeRegistryEntry({
    schema_id: APPROVED_SCRIPT_SCHEMA_ID,
    schema_version: APPROVED_SCRIPT_SCHEMA_VERSION,
    created_at: renderTime(now),
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    pattern_id: patternId,
    policy_digest: input.policyDigest,
    script_hash: hash,
    tool_sequence: [...input.toolSequence],
    scope: [...(input.scope ?? [])],
    approver_identity: input.approver,
    expires_at: renderTime(addNanos(now, ttl)),
  });
}

/** `approve-script` steps 9 (build + sign); the caller then upserts and writes the registry. */
export async function mintRegistryEntry(input: MintRegistryEntryInput): Promise<ApprovedScriptEntry> {
  const entry = buildEntry(input);
  return { ...entry, signature: await signJson(registryEntryPayload(entry), input.privateKey!) };
}

export function mintRegistryEntrySync(input: MintRegistryEntryInput): ApprovedScriptEntry {
  const entry = buildEntry(input);
  return { ...entry, signature: signJsonSync(registryEntryPayload(entry), input.privateKey!) };
}

// ---------------------------------------------------------------------------------------------
// Verification (§5.2 VerifyApprovedScriptEntry)

type EntryPre = { error: string } | { entry: ApprovedScriptEntry; key: Uint8Array; signature: Signature };

function entryPrecheck(e: ApprovedScriptEntry, key: Uint8Array | undefined | null, now: RfcTime): EntryPre {
  let entry: ApprovedScriptEntry;
  try {
    entry = normalizeOrThrow(e);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (!entry.signature) return { error: 'signature is required' };
  if (compareTime(timeOf(entry.expires_at), now) <= 0) return { error: 'approved script entry is expired' };
  if (!key || key.length === 0) return { error: 'verify key is required' };
  return { entry, key, signature: entry.signature };
}

function signatureError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (message === SIGNATURE_VERIFY_FAILED) return 'approved script signature did not verify';
  return `verify approved script entry signature: ${message}`;
}

/** Verifies one entry; resolves to undefined when valid, else gait's error text. */
export async function verifyRegistryEntry(
  entry: ApprovedScriptEntry,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): Promise<string | undefined> {
  const pre = entryPrecheck(entry, verifyKey, toRfcTime(now, 'now'));
  if ('error' in pre) return pre.error;
  try {
    await verifyJson(registryEntryPayload(pre.entry), pre.signature, pre.key);
    return undefined;
  } catch (err) {
    return signatureError(err);
  }
}

export function verifyRegistryEntrySync(
  entry: ApprovedScriptEntry,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): string | undefined {
  const pre = entryPrecheck(entry, verifyKey, toRfcTime(now, 'now'));
  if ('error' in pre) return pre.error;
  try {
    verifyJsonSync(registryEntryPayload(pre.entry), pre.signature, pre.key);
    return undefined;
  } catch (err) {
    return signatureError(err);
  }
}

export type RegistryVerification = { ok: true } | { ok: false; index: number; error: string };

/** Verifies entries in file order, stopping at the first failure (an expired entry included). */
export async function verifyRegistry(
  registry: ApprovedScriptRegistry,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): Promise<RegistryVerification> {
  for (let i = 0; i < registry.entries.length; i++) {
    const error = await verifyRegistryEntry(registry.entries[i]!, verifyKey, now);
    if (error !== undefined) return { ok: false, index: i, error };
  }
  return { ok: true };
}

export function verifyRegistrySync(
  registry: ApprovedScriptRegistry,
  verifyKey: Uint8Array | undefined | null,
  now: TimeInput,
): RegistryVerification {
  for (let i = 0; i < registry.entries.length; i++) {
    const error = verifyRegistryEntrySync(registry.entries[i]!, verifyKey, now);
    if (error !== undefined) return { ok: false, index: i, error };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Fail-closed decisions (§5.5)

export type RegistryFailureKind =
  /** registry read / parse / normalize error */
  | 'registry_unavailable'
  /** no approved-script or approval verify key configured */
  | 'verify_key_missing'
  /** an entry failed verification (expired included) */
  | 'entry_verification_failed'
  /** the raw intent could not be normalized for matching */
  | 'match_failed';

export const CONTEXT_EVIDENCE_WARNING = 'approved script fast-path disabled because policy requires authenticated context evidence';

export type RegistryFailureDecision =
  | { readonly failClosed: true; readonly error: GaitError }
  | { readonly failClosed: false; readonly warning: string; readonly dropEntries: boolean };

/** Fail-closed mode: profile `oss-prod`, or the raw intent's risk class `high`/`critical`. */
export function isRegistryFailClosed(profile: string, rawRiskClass: string): boolean {
  const risk = trimLower(rawRiskClass);
  return trimLower(profile) === 'oss-prod' || risk === 'high' || risk === 'critical';
}

/**
 * What `gate eval` does on a registry failure (§5.5): in fail-closed mode an error
 * (category `policy_blocked`, exit 3, `ok:false`) with the exact message; otherwise a warning
 * and the fast path is skipped. `detail` is the underlying error text; `entryIndex` is needed for
 * `entry_verification_failed`. A broken verify-key *source* is not handled here (always exit 6).
 */
export function registryFailureDecision(
  kind: RegistryFailureKind,
  options: { failClosed: boolean; detail?: string | undefined; entryIndex?: number | undefined },
): RegistryFailureDecision {
  const detail = options.detail ?? '';
  let error: string;
  let warning: string;
  switch (kind) {
    case 'registry_unavailable':
      error = `approved script registry unavailable in fail-closed mode: ${detail}`;
      warning = 'approved script registry unavailable; continuing without fast-path pre-approval';
      break;
    case 'verify_key_missing':
      error = 'approved script registry verification unavailable in fail-closed mode: verify key required';
      warning = 'approved script fast-path disabled because registry verify key is not configured';
      break;
    case 'entry_verification_failed':
      error = `approved script registry verification failed at entry ${options.entryIndex ?? 0}: ${detail}`;
      warning = 'approved script registry entry failed verification; fast-path disabled';
      break;
    case 'match_failed':
      error = `approved script fast-path evaluation failed in fail-closed mode: ${detail}`;
      warning = 'approved script fast-path evaluation failed; continuing with policy evaluation';
      break;
  }
  if (options.failClosed) return { failClosed: true, error: new GaitError(error, 'policy_blocked') };
  return { failClosed: false, warning, dropEntries: kind !== 'match_failed' };
}

// ---------------------------------------------------------------------------------------------
// Fast-path matching (§5.6)

export type RegistryReason = 'approved_script_match' | 'approved_script_not_found' | 'not_script';

export interface RegistryMatch {
  match: boolean;
  /** '' unless matched. */
  pattern_id: string;
  reason: RegistryReason;
  entry?: ApprovedScriptEntry;
}

export interface RegistryMatchInput {
  /** Digest of the policy being evaluated. */
  policyDigest: string;
  /** The intent's normalized script hash. */
  scriptHash: string;
  /** Normalized step tool names in step order; undefined (or empty) when the intent is not a script. */
  stepToolNames: readonly string[] | undefined;
  /** Wall clock. */
  now: TimeInput;
}

/**
 * §5.6 step 2: the first entry (file order) with the same policy digest and script hash,
 * `expires_at > now`, and a `tool_sequence` (normalized: sorted, unique) equal element by
 * element to the step tool names in step order. Hence scripts whose tool names are not strictly
 * ascending never match (upstream quirk, kept). Entries are assumed verified.
 */
export function matchApprovedScript(registry: ApprovedScriptRegistry, input: RegistryMatchInput): RegistryMatch {
  const steps = input.stepToolNames;
  if (!steps || steps.length === 0) return { match: false, pattern_id: '', reason: 'not_script' };
  const now = toRfcTime(input.now, 'now');
  const policy = trimLower(input.policyDigest);
  const script = trimLower(input.scriptHash);
  const sequence = steps.map(trimLower);
  for (const raw of registry.entries) {
    let entry: ApprovedScriptEntry;
    try {
      entry = normalizeOrThrow(raw);
    } catch {
      continue;
    }
    if (entry.policy_digest !== policy || entry.script_hash !== script) continue;
    if (compareTime(timeOf(entry.expires_at), now) <= 0) continue;
    if (entry.tool_sequence.length !== sequence.length) continue;
    if (!entry.tool_sequence.every((t, i) => t === sequence[i])) continue;
    return { match: true, pattern_id: entry.pattern_id, reason: 'approved_script_match', entry };
  }
  return { match: false, pattern_id: '', reason: 'approved_script_not_found' };
}

/** {@link matchApprovedScript} for a normalized intent. */
export function matchApprovedScriptIntent(
  registry: ApprovedScriptRegistry,
  intent: NormalizedIntent,
  policyDigest: string,
  now: TimeInput,
): RegistryMatch {
  if (!intent.script) return { match: false, pattern_id: '', reason: 'not_script' };
  return matchApprovedScript(registry, {
    policyDigest,
    scriptHash: intent.script_hash || computeScriptHash(intent),
    stepToolNames: intent.script.steps.map((s) => s.tool_name),
    now,
  });
}

/** Step risk for the pre-approved outcome: high (fs.delete/proc.exec/destructive), medium, low. */
export function stepRiskClass(targets: readonly Pick<IntentTarget, 'endpoint_class' | 'destructive'>[]): 'low' | 'medium' | 'high' {
  let risk: 'low' | 'medium' | 'high' = 'low';
  for (const t of targets) {
    if (t.destructive || t.endpoint_class === 'fs.delete' || t.endpoint_class === 'proc.exec') return 'high';
    if (t.endpoint_class === 'fs.write' || t.endpoint_class === 'net.http' || t.endpoint_class === 'net.dns') risk = 'medium';
  }
  return risk;
}

export interface PreApprovedOutcome {
  verdict: 'allow';
  reason_codes: ['approved_script_match'];
  violations: [];
  pre_approved: true;
  pattern_id: string;
  registry_reason: 'approved_script_match';
  script: true;
  step_count: number;
  script_hash: string;
  step_verdicts: Array<{ index: number; tool_name: string; verdict: 'allow'; reason_codes: string[]; violations: string[] }>;
  composite_risk_class: 'low' | 'medium' | 'high';
}

/** §5.6 step 3: the outcome that replaces policy evaluation on a match. */
export function preApprovedOutcome(intent: NormalizedIntent, patternId: string): PreApprovedOutcome {
  const steps = intent.script?.steps ?? [];
  const risks = steps.map((s) => stepRiskClass(s.targets));
  const composite = risks.includes('high') ? 'high' : risks.includes('medium') ? 'medium' : 'low';
  return {
    verdict: 'allow',
    reason_codes: ['approved_script_match'],
    violations: [],
    pre_approved: true,
    pattern_id: patternId,
    registry_reason: 'approved_script_match',
    script: true,
    step_count: steps.length,
    script_hash: intent.script_hash || computeScriptHash(intent),
    step_verdicts: steps.map((s, index) => ({
      index,
      tool_name: s.tool_name,
      verdict: 'allow',
      reason_codes: ['approved_script_match'],
      violations: [],
    })),
    composite_risk_class: composite,
  };
}

// ---------------------------------------------------------------------------------------------
// list-scripts rows (§5.4) and approve-script summary (§5.3)

export interface RegistryListRow {
  pattern_id: string;
  approver_identity: string;
  policy_digest: string;
  script_hash: string;
  tool_sequence: string[];
  scope?: string[];
  expires_at: string;
  expired: boolean;
}

/** Entries in file order with `expired` (true unless `expires_at > now`). No signature check. */
export function listRegistryEntries(registry: ApprovedScriptRegistry, now: TimeInput): RegistryListRow[] {
  const clock = toRfcTime(now, 'now');
  return registry.entries.map((e) => ({
    pattern_id: e.pattern_id,
    approver_identity: e.approver_identity,
    policy_digest: e.policy_digest,
    script_hash: e.script_hash,
    tool_sequence: [...e.tool_sequence],
    ...(e.scope && e.scope.length > 0 ? { scope: [...e.scope] } : {}),
    expires_at: formatRfc3339Nano(timeOf(e.expires_at), true),
    expired: compareTime(timeOf(e.expires_at), clock) <= 0,
  }));
}
