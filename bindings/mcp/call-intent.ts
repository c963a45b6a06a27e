/**
 * From a ToolCall to the intent the gate evaluates (mcp.md §3): tool name or script, targets
 * (legacy `target`, hint pairs, annotation overrides), context defaults (or the oss-prod strict
 * context), delegation. Done once per call; the gate then normalizes (intent.md §2).
 */
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import type { RawJson, RawObject } from '../intent/go-decode.js';
import type { RawArgProvenance, RawContext, RawDelegation, RawIntent, RawScriptStep, RawTarget } from '../intent/decode.js';
import { emptyRawIntent } from '../intent/decode.js';
import type { ToolCall, ToolCallArgProvenance, ToolCallContext, ToolCallOAuthEvidence, ToolCallTarget } from './tool-call.js';

const INTENT_SCHEMA_ID = 'gait.gate.intent_request';
const INTENT_SCHEMA_VERSION = '1.0.0';
const INTENT_PRODUCER_VERSION = '0.0.0-dev';

/** The legacy single `target`: a URL with `://`, a path with `/`, else a host (§3.3). */
function legacyTarget(value: string): ToolCallTarget[] {
  const kind = value.includes('://') ? 'url' : value.includes('/') ? 'path' : 'host';
  return [{
    kind, value, operation: '', sensitivity: '', discovery_method: '', discoveryMethod: '', read_only_hint: false, readOnlyHint: false,
    destructive_hint: false, destructiveHint: false, idempotent_hint: false, idempotentHint: false, open_world_hint: false,
    openWorldHint: false, annotations: null,
  }];
}

/** An annotation hint: the first of the keys holding a bool or a `true`/`false` string (any case). */
function annotationBool(annotations: RawObject, keys: readonly string[]): boolean | undefined {
  for (const k of keys) {
    const v = annotations.get(k);
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const s = goTrim(v).toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
    }
  }
  return undefined;
}

function mapTarget(t: ToolCallTarget): RawTarget {
  let discovery = goTrim(t.discovery_method) || goTrim(t.discoveryMethod);
  let readOnly = t.read_only_hint || t.readOnlyHint;
  let destructive = t.destructive_hint || t.destructiveHint;
  let idempotent = t.idempotent_hint || t.idempotentHint;
  let openWorld = t.open_world_hint || t.openWorldHint;
  const a = t.annotations;
  if (a) {
    for (const k of ['discovery_method', 'discoveryMethod']) {
      const v = a.get(k);
      if (typeof v === 'string') {
        discovery = goTrim(v);
        break;
      }
    }
    readOnly = annotationBool(a, ['read_only_hint', 'readOnlyHint']) ?? readOnly;
    destructive = annotationBool(a, ['destructive_hint', 'destructiveHint']) ?? destructive;
    idempotent = annotationBool(a, ['idempotent_hint', 'idempotentHint']) ?? idempotent;
    openWorld = annotationBool(a, ['open_world_hint', 'openWorldHint']) ?? openWorld;
  }
  return {
    kind: goTrim(t.kind), value: goTrim(t.value), operation: goTrim(t.operation), sensitivity: goTrim(t.sensitivity),
    endpoint_class: '', endpoint_domain: '', destructive: false, discovery_method: discovery,
    read_only_hint: readOnly, destructive_hint: destructive, idempotent_hint: idempotent, open_world_hint: openWorld,
  };
}

function mapProvenance(p: ToolCallArgProvenance): RawArgProvenance {
  return { arg_path: goTrim(p.arg_path), source: goTrim(p.source), source_ref: goTrim(p.source_ref), integrity_digest: goTrim(p.integrity_digest) };
}

/** The OAuth evidence as an auth_context value: its non-empty fields only. */
function evidenceObject(e: ToolCallOAuthEvidence): RawObject {
  const out: RawObject = new Map();
  for (const [k, v] of Object.entries(e) as [string, string | string[]][]) {
    if (Array.isArray(v) ? v.length > 0 : v !== '') out.set(k, Array.isArray(v) ? [...v] : v);
  }
  return out;
}

