/**
 * The digested projections of a normalized intent (intent.md §3.2-§3.7): exactly the members Go's
 * `omitempty` tags leave in place, then JCS + SHA-256 (lowercase hex). Unset times are rendered as
 * Go's zero time, which the delegation projection always carries.
 */
import type { JsonObject, IntentArgProvenance, IntentDelegation, IntentScriptStep, IntentTarget, NormalizedIntent, IntentContext, IntentSkillProvenance } from './model.js';
import { canonicalize, quote } from '../canonical/jcs.js';
import { digestJson, sha256Hex } from '../canonical/sha256.js';

export const ZERO_TIME_TEXT = '0001-01-01T00:00:00Z';

/** Adds `key` only when the string is non-empty (Go `omitempty`). */
function optional(out: JsonObject, key: string, value: string): void {
  if (value !== '') out[key] = value;
}

export function targetProjection(t: IntentTarget): JsonObject {
  const out: JsonObject = { kind: t.kind, value: t.value };
  optional(out, 'operation', t.operation);
  optional(out, 'sensitivity', t.sensitivity);
  optional(out, 'endpoint_class', t.endpoint_class);
  optional(out, 'endpoint_domain', t.endpoint_domain);
  if (t.destructive) out.destructive = true;
  optional(out, 'discovery_method', t.discovery_method);
  if (t.read_only_hint) out.read_only_hint = true;
  if (t.destructive_hint) out.destructive_hint = true;
  if (t.idempotent_hint) out.idempotent_hint = true;
  if (t.open_world_hint) out.open_world_hint = true;
  return out;
}

export function provenanceProjection(p: IntentArgProvenance): JsonObject {
  const out: JsonObject = { arg_path: p.arg_path, source: p.source };
  optional(out, 'source_ref', p.source_ref);
  optional(out, 'integrity_digest', p.integrity_digest);
  return out;
}

export function skillProjection(s: IntentSkillProvenance): JsonObject {
  const out: JsonObject = { skill_name: s.skill_name, source: s.source, publisher: s.publisher };
  optional(out, 'skill_version', s.skill_version);
  optional(out, 'digest', s.digest);
  optional(out, 'signature_key_id', s.signature_key_id);
  return out;
}

/** The delegation object of §3.2, also the input of DelegationDigest (§3.7). */
export function delegationProjection(d: IntentDelegation): JsonObject {
  const out: JsonObject = { requester_identity: d.requester_identity };
  optional(out, 'scope_class', d.scope_class);
  if (d.token_refs.length > 0) out.token_refs = [...d.token_refs];
  if (d.chain.length > 0) {
    out.chain = d.chain.map((l) => {
      const link: JsonObject = { delegator_identity: l.delegator_identity, delegate_identity: l.delegate_identity };
      optional(link, 'scope_class', l.scope_class);
      optional(link, 'token_ref', l.token_ref);
      link.issued_at = l.issued_at || ZERO_TIME_TEXT;
      link.expires_at = l.expires_at || ZERO_TIME_TEXT;
      return link;
    });
  }
  out.issued_at = d.issued_at || ZERO_TIME_TEXT;
  out.expires_at = d.expires_at || ZERO_TIME_TEXT;
  return out;
}

export function contextProjection(c: IntentContext): JsonObject {
  const out: JsonObject = { identity: c.identity, workspace: c.workspace, risk_class: c.risk_class };
  optional(out, 'phase', c.phase);
  optional(out, 'job_id', c.job_id);
  optional(out, 'session_id', c.session_id);
  optional(out, 'request_id', c.request_id);
  if (c.auth_context && Object.keys(c.auth_context).length > 0) out.auth_context = c.auth_context;
  if (c.credential_scopes.length > 0) out.credential_scopes = [...c.credential_scopes];
  optional(out, 'environment_fingerprint', c.environment_fingerprint);
  optional(out, 'context_set_digest', c.context_set_digest);
  optional(out, 'context_evidence_mode', c.context_evidence_mode);
  if (c.context_refs.length > 0) out.context_refs = [...c.context_refs];
  return out;
}

export function stepProjection(s: IntentScriptStep): JsonObject {
  const out: JsonObject = { tool_name: s.tool_name, args: s.args };
  if (s.targets.length > 0) out.targets = s.targets.map(targetProjection);
  if (s.arg_provenance.length > 0) out.arg_provenance = s.arg_provenance.map(provenanceProjection);
  return out;
}

/** `{"steps":[…]}`, the script_hash input (§3.5). */
export function scriptProjection(steps: readonly IntentScriptStep[]): JsonObject {
  return { steps: steps.map(stepProjection) };
}

/** The §3.2 projection: the exact object whose JCS bytes are hashed into intent_digest. */
export function intentProjection(n: NormalizedIntent): JsonObject {
  const out: JsonObject = { tool_name: n.tool_name, args: n.args };
  if (n.script) {
    out.script_hash = n.script_hash || scriptHash(n);
    out.script = scriptProjection(n.script.steps);
  }
  out.targets = n.targets.map(targetProjection);
  if (n.arg_provenance.length > 0) out.arg_provenance = n.arg_provenance.map(provenanceProjection);
  if (n.skill_provenance) out.skill_provenance = skillProjection(n.skill_provenance);
  if (n.delegation) out.delegation = delegationProjection(n.delegation);
  out.context = contextProjection(n.context);
  return out;
}

