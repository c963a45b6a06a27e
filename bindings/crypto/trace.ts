/**
 * The signed gate trace record, `gait.gate.trace` 1.0.0, as written by Gait v1.3.6 ("B")
 * (cli.md §2.8, §2.12; intent.md §8.4; signed_artifacts.md §4.9, §6.3).
 *
 * Members are emitted in Go struct order. Omission follows Go `omitempty`: the schema's required
 * members plus `observed_at` (always written) are always present; everything else, `violations`
 * included (Gait writes no `violations` when there are none, whatever the schema's default says),
 * is dropped when empty, zero or false. Records are built and re-read through one projection
 * ({@link projectTraceRecord}) so a file is verified over exactly the bytes Go would sign: unknown
 * members dropped, timestamps re-rendered as RFC3339Nano.
 */
import { GaitError, invalidInput } from '../errors.js';
import { digestJson, sha256Hex } from '../canonical/sha256.js';
import { compareBytewise, sortedUnique } from '../canonical/order.js';
import { wellFormed } from '../canonical/text.js';
import { goJson } from '../canonical/go-json.js';
import { JsonSyntaxError, parseJsonTree } from '../intent/json-tree.js';
import { keyId as computeKeyId, type VerifyKey } from './keys.js';
import { SIGNATURE_VERIFY_FAILED, signJson, signJsonSync, verifyJson, withoutSignature, type Signature, type SignedJsonOptions } from './signed-json.js';

export const TRACE_SCHEMA_ID = 'gait.gate.trace';
export const TRACE_SCHEMA_VERSION = '1.0.0';
const DEFAULT_PRODUCER_VERSION = '0.0.0-dev';
const ZERO_TIME = '0001-01-01T00:00:00Z';

// ---------------------------------------------------------------------------------------------
// Types (snake_case: the wire form)

export interface TraceStepVerdict {
  index: number;
  tool_name: string;
  verdict: string;
  reason_codes?: string[];
  violations?: string[];
  matched_rule?: string;
}

export interface TraceDelegationRef {
  delegation_token_ref?: string;
  requester_identity?: string;
  delegation_depth?: number;
  scope_class?: string;
  chain_digest?: string;
  reason_codes?: string[];
}

export interface TraceSkillProvenance {
  skill_name: string;
  skill_version?: string;
  source: string;
  publisher: string;
  digest?: string;
  signature_key_id?: string;
}

export interface RelationshipRef {
  kind: string;
  id: string;
}

export interface RelationshipPolicyRef {
  policy_id?: string;
  policy_version?: string;
  policy_digest?: string;
  matched_rule_ids?: string[];
}

export interface RelationshipAgent {
  identity: string;
  role: string;
}

export interface RelationshipEdge {
  kind: string;
  from: RelationshipRef;
  to: RelationshipRef;
}

export interface RelationshipAgentLineage {
  agent_id?: string;
  delegated_by?: string;
  delegation_record_id?: string;
}

/** The relationship envelope (intent.md §1.7), members in struct order. */
export interface TraceRelationship {
  parent_ref?: RelationshipRef;
  entity_refs?: RelationshipRef[];
  policy_ref?: RelationshipPolicyRef;
  agent_chain?: RelationshipAgent[];
  edges?: RelationshipEdge[];
  parent_record_id?: string;
  related_record_ids?: string[];
  related_entity_ids?: string[];
  agent_lineage?: RelationshipAgentLineage[];
}

export interface TraceRecord {
  schema_id: string;
  schema_version: string;
  created_at: string;
  observed_at: string;
  producer_version: string;
  trace_id: string;
  event_id?: string;
  correlation_id?: string;
  tool_name: string;
  args_digest: string;
  intent_digest: string;
  policy_digest: string;
  policy_id?: string;
  policy_version?: string;
  matched_rule_ids?: string[];
  verdict: string;
  context_set_digest?: string;
  context_evidence_mode?: string;
  context_ref_count?: number;
  context_source?: string;
  script?: boolean;
  step_count?: number;
  script_hash?: string;
  composite_risk_class?: string;
  step_verdicts?: TraceStepVerdict[];
  pre_approved?: boolean;
  pattern_id?: string;
  registry_reason?: string;
  violations?: string[];
  latency_ms?: number;
  approval_token_ref?: string;
  delegation_ref?: TraceDelegationRef;
  mcp_trust?: Record<string, unknown>;
  relationship?: TraceRelationship;
  skill_provenance?: TraceSkillProvenance;
  signature?: Signature;
}

