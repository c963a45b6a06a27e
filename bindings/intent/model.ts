/**
 * The normalized intent model (intent.md §1, §2). Strings are trimmed/lower-cased as the spec
 * says; optional strings are '' when absent; times are Go RFC3339Nano UTC text, or '' when unset
 * (the digest projection renders unset times as 0001-01-01T00:00:00Z where the spec requires).
 */
import type { JsonValue } from '../canonical/jcs.js';

export type JsonObject = { [key: string]: JsonValue };

export interface IntentTarget {
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

export interface IntentArgProvenance {
  arg_path: string;
  source: string;
  source_ref: string;
  integrity_digest: string;
}

export interface IntentSkillProvenance {
  skill_name: string;
  skill_version: string;
  source: string;
  /** Case kept; policy matching lower-cases at compare time. */
  publisher: string;
  digest: string;
  signature_key_id: string;
}

export interface IntentDelegationLink {
  delegator_identity: string;
  delegate_identity: string;
  scope_class: string;
  token_ref: string;
  issued_at: string;
  expires_at: string;
}

export interface IntentDelegation {
  requester_identity: string;
  scope_class: string;
  token_refs: string[];
  issued_at: string;
  expires_at: string;
  chain: IntentDelegationLink[];
}

export interface IntentContext {
  identity: string;
  workspace: string;
  risk_class: string;
  phase: 'plan' | 'apply';
  job_id: string;
  session_id: string;
  request_id: string;
  /** Absent when empty after normalization. */
  auth_context: JsonObject | undefined;
  credential_scopes: string[];
  environment_fingerprint: string;
  context_set_digest: string;
  context_evidence_mode: string;
  context_refs: string[];
}

export interface IntentScriptStep {
  tool_name: string;
  args: JsonObject;
  targets: IntentTarget[];
  arg_provenance: IntentArgProvenance[];
}

export interface NormalizedIntent {
  schema_id: string;
  schema_version: string;
  /** Go RFC3339Nano in UTC, or '' when absent. */
  created_at: string;
  producer_version: string;
  tool_name: string;
  args: JsonObject;
  targets: IntentTarget[];
  arg_provenance: IntentArgProvenance[];
  skill_provenance: IntentSkillProvenance | undefined;
  delegation: IntentDelegation | undefined;
  context: IntentContext;
  script: { steps: IntentScriptStep[] } | undefined;
  /** Pass-through, never digested nor evaluated. */
  relationship: JsonValue | undefined;
  args_digest: string;
  intent_digest: string;
  script_hash: string;
}
