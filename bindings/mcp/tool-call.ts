/**
 * The ToolCall (mcp.md §1): the canonical "mcp" adapter input, decoded the way Gait's Go
 * encoding/json fills its `mcp.ToolCall` struct (unknown keys dropped, case-insensitive keys,
 * last duplicate wins, fatal type mismatches with Go's messages naming Gait's struct types).
 * The other adapters (adapters.ts) build a ToolCall too.
 */
import { invalidInput } from '../errors.js';
import { BOOL, MAP, STRING, STRINGS, TIME, GoDecodeError, goDecode, type GoStruct, type GoType, type RawObject } from '../intent/go-decode.js';
import { JsonDepthError, JsonSyntaxError, JsonValueError, parseJsonTree, treeFromValue, type JNode } from '../intent/json-tree.js';
import type { McpServerInfo } from './types.js';

export interface ToolCallTarget {
  kind: string;
  value: string;
  operation: string;
  sensitivity: string;
  discovery_method: string;
  discoveryMethod: string;
  read_only_hint: boolean;
  readOnlyHint: boolean;
  destructive_hint: boolean;
  destructiveHint: boolean;
  idempotent_hint: boolean;
  idempotentHint: boolean;
  open_world_hint: boolean;
  openWorldHint: boolean;
  annotations: RawObject | null;
}

export interface ToolCallArgProvenance {
  arg_path: string;
  source: string;
  source_ref: string;
  integrity_digest: string;
}

export interface ToolCallStep {
  name: string;
  args: RawObject | null;
  targets: ToolCallTarget[];
  arg_provenance: ToolCallArgProvenance[];
}

export interface ToolCallOAuthEvidence {
  issuer: string;
  audience: string[];
  subject: string;
  client_id: string;
  token_type: string;
  scopes: string[];
  dcr_client_id: string;
  redirect_uri: string;
  token_binding: string;
  auth_time: string;
  evidence_ref: string;
}

export interface ToolCallContext {
  identity: string;
  workspace: string;
  risk_class: string;
  phase: string;
  job_id: string;
  session_id: string;
  request_id: string;
  run_id: string;
  auth_mode: string;
  oauth_evidence: ToolCallOAuthEvidence | null;
  auth_context: RawObject | null;
  credential_scopes: string[];
  environment_fingerprint: string;
  context_envelope_path: string;
}

export interface ToolCallDelegationLink {
  delegator_identity: string;
  delegate_identity: string;
  scope_class: string;
  token_ref: string;
}

export interface ToolCallDelegation {
  requester_identity: string;
  scope_class: string;
  token_refs: string[];
  chain: ToolCallDelegationLink[];
}

/** A decoded tool call: Go zero values for what the payload left out, nothing trimmed. */
export interface ToolCall {
  name: string;
  args: RawObject | null;
  script: { steps: ToolCallStep[] } | null;
  target: string;
  targets: ToolCallTarget[];
  arg_provenance: ToolCallArgProvenance[];
  server: McpServerInfo | null;
  context: ToolCallContext;
  delegation: ToolCallDelegation | null;
  /** RFC 3339 text as given (validated); null when absent or null. */
  created_at: string | null;
}

// ---- Gait's struct layout (the names appear in decoder errors) --------------------------------

const struct = (spec: GoStruct, ptr = false): GoType => ({ t: 'struct', spec, ptr });
const slice = (spec: GoStruct): GoType => ({ t: 'slice', spec });

const TARGET: GoStruct = {
  name: 'Target', pkg: 'mcp',
  fields: {
    kind: STRING, value: STRING, operation: STRING, sensitivity: STRING, discovery_method: STRING, discoveryMethod: STRING,
    read_only_hint: BOOL, readOnlyHint: BOOL, destructive_hint: BOOL, destructiveHint: BOOL, idempotent_hint: BOOL,
    idempotentHint: BOOL, open_world_hint: BOOL, openWorldHint: BOOL, annotations: MAP,
  },
  zero: (): ToolCallTarget => ({
    kind: '', value: '', operation: '', sensitivity: '', discovery_method: '', discoveryMethod: '', read_only_hint: false,
    readOnlyHint: false, destructive_hint: false, destructiveHint: false, idempotent_hint: false, idempotentHint: false,
    open_world_hint: false, openWorldHint: false, annotations: null,
  }),
};

