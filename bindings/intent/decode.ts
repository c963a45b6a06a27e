/**
 * Reading an intent request (intent.md §1.1): Go's encoding/json decoding into Gait's typed
 * `IntentRequest` struct, reproduced by go-decode.ts, plus limits Gait does not have: at most
 * 1 MiB of text, at most 64 levels of nesting, and (for bytes) valid UTF-8. Every failure is an
 * invalid-input GaitError (exit 6).
 */
import { invalidInput } from '../errors.js';
import { JsonDepthError, JsonSyntaxError, JsonValueError, parseJsonTree, treeFromValue } from './json-tree.js';
import { fastDecodeValue } from './fast-decode.js';
import { BOOL, GoDecodeError, goDecode, MAP, STRING, STRINGS, TIME, type GoStruct, type GoType, type RawObject } from './go-decode.js';

export type { RawJson, RawObject } from './go-decode.js';

export const MAX_INTENT_BYTES = 1048576;
export const MAX_INTENT_DEPTH = 64;

const SIZE_MESSAGE = `intent exceeds maximum size of ${MAX_INTENT_BYTES} bytes`;
const DEPTH_MESSAGE = `intent exceeds maximum nesting depth of ${MAX_INTENT_DEPTH}`;

// ---- the decoded (not yet normalized) intent: Go zero values, nothing trimmed ----------------

export interface RawTarget {
  kind: string;
  value: string;
  operation: string;
  sensitivity: string;
  endpoint_class: string;
  endpoint_domain: string;
  destructive: boolean;
  discovery_method: string;
  read_only_hint: boolean;
  destructive_hint: boolean;
  idempotent_hint: boolean;
  open_world_hint: boolean;
}

export interface RawArgProvenance {
  arg_path: string;
  source: string;
  source_ref: string;
  integrity_digest: string;
}

export interface RawSkillProvenance {
  skill_name: string;
  skill_version: string;
  source: string;
  publisher: string;
  digest: string;
  signature_key_id: string;
}

export interface RawDelegationLink {
  delegator_identity: string;
  delegate_identity: string;
  scope_class: string;
  token_ref: string;
  /** RFC 3339 text as given (already validated); null when null or absent (Go's zero time). */
  issued_at: string | null;
  expires_at: string | null;
}

export interface RawDelegation {
  requester_identity: string;
  scope_class: string;
  token_refs: string[];
  chain: RawDelegationLink[];
  issued_at: string | null;
  expires_at: string | null;
}

export interface RawContext {
  identity: string;
  workspace: string;
  risk_class: string;
  phase: string;
  job_id: string;
  session_id: string;
  request_id: string;
  auth_context: RawObject | null;
  credential_scopes: string[];
  environment_fingerprint: string;
  context_set_digest: string;
  context_evidence_mode: string;
  context_refs: string[];
}

export interface RawScriptStep {
  tool_name: string;
  args: RawObject | null;
  targets: RawTarget[];
  arg_provenance: RawArgProvenance[];
}

export interface RawScript {
  steps: RawScriptStep[];
}

export interface RawNodeRef {
  kind: string;
  id: string;
}

export interface RawPolicyRef {
  policy_id: string;
  policy_version: string;
  policy_digest: string;
  matched_rule_ids: string[];
}

export interface RawAgentLink {
  identity: string;
  role: string;
}

export interface RawEdge {
  kind: string;
  from: RawNodeRef;
  to: RawNodeRef;
}

export interface RawAgentLineage {
  agent_id: string;
  delegated_by: string;
  delegation_record_id: string;
}

export interface RawRelationship {
  parent_ref: RawNodeRef | null;
  entity_refs: RawNodeRef[];
  policy_ref: RawPolicyRef | null;
  agent_chain: RawAgentLink[];
  edges: RawEdge[];
  parent_record_id: string;
  related_record_ids: string[];
  related_entity_ids: string[];
  agent_lineage: RawAgentLineage[];
}