function copyJson(v: RawJson): RawJson {
  if (Array.isArray(v)) return v.map(copyJson);
  if (v instanceof Map) return new Map([...v].map(([k, item]) => [k, copyJson(item)]));
  return v;
}

function mapContext(c: ToolCallContext, strict: boolean): RawContext {
  if (strict) {
    for (const field of ['identity', 'workspace', 'session_id'] as const) {
      if (goTrim(c[field]) === '') throw invalidInput(`context.${field} is required in strict profile`);
    }
  }
  let auth: RawObject | null = c.auth_context ? (copyJson(c.auth_context) as RawObject) : null;
  const mode = goTrim(c.auth_mode);
  if (mode !== '') (auth ??= new Map()).set('auth_mode', mode);
  if (c.oauth_evidence) (auth ??= new Map()).set('oauth_evidence', evidenceObject(c.oauth_evidence));
  return {
    identity: goTrim(c.identity) || 'mcp-proxy',
    workspace: goTrim(c.workspace) || '.',
    risk_class: goTrim(c.risk_class) || 'high',
    phase: goTrim(c.phase),
    job_id: goTrim(c.job_id),
    session_id: goTrim(c.session_id),
    request_id: goTrim(c.request_id),
    auth_context: auth,
    credential_scopes: [...c.credential_scopes],
    environment_fingerprint: goTrim(c.environment_fingerprint),
    context_set_digest: '',
    context_evidence_mode: '',
    context_refs: [],
  };
}

function mapDelegation(call: ToolCall): RawDelegation | null {
  const d = call.delegation;
  if (!d) return null;
  return {
    requester_identity: goTrim(d.requester_identity),
    scope_class: goTrim(d.scope_class),
    token_refs: [...d.token_refs],
    chain: d.chain.map((l) => ({
      delegator_identity: goTrim(l.delegator_identity), delegate_identity: goTrim(l.delegate_identity),
      scope_class: goTrim(l.scope_class), token_ref: goTrim(l.token_ref), issued_at: null, expires_at: null,
    })),
    issued_at: null,
    expires_at: null,
  };
}

/**
 * The intent for a call (§3). `profile` `oss-prod` requires identity, workspace and session id.
 * Throws GaitError (invalid_input) with Gait's messages.
 */
export function toolCallIntent(call: ToolCall, profile: string = 'standard'): RawIntent {
  const strict = goTrim(profile).toLowerCase() === 'oss-prod';
  const intent = emptyRawIntent();
  intent.schema_id = INTENT_SCHEMA_ID;
  intent.schema_version = INTENT_SCHEMA_VERSION;
  intent.producer_version = INTENT_PRODUCER_VERSION;
  intent.created_at = call.created_at;
  const steps = call.script?.steps ?? [];
  if (steps.length > 0) {
    intent.tool_name = 'script';
    intent.args = new Map();
    intent.script = {
      steps: steps.map((s, i): RawScriptStep => {
        const name = goTrim(s.name);
        if (name === '') throw invalidInput(`script.steps[${i}].name is required`);
        return {
          tool_name: name,
          args: s.args ? (copyJson(s.args) as RawObject) : new Map(),
          targets: s.targets.map(mapTarget),
          arg_provenance: s.arg_provenance.map(mapProvenance),
        };
      }),
    };
  } else {
    intent.tool_name = goTrim(call.name);
    if (intent.tool_name === '') throw invalidInput('tool call name is required');
    intent.args = call.args ? (copyJson(call.args) as RawObject) : new Map();
  }
  const legacy = goTrim(call.target);
  const targets = call.targets.length > 0 ? call.targets : legacy !== '' ? legacyTarget(legacy) : [];
  intent.targets = targets.map(mapTarget);
  intent.arg_provenance = call.arg_provenance.map(mapProvenance);
  intent.context = mapContext(call.context, strict);
  intent.delegation = mapDelegation(call);
  return intent;
}