/*
 * Direct serializers: each writes the JCS form of the matching projection above without building
 * it. Members are emitted in JCS order (UTF-16 code-unit order of the key names, fixed because the
 * key sets are) and omitted exactly when the projection omits them. Strings go through
 * JSON.stringify, which is JCS's escaping for the well-formed strings normalization produces; only
 * the free-form JSON values (args, auth_context) use the generic canonicalizer. The projection
 * builders stay the reference: test/intent/fast-digest.test.ts checks byte equality against them.
 */
const q = quote;

const hashHex = sha256Hex;

/** `,"key":"value"` when value is non-empty (Go `omitempty`), else ''. */
function opt(key: string, value: string): string {
  return value === '' ? '' : ',"' + key + '":' + q(value);
}

function targetJcs(t: IntentTarget): string {
  // destructive, destructive_hint, discovery_method, endpoint_class, endpoint_domain,
  // idempotent_hint, kind, open_world_hint, operation, read_only_hint, sensitivity, value
  let out = '{';
  if (t.destructive) out += '"destructive":true,';
  if (t.destructive_hint) out += '"destructive_hint":true,';
  if (t.discovery_method !== '') out += '"discovery_method":' + q(t.discovery_method) + ',';
  if (t.endpoint_class !== '') out += '"endpoint_class":' + q(t.endpoint_class) + ',';
  if (t.endpoint_domain !== '') out += '"endpoint_domain":' + q(t.endpoint_domain) + ',';
  if (t.idempotent_hint) out += '"idempotent_hint":true,';
  out += '"kind":' + q(t.kind);
  if (t.open_world_hint) out += ',"open_world_hint":true';
  out += opt('operation', t.operation);
  if (t.read_only_hint) out += ',"read_only_hint":true';
  out += opt('sensitivity', t.sensitivity);
  return out + ',"value":' + q(t.value) + '}';
}

function targetsJcs(ts: readonly IntentTarget[]): string {
  let out = '[';
  for (let i = 0; i < ts.length; i++) out += (i > 0 ? ',' : '') + targetJcs(ts[i]!);
  return out + ']';
}

function provenanceJcs(ps: readonly IntentArgProvenance[]): string {
  // arg_path, integrity_digest, source, source_ref
  let out = '[';
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    out += (i > 0 ? ',{"arg_path":' : '{"arg_path":') + q(p.arg_path) + opt('integrity_digest', p.integrity_digest);
    out += ',"source":' + q(p.source) + opt('source_ref', p.source_ref) + '}';
  }
  return out + ']';
}

function skillJcs(s: IntentSkillProvenance): string {
  // digest, publisher, signature_key_id, skill_name, skill_version, source
  let out = '{';
  if (s.digest !== '') out += '"digest":' + q(s.digest) + ',';
  out += '"publisher":' + q(s.publisher) + opt('signature_key_id', s.signature_key_id);
  out += ',"skill_name":' + q(s.skill_name) + opt('skill_version', s.skill_version);
  return out + ',"source":' + q(s.source) + '}';
}

function stringsJcs(xs: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i > 0 ? ',' : '') + q(xs[i]!);
  return out + ']';
}

function delegationJcs(d: IntentDelegation): string {
  // chain, expires_at, issued_at, requester_identity, scope_class, token_refs
  let out = '{';
  if (d.chain.length > 0) {
    out += '"chain":[';
    for (let i = 0; i < d.chain.length; i++) {
      const l = d.chain[i]!;
      // delegate_identity, delegator_identity, expires_at, issued_at, scope_class, token_ref
      out += (i > 0 ? ',{"delegate_identity":' : '{"delegate_identity":') + q(l.delegate_identity);
      out += ',"delegator_identity":' + q(l.delegator_identity);
      out += ',"expires_at":' + q(l.expires_at || ZERO_TIME_TEXT) + ',"issued_at":' + q(l.issued_at || ZERO_TIME_TEXT);
      out += opt('scope_class', l.scope_class) + opt('token_ref', l.token_ref) + '}';
    }
    out += '],';
  }
  out += '"expires_at":' + q(d.expires_at || ZERO_TIME_TEXT) + ',"issued_at":' + q(d.issued_at || ZERO_TIME_TEXT);
  out += ',"requester_identity":' + q(d.requester_identity) + opt('scope_class', d.scope_class);
  if (d.token_refs.length > 0) out += ',"token_refs":' + stringsJcs(d.token_refs);
  return out + '}';
}