/** The parts of a normalized intent the trace reads (`NormalizedIntent` satisfies it). */
export interface TraceIntent {
  tool_name: string;
  args?: unknown;
  args_digest?: string;
  context?: {
    identity?: string;
    session_id?: string;
    context_set_digest?: string;
    context_evidence_mode?: string;
    context_refs?: readonly string[];
  };
  delegation?:
    | {
        requester_identity: string;
        scope_class?: string;
        token_refs?: readonly string[];
        chain: ReadonlyArray<{ delegator_identity: string; delegate_identity: string }>;
      }
    | undefined;
  skill_provenance?:
    | {
        skill_name: string;
        skill_version?: string;
        source: string;
        publisher: string;
        digest?: string;
        signature_key_id?: string;
      }
    | undefined;
}

/** Step verdict as the gate reports it (`matched_rule` '' when none). */
export interface StepVerdictInput {
  index: number;
  tool_name: string;
  verdict: string;
  reason_codes?: readonly string[];
  violations?: readonly string[];
  matched_rule?: string;
}

/**
 * Everything a trace is built from. Values given explicitly win over values derived from
 * `intent`. Times are RFC3339 text (re-rendered as Go RFC3339Nano) or `Date`s.
 */
export interface TraceInput {
  createdAt: string | Date;
  observedAt: string | Date;
  producerVersion?: string;
  /** Default: {@link traceId}(policyDigest, intentDigest, verdict). */
  traceId?: string;
  /** Default: {@link eventId}(traceId, observedAt). */
  eventId?: string;
  correlationId?: string;
  /** The prepared (normalized) intent: tool name, args digest, context, delegation, skill provenance. */
  intent?: TraceIntent | undefined;
  toolName?: string;
  argsDigest?: string;
  intentDigest: string;
  policyDigest: string;
  policyId?: string;
  policyVersion?: string;
  /** Default: the rule names of the step verdicts (split on `,`, sorted, unique). */
  matchedRuleIds?: readonly string[];
  verdict: string;
  contextSetDigest?: string;
  contextEvidenceMode?: string;
  contextRefCount?: number;
  contextSource?: string;
  script?: boolean;
  stepCount?: number;
  scriptHash?: string;
  compositeRiskClass?: string;
  stepVerdicts?: readonly StepVerdictInput[];
  preApproved?: boolean;
  patternId?: string;
  registryReason?: string;
  violations?: readonly string[];
  latencyMs?: number;
  approvalTokenRef?: string;
  /** A ready `delegation_ref`; otherwise it is built from `intent.delegation` (§4.9). */
  delegationRef?: TraceDelegationRef;
  /** `delegation_ref` from the delegation stage (valid token ids joined by `,`). */
  delegationTokenRef?: string;
  /** §4.5 digest of the normalized delegation block (`delegation_ref.chain_digest`). */
  delegationChainDigest?: string;
  /** Final reason codes; those starting with `delegation_` go into `delegation_ref.reason_codes`. */
  reasonCodes?: readonly string[];
  mcpTrust?: Record<string, unknown>;
  /** A ready relationship block, `null` to omit it, or undefined to build it. */
  relationship?: TraceRelationship | null;
  /** Overrides for the relationship builder. */
  identity?: string;
  sessionId?: string;
  skillProvenance?: TraceSkillProvenance;
}

// ---------------------------------------------------------------------------------------------
// Identifiers and time