export interface RawIntent {
  schema_id: string;
  schema_version: string;
  /** RFC 3339 text as given (already validated); null when null or absent (Go's zero time). */
  created_at: string | null;
  producer_version: string;
  tool_name: string;
  args: RawObject | null;
  args_digest: string;
  intent_digest: string;
  script_hash: string;
  script: RawScript | null;
  targets: RawTarget[];
  arg_provenance: RawArgProvenance[];
  skill_provenance: RawSkillProvenance | null;
  delegation: RawDelegation | null;
  relationship: RawRelationship | null;
  context: RawContext;
}

// ---- Gait's Go struct layout (names appear in decoder errors) --------------------------------

const struct = (spec: GoStruct, ptr = false): GoType => ({ t: 'struct', spec, ptr });
const slice = (spec: GoStruct): GoType => ({ t: 'slice', spec });

const TARGET: GoStruct = {
  name: 'IntentTarget', pkg: 'gate',
  fields: {
    kind: STRING, value: STRING, operation: STRING, sensitivity: STRING, endpoint_class: STRING,
    endpoint_domain: STRING, destructive: BOOL, discovery_method: STRING, read_only_hint: BOOL,
    destructive_hint: BOOL, idempotent_hint: BOOL, open_world_hint: BOOL,
  },
  zero: (): RawTarget => ({
    kind: '', value: '', operation: '', sensitivity: '', endpoint_class: '', endpoint_domain: '',
    destructive: false, discovery_method: '', read_only_hint: false, destructive_hint: false,
    idempotent_hint: false, open_world_hint: false,
  }),
};

const PROVENANCE: GoStruct = {
  name: 'IntentArgProvenance', pkg: 'gate',
  fields: { arg_path: STRING, source: STRING, source_ref: STRING, integrity_digest: STRING },
  zero: (): RawArgProvenance => ({ arg_path: '', source: '', source_ref: '', integrity_digest: '' }),
};

const SKILL: GoStruct = {
  name: 'SkillProvenance', pkg: 'gate',
  fields: { skill_name: STRING, skill_version: STRING, source: STRING, publisher: STRING, digest: STRING, signature_key_id: STRING },
  zero: (): RawSkillProvenance => ({ skill_name: '', skill_version: '', source: '', publisher: '', digest: '', signature_key_id: '' }),
};

const LINK: GoStruct = {
  name: 'DelegationLink', pkg: 'gate',
  fields: { delegator_identity: STRING, delegate_identity: STRING, scope_class: STRING, token_ref: STRING, issued_at: TIME, expires_at: TIME },
  zero: (): RawDelegationLink => ({ delegator_identity: '', delegate_identity: '', scope_class: '', token_ref: '', issued_at: null, expires_at: null }),
};

const DELEGATION: GoStruct = {
  name: 'IntentDelegation', pkg: 'gate',
  fields: { requester_identity: STRING, scope_class: STRING, token_refs: STRINGS, chain: slice(LINK), issued_at: TIME, expires_at: TIME },
  zero: (): RawDelegation => ({ requester_identity: '', scope_class: '', token_refs: [], chain: [], issued_at: null, expires_at: null }),
};

const CONTEXT: GoStruct = {
  name: 'IntentContext', pkg: 'gate',
  fields: {
    identity: STRING, workspace: STRING, risk_class: STRING, phase: STRING, job_id: STRING,
    session_id: STRING, request_id: STRING, auth_context: MAP, credential_scopes: STRINGS,
    environment_fingerprint: STRING, context_set_digest: STRING, context_evidence_mode: STRING,
    context_refs: STRINGS,
  },
  zero: (): RawContext => ({
    identity: '', workspace: '', risk_class: '', phase: '', job_id: '', session_id: '', request_id: '',
    auth_context: null, credential_scopes: [], environment_fingerprint: '', context_set_digest: '',
    context_evidence_mode: '', context_refs: [],
  }),
};

const STEP: GoStruct = {
  name: 'IntentScriptStep', pkg: 'gate',
  fields: { tool_name: STRING, args: MAP, targets: slice(TARGET), arg_provenance: slice(PROVENANCE) },
  zero: (): RawScriptStep => ({ tool_name: '', args: null, targets: [], arg_provenance: [] }),
};