function contextJcs(c: IntentContext): string {
  // auth_context, context_evidence_mode, context_refs, context_set_digest, credential_scopes,
  // environment_fingerprint, identity, job_id, phase, request_id, risk_class, session_id, workspace
  let out = '{';
  if (c.auth_context && Object.keys(c.auth_context).length > 0) out += '"auth_context":' + canonicalize(c.auth_context) + ',';
  if (c.context_evidence_mode !== '') out += '"context_evidence_mode":' + q(c.context_evidence_mode) + ',';
  if (c.context_refs.length > 0) out += '"context_refs":' + stringsJcs(c.context_refs) + ',';
  if (c.context_set_digest !== '') out += '"context_set_digest":' + q(c.context_set_digest) + ',';
  if (c.credential_scopes.length > 0) out += '"credential_scopes":' + stringsJcs(c.credential_scopes) + ',';
  if (c.environment_fingerprint !== '') out += '"environment_fingerprint":' + q(c.environment_fingerprint) + ',';
  out += '"identity":' + q(c.identity) + opt('job_id', c.job_id) + opt('phase', c.phase) + opt('request_id', c.request_id);
  out += ',"risk_class":' + q(c.risk_class) + opt('session_id', c.session_id);
  return out + ',"workspace":' + q(c.workspace) + '}';
}

/** JCS of `{"steps":[…]}` (the script projection), with each step's args canonicalized once. */
function scriptJcs(steps: readonly IntentScriptStep[]): string {
  // step members: arg_provenance, args, targets, tool_name
  let out = '{"steps":[';
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    out += i > 0 ? ',{' : '{';
    if (s.arg_provenance.length > 0) out += '"arg_provenance":' + provenanceJcs(s.arg_provenance) + ',';
    out += '"args":' + canonicalize(s.args);
    if (s.targets.length > 0) out += ',"targets":' + targetsJcs(s.targets);
    out += ',"tool_name":' + q(s.tool_name) + '}';
  }
  return out + ']}';
}

/**
 * The JCS form of the §3.2 projection, byte-identical to `canonicalize(intentProjection(n))`.
 * `argsJcs` (the canonical args, when the caller already has it) and `scriptText` (the canonical
 * script projection) avoid canonicalizing the same values twice.
 */
export function intentCanonical(n: NormalizedIntent, argsJcs?: string, scriptText?: string): string {
  // arg_provenance, args, context, delegation, script, script_hash, skill_provenance, targets, tool_name
  let out = '{';
  if (n.arg_provenance.length > 0) out += '"arg_provenance":' + provenanceJcs(n.arg_provenance) + ',';
  out += '"args":' + (argsJcs ?? canonicalize(n.args)) + ',"context":' + contextJcs(n.context);
  if (n.delegation) out += ',"delegation":' + delegationJcs(n.delegation);
  if (n.script) {
    const script = scriptText ?? scriptJcs(n.script.steps);
    const hash = n.script_hash || hashHex(script);
    out += ',"script":' + script + ',"script_hash":' + q(hash);
  }
  if (n.skill_provenance) out += ',"skill_provenance":' + skillJcs(n.skill_provenance);
  return out + ',"targets":' + targetsJcs(n.targets) + ',"tool_name":' + q(n.tool_name) + '}';
}

/** The generic path (projection object + generic JCS), kept as the reference for tests. */
export function intentCanonicalGeneric(n: NormalizedIntent): string {
  return canonicalize(intentProjection(n));
}

/** SHA-256 of the JCS form of the §3.2 projection. */
export function intentDigest(n: NormalizedIntent): string {
  return hashHex(intentCanonical(n));
}

/** intentDigest through the generic projection + canonicalize path (reference for tests). */
export function intentDigestGeneric(n: NormalizedIntent): string {
  return digestJson(intentProjection(n));
}

/** SHA-256 of the JCS form of normalized args (`{}` gives 44136fa3…). */
export function argsDigest(args: JsonObject): string {
  return hashHex(canonicalize(args));
}

/** SHA-256 of `{"steps":[…]}`, or '' when the intent has no script. */
export function scriptHash(n: Pick<NormalizedIntent, 'script'>): string {
  return n.script ? hashHex(scriptJcs(n.script.steps)) : '';
}

/**
 * Fills script_hash, args_digest and intent_digest in place, as computeDigests does with
 * scriptHash/argsDigest/intentDigest, but canonicalizing args and the script once each.
 * `knownIntentDigest`: intentDigest(n), when the caller already has it (not hashed again).
 */
export function computeIntentDigests(n: NormalizedIntent, knownIntentDigest?: string): NormalizedIntent {
  const args = canonicalize(n.args);
  const script = n.script ? scriptJcs(n.script.steps) : undefined;
  n.script_hash = script === undefined ? '' : hashHex(script);
  n.args_digest = hashHex(args);
  n.intent_digest = knownIntentDigest ?? hashHex(intentCanonical(n, args, script));
  return n;
}

/** DelegationDigest / delegation binding digest / trace chain_digest; '' without delegation. */
export function delegationDigest(n: Pick<NormalizedIntent, 'delegation'>): string {
  return n.delegation ? hashHex(delegationJcs(n.delegation)) : '';
}