/** First 12 bytes (24 hex) of SHA-256(`<policy_digest>:<intent_digest>:<verdict>`). */
export function traceId(policyDigest: string, intentDigest: string, verdict: string): string {
  return sha256Hex(`${policyDigest}:${intentDigest}:${verdict}`).slice(0, 24);
}

/** First 12 bytes (24 hex) of SHA-256(`<trace_id>:<observed_at RFC3339Nano>`). */
export function eventId(traceIdValue: string, observedAt: string | Date): string {
  return sha256Hex(`${traceIdValue}:${renderTime(observedAt)}`).slice(0, 24);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Re-renders RFC 3339 text the way Go marshals a parsed `time.Time` (RFC3339Nano): trailing
 * fraction zeros dropped (no dot when zero), `Z` for a zero offset, any other offset kept.
 * Returns undefined when Go's strict parser would reject the text.
 */
export function goRfc3339Nano(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone, , oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(Number(y), month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone !== 'Z' && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  const fraction = (frac ?? '').replace(/0+$/, '');
  const offset = zone === 'Z' || (Number(oh) === 0 && Number(om) === 0) ? 'Z' : zone!;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction ? '.' + fraction : ''}${offset}`;
}

function renderTime(value: string | Date): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidInput('invalid time value');
    return goRfc3339Nano(value.toISOString())!;
  }
  if (value === '') return ZERO_TIME;
  const out = goRfc3339Nano(value);
  if (out === undefined) throw invalidInput(`parsing time ${JSON.stringify(value)} as RFC3339`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Projection (Go struct order + omitempty)

type Raw = Record<string, unknown>;

class ProjectionError extends Error {}

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function strField(raw: Raw, key: string): string {
  const v = raw[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ProjectionError(`${key}: expected string`);
  return wellFormed(v);
}

function numField(raw: Raw, key: string, integer: boolean): number {
  const v = raw[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new ProjectionError(`${key}: expected ${integer ? 'integer' : 'number'}`);
  }
  return v;
}

function boolField(raw: Raw, key: string): boolean {
  const v = raw[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new ProjectionError(`${key}: expected boolean`);
  return v;
}

function strList(raw: Raw, key: string): string[] {
  const v = raw[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ProjectionError(`${key}: expected array`);
  return v.map((item) => {
    if (typeof item !== 'string') throw new ProjectionError(`${key}: expected string items`);
    return wellFormed(item);
  });
}

function objList(raw: Raw, key: string): Raw[] {
  const v = raw[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ProjectionError(`${key}: expected array`);
  return v.map((item) => {
    if (!isObj(item)) throw new ProjectionError(`${key}: expected object items`);
    return item;
  });
}

function objField(raw: Raw, key: string): Raw | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new ProjectionError(`${key}: expected object`);
  return v;
}

function timeField(raw: Raw, key: string): string {
  const v = raw[key];
  if (v === undefined || v === null) return ZERO_TIME; // Go: zero time.Time is not omitted
  if (typeof v !== 'string') throw new ProjectionError(`${key}: expected RFC 3339 string`);
  const out = goRfc3339Nano(v);
  if (out === undefined) throw new ProjectionError(`parsing time ${JSON.stringify(v)} as RFC3339`);
  return out;
}

/** Sets `key` only when the value is non-empty (Go omitempty). */
function put(out: Raw, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value;
}

function projectRef(raw: Raw | undefined): RelationshipRef | undefined {
  if (!raw) return undefined;
  return { kind: strField(raw, 'kind'), id: strField(raw, 'id') };
}

function projectStep(raw: Raw): TraceStepVerdict {
  const out: Raw = { index: numField(raw, 'index', true), tool_name: strField(raw, 'tool_name'), verdict: strField(raw, 'verdict') };
  put(out, 'reason_codes', strList(raw, 'reason_codes'));
  put(out, 'violations', strList(raw, 'violations'));
  put(out, 'matched_rule', strField(raw, 'matched_rule'));
  return out as unknown as TraceStepVerdict;
}

function projectDelegationRef(raw: Raw | undefined): TraceDelegationRef | undefined {
  if (!raw) return undefined;
  const out: Raw = {};
  put(out, 'delegation_token_ref', strField(raw, 'delegation_token_ref'));
  put(out, 'requester_identity', strField(raw, 'requester_identity'));
  put(out, 'delegation_depth', numField(raw, 'delegation_depth', true));
  put(out, 'scope_class', strField(raw, 'scope_class'));
  put(out, 'chain_digest', strField(raw, 'chain_digest'));
  put(out, 'reason_codes', strList(raw, 'reason_codes'));
  return out as TraceDelegationRef;
}

function projectSkill(raw: Raw | undefined): TraceSkillProvenance | undefined {
  if (!raw) return undefined;
  const out: Raw = { skill_name: strField(raw, 'skill_name') };
  put(out, 'skill_version', strField(raw, 'skill_version'));
  out['source'] = strField(raw, 'source');
  out['publisher'] = strField(raw, 'publisher');
  put(out, 'digest', strField(raw, 'digest'));
  put(out, 'signature_key_id', strField(raw, 'signature_key_id'));
  return out as unknown as TraceSkillProvenance;
}

function projectRelationship(raw: Raw | undefined): TraceRelationship | undefined {
  if (!raw) return undefined;
  const out: Raw = {};
  put(out, 'parent_ref', projectRef(objField(raw, 'parent_ref')));
  put(out, 'entity_refs', objList(raw, 'entity_refs').map((r) => projectRef(r)!));
  const pr = objField(raw, 'policy_ref');
  if (pr) {
    const p: Raw = {};
    put(p, 'policy_id', strField(pr, 'policy_id'));
    put(p, 'policy_version', strField(pr, 'policy_version'));
    put(p, 'policy_digest', strField(pr, 'policy_digest'));
    put(p, 'matched_rule_ids', strList(pr, 'matched_rule_ids'));
    out['policy_ref'] = p;
  }
  put(
    out,
    'agent_chain',
    objList(raw, 'agent_chain').map((a) => ({ identity: strField(a, 'identity'), role: strField(a, 'role') })),
  );
  put(
    out,
    'edges',
    objList(raw, 'edges').map((e) => ({
      kind: strField(e, 'kind'),
      from: projectRef(objField(e, 'from')) ?? { kind: '', id: '' },
      to: projectRef(objField(e, 'to')) ?? { kind: '', id: '' },
    })),
  );
  put(out, 'parent_record_id', strField(raw, 'parent_record_id'));
  put(out, 'related_record_ids', strList(raw, 'related_record_ids'));
  put(out, 'related_entity_ids', strList(raw, 'related_entity_ids'));
  put(
    out,
    'agent_lineage',
    objList(raw, 'agent_lineage').map((l) => {
      const o: Raw = {};
      put(o, 'agent_id', strField(l, 'agent_id'));
      put(o, 'delegated_by', strField(l, 'delegated_by'));
      put(o, 'delegation_record_id', strField(l, 'delegation_record_id'));
      return o;
    }),
  );
  return out as TraceRelationship;
}

function projectSignature(raw: Raw | undefined): Signature | undefined {
  if (!raw) return undefined;
  const out: Raw = { alg: strField(raw, 'alg'), key_id: strField(raw, 'key_id'), sig: strField(raw, 'sig') };
  put(out, 'signed_digest', strField(raw, 'signed_digest'));
  return out as unknown as Signature;
}

/** A deep copy of a JSON value with lone surrogates replaced (what Go's decoder produces). */
function jsonCopy(v: unknown): unknown {
  if (typeof v === 'string') return wellFormed(v);
  if (Array.isArray(v)) return v.map(jsonCopy);
  if (isObj(v)) {
    const o: Raw = {};
    for (const k of Object.keys(v)) if (v[k] !== undefined) o[wellFormed(k)] = jsonCopy(v[k]);
    return o;
  }
  return v;
}

function projectUnchecked(raw: Raw): TraceRecord {
  const out: Raw = {
    schema_id: strField(raw, 'schema_id'),
    schema_version: strField(raw, 'schema_version'),
    created_at: timeField(raw, 'created_at'),
    observed_at: timeField(raw, 'observed_at'),
    producer_version: strField(raw, 'producer_version'),
    trace_id: strField(raw, 'trace_id'),
  };
  put(out, 'event_id', strField(raw, 'event_id'));
  put(out, 'correlation_id', strField(raw, 'correlation_id'));
  out['tool_name'] = strField(raw, 'tool_name');
  out['args_digest'] = strField(raw, 'args_digest');
  out['intent_digest'] = strField(raw, 'intent_digest');
  out['policy_digest'] = strField(raw, 'policy_digest');
  put(out, 'policy_id', strField(raw, 'policy_id'));
  put(out, 'policy_version', strField(raw, 'policy_version'));
  put(out, 'matched_rule_ids', strList(raw, 'matched_rule_ids'));
  out['verdict'] = strField(raw, 'verdict');
  put(out, 'context_set_digest', strField(raw, 'context_set_digest'));
  put(out, 'context_evidence_mode', strField(raw, 'context_evidence_mode'));
  put(out, 'context_ref_count', numField(raw, 'context_ref_count', true));
  put(out, 'context_source', strField(raw, 'context_source'));
  put(out, 'script', boolField(raw, 'script'));
  put(out, 'step_count', numField(raw, 'step_count', true));
  put(out, 'script_hash', strField(raw, 'script_hash'));
  put(out, 'composite_risk_class', strField(raw, 'composite_risk_class'));
  put(out, 'step_verdicts', objList(raw, 'step_verdicts').map(projectStep));
  put(out, 'pre_approved', boolField(raw, 'pre_approved'));
  put(out, 'pattern_id', strField(raw, 'pattern_id'));
  put(out, 'registry_reason', strField(raw, 'registry_reason'));
  put(out, 'violations', strList(raw, 'violations'));
  put(out, 'latency_ms', numField(raw, 'latency_ms', false));
  put(out, 'approval_token_ref', strField(raw, 'approval_token_ref'));
  put(out, 'delegation_ref', projectDelegationRef(objField(raw, 'delegation_ref')));
  const mcp = objField(raw, 'mcp_trust');
  if (mcp) out['mcp_trust'] = jsonCopy(mcp);
  put(out, 'relationship', projectRelationship(objField(raw, 'relationship')));
  put(out, 'skill_provenance', projectSkill(objField(raw, 'skill_provenance')));
  put(out, 'signature', projectSignature(objField(raw, 'signature')));
  return out as unknown as TraceRecord;
}

/**
 * Re-reads a parsed trace as Go's struct would: known members only, struct order, omitempty,
 * RFC3339Nano timestamps. Throws `GaitError` (`invalid_input`, `parse trace record: …`, Gait's
 * prefix) where Go's `json.Unmarshal` would fail (wrong types, bad timestamps). Field names match
 * exactly (Go would also match them case-insensitively; traces written by Gait never need that).
 */
export function projectTraceRecord(raw: unknown): TraceRecord {
  if (!isObj(raw)) throw invalidInput('parse trace record: expected a JSON object');
  try {
    return projectUnchecked(raw);
  } catch (err) {
    if (err instanceof ProjectionError) throw invalidInput(`parse trace record: ${err.message}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Building

const refKey = (r: RelationshipRef): string => `${r.kind}\u0000${r.id}`;

function compareRefs(a: RelationshipRef, b: RelationshipRef): number {
  return compareBytewise(a.kind, b.kind) || compareBytewise(a.id, b.id);
}

function uniqueSorted<T>(items: T[], key: (t: T) => string, cmp: (a: T, b: T) => number): T[] {
  const seen = new Map<string, T>();
  for (const it of items) if (!seen.has(key(it))) seen.set(key(it), it);
  return [...seen.values()].sort(cmp);
}

export interface RelationshipInput {
  traceId: string;
  toolName: string;
  policyDigest: string;
  policyId?: string;
  policyVersion?: string;
  matchedRuleIds?: readonly string[];
  identity?: string;
  sessionId?: string;
  delegation?: TraceIntent['delegation'];
}

/**
 * The trace's own relationship block (intent.md §8.4): parent session, entity refs (trace, tool,
 * agent identity, policy digest; sorted by kind then id), policy ref, agent chain (requester,
 * delegators, delegates; sorted by role then identity) and edges (`calls` agent→tool,
 * `governed_by` tool→policy, `delegates_to` per delegation link; sorted by kind, from, to) and
 * `related_entity_ids` (the entity refs' ids, sorted and de-duplicated: what Gait v1.3.6 writes,
 * although cli.md §2.8 does not list it). Empty ids are dropped, as relationship normalization
 * does.
 */
export function buildTraceRelationship(input: RelationshipInput): TraceRelationship | undefined {
  const identity = (input.identity ?? '').trim();
  const session = (input.sessionId ?? '').trim();
  const tool = input.toolName.trim();
  const digest = input.policyDigest.trim();
  const refs: RelationshipRef[] = [
    { kind: 'trace', id: input.traceId.trim() },
    { kind: 'tool', id: tool },
    { kind: 'agent', id: identity },
    { kind: 'policy', id: digest },
  ].filter((r) => r.id !== '');

  const agents: RelationshipAgent[] = [];
  const edges: RelationshipEdge[] = [];
  const delegation = input.delegation;
  const requester = (delegation?.requester_identity ?? '').trim() || identity;
  if (requester) agents.push({ identity: requester, role: 'requester' });
  for (const link of delegation?.chain ?? []) {
    const from = link.delegator_identity.trim();
    const to = link.delegate_identity.trim();
    if (from) agents.push({ identity: from, role: 'delegator' });
    if (to) agents.push({ identity: to, role: 'delegate' });
    if (from && to) edges.push({ kind: 'delegates_to', from: { kind: 'agent', id: from }, to: { kind: 'agent', id: to } });
  }
  if (identity && tool) edges.push({ kind: 'calls', from: { kind: 'agent', id: identity }, to: { kind: 'tool', id: tool } });
  if (tool && digest) edges.push({ kind: 'governed_by', from: { kind: 'tool', id: tool }, to: { kind: 'policy', id: digest } });

  const policyRef: Raw = {};
  put(policyRef, 'policy_id', (input.policyId ?? '').trim());
  put(policyRef, 'policy_version', (input.policyVersion ?? '').trim());
  put(policyRef, 'policy_digest', digest);
  put(policyRef, 'matched_rule_ids', sortedUnique((input.matchedRuleIds ?? []).map((s) => s.trim())));

  const out: Raw = {};
  if (session) out['parent_ref'] = { kind: 'session', id: session };
  const entityRefs = uniqueSorted(refs, refKey, compareRefs);
  put(out, 'entity_refs', entityRefs);
  if (Object.keys(policyRef).length > 0) out['policy_ref'] = policyRef;
  put(
    out,
    'agent_chain',
    uniqueSorted(
      agents,
      (a) => `${a.role}\u0000${a.identity}`,
      (a, b) => compareBytewise(a.role, b.role) || compareBytewise(a.identity, b.identity),
    ),
  );
  put(
    out,
    'edges',
    uniqueSorted(
      edges,
      (e) => `${e.kind}\u0000${refKey(e.from)}\u0000${refKey(e.to)}`,
      (a, b) => compareBytewise(a.kind, b.kind) || compareRefs(a.from, b.from) || compareRefs(a.to, b.to),
    ),
  );
  // Gait v1.3.6 fills this from the entity refs only (not the session parent, the agent chain or
  // the intent's own relationship block): their ids, de-duplicated, sorted bytewise.
  put(out, 'related_entity_ids', sortedUnique(entityRefs.map((r) => r.id)));
  return Object.keys(out).length > 0 ? (out as TraceRelationship) : undefined;
}

function matchedRulesFromSteps(steps: readonly StepVerdictInput[]): string[] {
  const names: string[] = [];
  for (const s of steps) for (const n of (s.matched_rule ?? '').split(',')) names.push(n.trim());
  return sortedUnique(names);
}

function buildDelegationRef(input: TraceInput): TraceDelegationRef | undefined {
  if (input.delegationRef) return input.delegationRef;
  const d = input.intent?.delegation;
  if (!d) return undefined;
  const tokenRef = input.delegationTokenRef?.trim() || sortedUnique([...(d.token_refs ?? [])].map((s) => s.trim()))[0] || '';
  return {
    delegation_token_ref: tokenRef,
    requester_identity: d.requester_identity,
    delegation_depth: d.chain.length,
    scope_class: d.scope_class ?? '',
    chain_digest: input.delegationChainDigest ?? '',
    reason_codes: sortedUnique((input.reasonCodes ?? []).filter((c) => c.startsWith('delegation_'))),
  };
}

/** Builds an unsigned trace record (cli.md §2.8), members in struct order, Go omitempty applied. */
export function buildTraceRecord(input: TraceInput): TraceRecord {
  const intent = input.intent;
  const ctx = intent?.context;
  const observedAt = renderTime(input.observedAt);
  const tid = input.traceId ?? traceId(input.policyDigest, input.intentDigest, input.verdict);
  const toolName = input.toolName ?? intent?.tool_name ?? '';
  const argsDigest = input.argsDigest ?? (intent ? intent.args_digest || digestJson(intent.args ?? {}) : '');
  const steps = input.stepVerdicts ?? [];
  const matchedRuleIds = input.matchedRuleIds ? sortedUnique(input.matchedRuleIds) : matchedRulesFromSteps(steps);
  const policyId = input.policyId ?? '';
  const policyVersion = input.policyVersion ?? '';

  let relationship: TraceRelationship | undefined;
  if (input.relationship === null) relationship = undefined;
  else if (input.relationship !== undefined) relationship = input.relationship;
  else {
    relationship = buildTraceRelationship({
      traceId: tid,
      toolName,
      policyDigest: input.policyDigest,
      policyId,
      policyVersion,
      matchedRuleIds,
      identity: input.identity ?? ctx?.identity ?? '',
      sessionId: input.sessionId ?? ctx?.session_id ?? '',
      delegation: intent?.delegation,
    });
  }

  const raw: Raw = {
    schema_id: TRACE_SCHEMA_ID,
    schema_version: TRACE_SCHEMA_VERSION,
    created_at: renderTime(input.createdAt),
    observed_at: observedAt,
    producer_version: input.producerVersion ?? DEFAULT_PRODUCER_VERSION,
    trace_id: tid,
    event_id: input.eventId ?? eventId(tid, observedAt),
    correlation_id: input.correlationId ?? '',
    tool_name: toolName,
    args_digest: argsDigest,
    intent_digest: input.intentDigest,
    policy_digest: input.policyDigest,
    policy_id: policyId,
    policy_version: policyVersion,
    matched_rule_ids: matchedRuleIds,
    verdict: input.verdict,
    context_set_digest: input.contextSetDigest ?? ctx?.context_set_digest ?? '',
    context_evidence_mode: input.contextEvidenceMode ?? ctx?.context_evidence_mode ?? '',
    context_ref_count: input.contextRefCount ?? ctx?.context_refs?.length ?? 0,
    context_source: input.contextSource ?? '',
    script: input.script ?? false,
    step_count: input.stepCount ?? 0,
    script_hash: input.scriptHash ?? '',
    composite_risk_class: input.compositeRiskClass ?? '',
    step_verdicts: steps.map((s) => ({
      index: s.index,
      tool_name: s.tool_name,
      verdict: s.verdict,
      reason_codes: s.reason_codes ? [...s.reason_codes] : [],
      violations: s.violations ? [...s.violations] : [],
      matched_rule: s.matched_rule ?? '',
    })),
    pre_approved: input.preApproved ?? false,
    pattern_id: input.patternId ?? '',
    registry_reason: input.registryReason ?? '',
    violations: sortedUnique(input.violations ?? []),
    latency_ms: input.latencyMs !== undefined && Number.isFinite(input.latencyMs) ? input.latencyMs : 0,
    approval_token_ref: input.approvalTokenRef ?? '',
    delegation_ref: buildDelegationRef(input),
    mcp_trust: input.mcpTrust,
    relationship,
    skill_provenance: input.skillProvenance ?? intent?.skill_provenance,
  };
  return projectTraceRecord(raw);
}

// ---------------------------------------------------------------------------------------------
// Signing, verification, serialization

/** Signs the record (over the record without `signature`) and returns it with `signature` last. */
export async function signTrace(record: TraceRecord, privateKey: Uint8Array, options: SignedJsonOptions = {}): Promise<TraceRecord> {
  const unsigned = withoutSignature(record);
  const signature = await signJson(unsigned, privateKey, options);
  return { ...unsigned, signature } as TraceRecord;
}

export function signTraceSync(record: TraceRecord, privateKey: Uint8Array): TraceRecord {
  const unsigned = withoutSignature(record);
  return { ...unsigned, signature: signJsonSync(unsigned, privateKey) } as TraceRecord;
}

export interface TraceVerifyResult {
  ok: boolean;
  trace_id: string;
  verdict: string;
  signature_status: 'verified' | 'failed';
  /**
   * The record's `signature.key_id` (or the verify key's id when the record has none), only once
   * the Ed25519 check itself ran (verified, or a well-formed signature that does not hold), as
   * Gait v1.3.6 reports it.
   */
  key_id?: string;
  /** Why verification stopped before the Ed25519 check; absent when that check ran and failed. */
  error?: string;
}

export const TRACE_SIGNATURE_MISSING = 'trace signature missing';

/** Trace JSON text read as Gait reads it: Go's syntax messages, then projectTraceRecord. */
export function parseTraceRecord(text: string): TraceRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    let message = (err as Error).message;
    try {
      parseJsonTree(text, Infinity, '');
    } catch (goErr) {
      if (goErr instanceof JsonSyntaxError) message = goErr.message;
    }
    throw invalidInput(`parse trace record: ${message}`);
  }
  return projectTraceRecord(parsed);
}

