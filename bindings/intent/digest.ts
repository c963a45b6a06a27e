/**
 * The digested projections of a normalized intent (intent.md §3.2-§3.7): exactly the members Go's
 * `omitempty` tags leave in place, then JCS + SHA-256 (lowercase hex). Unset times are rendered as
 * Go's zero time, which the delegation projection always carries.
 */
import type { JsonObject, IntentArgProvenance, IntentDelegation, IntentScriptStep, IntentTarget, NormalizedIntent, IntentContext, IntentSkillProvenance } from './model.js';
import { digestJson } from '../canonical/sha256.js';

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

/** SHA-256 of the JCS form of the §3.2 projection. */
export function intentDigest(n: NormalizedIntent): string {
  return digestJson(intentProjection(n));
}

/** SHA-256 of the JCS form of normalized args (`{}` gives 44136fa3…). */
export function argsDigest(args: JsonObject): string {
  return digestJson(args);
}

/** SHA-256 of `{"steps":[…]}`, or '' when the intent has no script. */
export function scriptHash(n: Pick<NormalizedIntent, 'script'>): string {
  return n.script ? digestJson(scriptProjection(n.script.steps)) : '';
}

/** DelegationDigest / delegation binding digest / trace chain_digest; '' without delegation. */
export function delegationDigest(n: Pick<NormalizedIntent, 'delegation'>): string {
  return n.delegation ? digestJson(delegationProjection(n.delegation)) : '';
}