const PROVENANCE: GoStruct = {
  name: 'ArgProvenance', pkg: 'mcp',
  fields: { arg_path: STRING, source: STRING, source_ref: STRING, integrity_digest: STRING },
  zero: (): ToolCallArgProvenance => ({ arg_path: '', source: '', source_ref: '', integrity_digest: '' }),
};

const STEP: GoStruct = {
  name: 'ScriptStep', pkg: 'mcp',
  fields: { name: STRING, args: MAP, targets: slice(TARGET), arg_provenance: slice(PROVENANCE) },
  zero: (): ToolCallStep => ({ name: '', args: null, targets: [], arg_provenance: [] }),
};

const SCRIPT: GoStruct = {
  name: 'ScriptCall', pkg: 'mcp',
  fields: { steps: slice(STEP) },
  zero: () => ({ steps: [] }),
};

export const SERVER_INFO: GoStruct = {
  name: 'ServerInfo', pkg: 'mcp',
  fields: { server_id: STRING, server_name: STRING, publisher: STRING, source: STRING, endpoint: STRING },
  zero: (): McpServerInfo => ({ server_id: '', server_name: '', publisher: '', source: '', endpoint: '' }),
};

const OAUTH_EVIDENCE: GoStruct = {
  name: 'OAuthEvidence', pkg: 'mcp',
  fields: {
    issuer: STRING, audience: STRINGS, subject: STRING, client_id: STRING, token_type: STRING, scopes: STRINGS,
    dcr_client_id: STRING, redirect_uri: STRING, token_binding: STRING, auth_time: STRING, evidence_ref: STRING,
  },
  zero: (): ToolCallOAuthEvidence => ({
    issuer: '', audience: [], subject: '', client_id: '', token_type: '', scopes: [], dcr_client_id: '', redirect_uri: '',
    token_binding: '', auth_time: '', evidence_ref: '',
  }),
};

/** The OAuth evidence struct, for re-decoding `auth_context.oauth_evidence` (§7.3). */
export const OAUTH_EVIDENCE_TYPE: GoType = struct(OAUTH_EVIDENCE, true);

const CONTEXT: GoStruct = {
  name: 'CallContext', pkg: 'mcp',
  fields: {
    identity: STRING, workspace: STRING, risk_class: STRING, phase: STRING, job_id: STRING, session_id: STRING,
    request_id: STRING, run_id: STRING, auth_mode: STRING, oauth_evidence: struct(OAUTH_EVIDENCE, true), auth_context: MAP,
    credential_scopes: STRINGS, environment_fingerprint: STRING, context_envelope_path: STRING,
  },
  zero: (): ToolCallContext => emptyContext(),
};

const LINK: GoStruct = {
  name: 'DelegationLink', pkg: 'mcp',
  fields: { delegator_identity: STRING, delegate_identity: STRING, scope_class: STRING, token_ref: STRING },
  zero: (): ToolCallDelegationLink => ({ delegator_identity: '', delegate_identity: '', scope_class: '', token_ref: '' }),
};

const DELEGATION: GoStruct = {
  name: 'Delegation', pkg: 'mcp',
  fields: { requester_identity: STRING, scope_class: STRING, token_refs: STRINGS, chain: slice(LINK) },
  zero: (): ToolCallDelegation => ({ requester_identity: '', scope_class: '', token_refs: [], chain: [] }),
};