/**
 * `gait trace verify` (cli.md §2.8). Unparseable input throws `GaitError` (`invalid_input`,
 * exit 6). A missing signature, or any step before the Ed25519 check failing (digest mismatch
 * after tampering, bad encoding, another key), gives `ok:false`, `signature_status:"failed"` and
 * that step's `error`, without `key_id`; a well-formed signature that does not verify gives
 * `ok:false` with `key_id` and no `error` (exit 2 both).
 */
export async function verifyTrace(
  record: string | object,
  key: Uint8Array | VerifyKey,
  options: SignedJsonOptions = {},
): Promise<TraceVerifyResult> {
  const projected = typeof record === 'string' ? parseTraceRecord(record) : projectTraceRecord(record);
  const publicKey = key instanceof Uint8Array ? key : key.publicKey;
  const signature = projected.signature;
  const base = { trace_id: projected.trace_id, verdict: projected.verdict };
  if (!signature) return { ok: false, ...base, signature_status: 'failed', error: TRACE_SIGNATURE_MISSING };
  const keyId = signature.key_id || computeKeyId(publicKey);
  try {
    await verifyJson(withoutSignature(projected), signature, publicKey, options);
  } catch (err) {
    if (err instanceof GaitError && err.message === SIGNATURE_VERIFY_FAILED) {
      return { ok: false, ...base, signature_status: 'failed', key_id: keyId };
    }
    if (err instanceof GaitError) return { ok: false, ...base, signature_status: 'failed', error: err.message };
    throw err;
  }
  return { ok: true, ...base, signature_status: 'verified', key_id: keyId };
}

/** The trace file bytes: 2-space indented JSON in struct order with Go's escaping, plus "\n". */
export function serializeTrace(record: TraceRecord): string {
  // Go's json.MarshalIndent: struct order, HTML escaping even in indented output.
  return goJson(record, { sortKeys: false, indent: '  ' }) + '\n';
}