const SCRIPT: GoStruct = {
  name: 'IntentScript', pkg: 'gate',
  fields: { steps: slice(STEP) },
  zero: (): RawScript => ({ steps: [] }),
};

const NODE_REF: GoStruct = {
  name: 'RelationshipNodeRef', pkg: 'common',
  fields: { kind: STRING, id: STRING },
  zero: (): RawNodeRef => ({ kind: '', id: '' }),
};

const REF: GoStruct = { ...NODE_REF, name: 'RelationshipRef' };

const POLICY_REF: GoStruct = {
  name: 'PolicyRef', pkg: 'common',
  fields: { policy_id: STRING, policy_version: STRING, policy_digest: STRING, matched_rule_ids: STRINGS },
  zero: (): RawPolicyRef => ({ policy_id: '', policy_version: '', policy_digest: '', matched_rule_ids: [] }),
};

const AGENT_LINK: GoStruct = {
  name: 'AgentLink', pkg: 'common',
  fields: { identity: STRING, role: STRING },
  zero: (): RawAgentLink => ({ identity: '', role: '' }),
};

const EDGE: GoStruct = {
  name: 'RelationshipEdge', pkg: 'common',
  fields: { kind: STRING, from: struct(NODE_REF), to: struct(NODE_REF) },
  zero: (): RawEdge => ({ kind: '', from: { kind: '', id: '' }, to: { kind: '', id: '' } }),
};

const LINEAGE: GoStruct = {
  name: 'AgentLineage', pkg: 'common',
  fields: { agent_id: STRING, delegated_by: STRING, delegation_record_id: STRING },
  zero: (): RawAgentLineage => ({ agent_id: '', delegated_by: '', delegation_record_id: '' }),
};

const RELATIONSHIP: GoStruct = {
  name: 'RelationshipEnvelope', pkg: 'common',
  fields: {
    parent_ref: struct(NODE_REF, true), entity_refs: slice(REF), policy_ref: struct(POLICY_REF, true),
    agent_chain: slice(AGENT_LINK), edges: slice(EDGE), parent_record_id: STRING,
    related_record_ids: STRINGS, related_entity_ids: STRINGS, agent_lineage: slice(LINEAGE),
  },
  zero: (): RawRelationship => ({
    parent_ref: null, entity_refs: [], policy_ref: null, agent_chain: [], edges: [], parent_record_id: '',
    related_record_ids: [], related_entity_ids: [], agent_lineage: [],
  }),
};

const REQUEST: GoStruct = {
  name: 'IntentRequest', pkg: 'gate',
  fields: {
    schema_id: STRING, schema_version: STRING, created_at: TIME, producer_version: STRING,
    tool_name: STRING, args: MAP, args_digest: STRING, intent_digest: STRING, script_hash: STRING,
    script: struct(SCRIPT, true), targets: slice(TARGET), arg_provenance: slice(PROVENANCE),
    skill_provenance: struct(SKILL, true), delegation: struct(DELEGATION, true),
    relationship: struct(RELATIONSHIP, true), context: struct(CONTEXT),
  },
  zero: (): RawIntent => ({
    schema_id: '', schema_version: '', created_at: null, producer_version: '', tool_name: '', args: null,
    args_digest: '', intent_digest: '', script_hash: '', script: null, targets: [], arg_provenance: [],
    skill_provenance: null, delegation: null, relationship: null, context: CONTEXT.zero() as RawContext,
  }),
};

/** A RawIntent with every field at its Go zero value (what `{}` or `null` decodes to). */
export function emptyRawIntent(): RawIntent {
  return REQUEST.zero() as RawIntent;
}

// ---- entry points ----------------------------------------------------------------------------

function decodeTree(tree: ReturnType<typeof parseJsonTree>, emptyTimeIsZero: boolean): RawIntent {
  try {
    return goDecode(tree, struct(REQUEST), REQUEST.zero(), { emptyTimeIsZero }) as RawIntent;
  } catch (err) {
    if (err instanceof GoDecodeError) throw invalidInput(`parse intent json: ${err.message}`);
    throw err;
  }
}