const TOOL_CALL: GoStruct = {
  name: 'ToolCall', pkg: 'mcp',
  fields: {
    name: STRING, args: MAP, script: struct(SCRIPT, true), target: STRING, targets: slice(TARGET),
    arg_provenance: slice(PROVENANCE), server: struct(SERVER_INFO, true), context: struct(CONTEXT),
    delegation: struct(DELEGATION, true), created_at: TIME,
  },
  zero: (): ToolCall => emptyToolCall(),
};

export function emptyContext(): ToolCallContext {
  return {
    identity: '', workspace: '', risk_class: '', phase: '', job_id: '', session_id: '', request_id: '', run_id: '',
    auth_mode: '', oauth_evidence: null, auth_context: null, credential_scopes: [], environment_fingerprint: '',
    context_envelope_path: '',
  };
}

/** What `{}` decodes to: a call with every field at its Go zero value. */
export function emptyToolCall(): ToolCall {
  return {
    name: '', args: null, script: null, target: '', targets: [], arg_provenance: [], server: null,
    context: emptyContext(), delegation: null, created_at: null,
  };
}

// ---- payload → JSON tree ---------------------------------------------------------------------

/** Go's decoder stops at 10000 levels; we stop earlier, well inside the JS stack. */
const MAX_PAYLOAD_DEPTH = 1000;
const DEPTH_MESSAGE = 'exceeded max depth';

/** Thrown by payloadTree / decodeAs with the Go message; adapters add their own prefix. */
export class PayloadError extends Error {}

/** Object keys sorted bytewise at every level: how Gait's HTTP service re-encodes a call object. */
function sortedTree(node: JNode): JNode {
  if (node.k === 'arr') return { k: 'arr', items: node.items.map(sortedTree) };
  if (node.k !== 'obj') return node;
  const last = new Map<string, JNode>();
  for (const [k, v] of node.entries) last.set(k, v);
  const keys = [...last.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { k: 'obj', entries: keys.map((k) => [k, sortedTree(last.get(k)!)]) };
}

/**
 * The payload as a JSON tree: text and bytes parsed like Go's json.Unmarshal (syntax errors are
 * Go's); an already-parsed object as if re-encoded by Go (keys sorted, as the HTTP service does).
 */
export function payloadTree(payload: string | Uint8Array | object): JNode {
  try {
    if (typeof payload === 'string') return parseJsonTree(payload, MAX_PAYLOAD_DEPTH, DEPTH_MESSAGE);
    if (payload instanceof Uint8Array) {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(payload);
      } catch {
        throw new PayloadError('payload is not valid UTF-8');
      }
      return parseJsonTree(text, MAX_PAYLOAD_DEPTH, DEPTH_MESSAGE);
    }
    const tree = treeFromValue(payload, MAX_PAYLOAD_DEPTH, DEPTH_MESSAGE);
    if (tree === undefined) throw new PayloadError('unexpected end of JSON input');
    return sortedTree(tree);
  } catch (err) {
    if (err instanceof JsonSyntaxError || err instanceof JsonDepthError || err instanceof JsonValueError) throw new PayloadError(err.message);
    throw err;
  }
}

/** Go's json.Unmarshal of `node` into a value of `type` (zero-initialized with `initial`). */
export function decodeAs<T>(node: JNode, type: GoType, initial?: T): T {
  try {
    return goDecode(node, type, initial) as T;
  } catch (err) {
    if (err instanceof GoDecodeError) throw new PayloadError(err.message);
    throw err;
  }
}

/** The "mcp" adapter: the payload is a ToolCall. Errors: `parse mcp tool call: <go error>`. */
export function decodeMcpToolCall(payload: string | Uint8Array | object): ToolCall {
  try {
    return decodeAs<ToolCall>(payloadTree(payload), struct(TOOL_CALL), emptyToolCall());
  } catch (err) {
    if (err instanceof PayloadError) throw invalidInput(`parse mcp tool call: ${err.message}`);
    throw err;
  }
}