/** UTF-8 length of a JS string (a lone surrogate counts as U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 4 bytes for 2 units
      i++;
    } else n += 2;
  }
  return n;
}

/** Decodes intent JSON text. Throws GaitError (invalid_input) with Gait's `parse intent json: …`. */
export function decodeIntentJson(text: string): RawIntent {
  if (text.length > MAX_INTENT_BYTES || utf8Length(text) > MAX_INTENT_BYTES) throw invalidInput(SIZE_MESSAGE);
  let tree;
  try {
    tree = parseJsonTree(text, MAX_INTENT_DEPTH, DEPTH_MESSAGE);
  } catch (err) {
    if (err instanceof JsonDepthError) throw invalidInput(err.message);
    if (err instanceof JsonSyntaxError) throw invalidInput(`parse intent json: ${err.message}`);
    throw err;
  }
  return decodeTree(tree, false);
}

/** Offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), or -1. */
function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, min: number, max = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1, min = 0x80;
    else if (c === 0xe0) need = 2, min = 0xa0;
    else if (c === 0xed) need = 2, min = 0x80, max = 0x9f;
    else if (c >= 0xe1 && c <= 0xef) need = 2, min = 0x80;
    else if (c === 0xf0) need = 3, min = 0x90;
    else if (c === 0xf4) need = 3, min = 0x80, max = 0x8f;
    else if (c >= 0xf1 && c <= 0xf3) need = 3, min = 0x80;
    else return i;
    for (let j = 1; j <= need; j++) {
      const d = b[i + j];
      if (d === undefined) return i;
      if (j === 1 ? d < min || d > max : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes intent JSON bytes. Go would replace invalid UTF-8 with U+FFFD and digest that; we refuse
 * it instead, so two different byte strings can never share one intent digest.
 */
export function decodeIntentBytes(bytes: Uint8Array): RawIntent {
  if (bytes.length > MAX_INTENT_BYTES) throw invalidInput(SIZE_MESSAGE);
  const bad = invalidUtf8Offset(bytes);
  if (bad >= 0) throw invalidInput(`intent is not valid UTF-8 (invalid byte at offset ${bad})`);
  // ignoreBOM keeps a leading BOM, which Go rejects as `invalid character 'ï' …`.
  return decodeIntentJson(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
}

/**
 * Decodes an already-parsed value (library API) with the same rules, as if it were
 * `JSON.stringify(value)`, with three differences: Maps count as objects (so a RawIntent decodes
 * to itself), an empty-string time means "unset" (so a NormalizedIntent, whose unset times are '',
 * decodes and re-normalizes to itself), and BigInt, NaN and ±Infinity are rejected. Cycles and deep
 * nesting hit the depth limit. No size limit applies.
 */
export function decodeIntentValue(value: unknown): RawIntent {
  return fastDecodeIntentValue(value) ?? slowDecodeIntentValue(value);
}

/**
 * decodeIntentValue's one-pass path for plain, well-typed input (fast-decode.ts); `undefined`
 * when the input needs the general path. Exported for the equivalence tests.
 */
export function fastDecodeIntentValue(value: unknown): RawIntent | undefined {
  return fastDecodeValue(value, REQUEST) as RawIntent | undefined;
}

/** decodeIntentValue's general path (value → JSON tree → Go decoding). Exported for tests. */
export function slowDecodeIntentValue(value: unknown): RawIntent {
  let tree;
  try {
    tree = treeFromValue(value, MAX_INTENT_DEPTH, DEPTH_MESSAGE);
  } catch (err) {
    if (err instanceof JsonDepthError) throw invalidInput(err.message);
    if (err instanceof JsonValueError) throw invalidInput(`parse intent json: ${err.message}`);
    throw err;
  }
  if (tree === undefined) throw invalidInput('parse intent json: unexpected end of JSON input');
  return decodeTree(tree, true);
}
