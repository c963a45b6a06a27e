/**
 * The intent a caller gives the gate (`IntentRequest`, schema `gait.gate.intent_request` 1.0.0,
 * intent.md §1): one proposed tool call, or a multi-step script, with its targets, argument
 * provenance and execution context. Types only: the gate still checks everything at run time
 * (untyped callers, JSON text), and normalization trims and lower-cases what the spec says.
 *
 * Enumerations use the spellings the spec lists; the runtime also accepts case and spacing
 * variants of them (`" URL "`), which these types leave out. Annotate a variable that holds an
 * intent (`const intent: IntentRequest = {...}`, or `as const`) so that its literals keep their
 * types. Fields Gait's decoder drops are not
 * here either (excess properties of object literals are compile errors).
 */

/** A JSON object (`args`, `auth_context`): string keys; values that JSON can carry. */
export type IntentJsonObject = { readonly [key: string]: unknown };

/** RFC 3339 date-time text (`2026-01-02T03:04:05Z`). */
export type Rfc3339 = string;

export type IntentTargetKind = 'path' | 'url' | 'host' | 'repo' | 'bucket' | 'table' | 'queue' | 'topic' | 'other';
export type IntentEndpointClass =
  | 'fs.read' | 'fs.write' | 'fs.delete' | 'proc.exec' | 'net.http' | 'net.dns' | 'ui.click' | 'ui.type' | 'ui.navigate' | 'other';
export type IntentDiscoveryMethod = 'webmcp' | 'dynamic_mcp' | 'a2a' | 'mcp' | 'static_mcp' | 'manual' | 'unknown';
export type IntentProvenanceSource = 'user' | 'tool_output' | 'external' | 'system';
/** Free text at run time; policies use these four. */
export type IntentRiskClass = 'low' | 'medium' | 'high' | 'critical' | (string & {});

/** intent.md §1.3. `endpoint_class` and `endpoint_domain` are inferred when left out. */
export interface IntentRequestTarget {
  kind: IntentTargetKind;
  value: string;
  operation?: string;
  sensitivity?: string;
  endpoint_class?: IntentEndpointClass;
  endpoint_domain?: string;
  destructive?: boolean;
  discovery_method?: IntentDiscoveryMethod;
  read_only_hint?: boolean;
  destructive_hint?: boolean;
  idempotent_hint?: boolean;
  open_world_hint?: boolean;
}

/** intent.md §1.4: where an argument's value came from. */
export interface IntentRequestArgProvenance {
  arg_path: string;
  source: IntentProvenanceSource;
  source_ref?: string;
  /** 64 hex digits. */
  integrity_digest?: string;
}

/** intent.md §1.5. */
export interface IntentRequestSkillProvenance {
  skill_name: string;
  skill_version?: string;
  source: string;
  publisher: string;
  /** 64 hex digits. */
  digest?: string;
  signature_key_id?: string;
}

/** intent.md §1.6: one link of a delegation chain (each delegator is the previous delegate). */
export interface IntentRequestDelegationLink {
  delegator_identity: string;
  delegate_identity: string;
  scope_class?: string;
  token_ref?: string;
  issued_at?: Rfc3339 | null;
  expires_at?: Rfc3339 | null;
}

/** intent.md §1.6. */
export interface IntentRequestDelegation {
  requester_identity: string;
  scope_class?: string;
  token_refs?: readonly string[];
  issued_at?: Rfc3339 | null;
  expires_at?: Rfc3339 | null;
  chain?: readonly IntentRequestDelegationLink[];
}

/** intent.md §1.8. `identity`, `workspace` and `risk_class` are required. */
export interface IntentRequestContext {
  identity: string;
  workspace: string;
  risk_class: IntentRiskClass;
  /** Default `apply`. */
  phase?: 'plan' | 'apply';
  job_id?: string;
  session_id?: string;
  request_id?: string;
  auth_context?: IntentJsonObject | null;
  credential_scopes?: readonly string[];
  environment_fingerprint?: string;
  /** 64 hex digits. */
  context_set_digest?: string;
  context_evidence_mode?: 'best_effort' | 'required';
  context_refs?: readonly string[];
}

/** intent.md §1.9: one step of a script. */
export interface IntentRequestScriptStep {
  tool_name: string;
  args?: IntentJsonObject | null;
  targets?: readonly IntentRequestTarget[] | null;
  arg_provenance?: readonly IntentRequestArgProvenance[] | null;
}

/** intent.md §1.9: 1 to 64 steps, evaluated together. */
export interface IntentRequestScript {
  steps: readonly IntentRequestScriptStep[];
}

/** The fields every intent may carry (intent.md §1.2). */
export interface IntentRequestFields {
  /** `gait.gate.intent_request` (filled in when left out). */
  schema_id?: 'gait.gate.intent_request';
  /** `1.0.0` (filled in when left out). */
  schema_version?: '1.0.0';
  /** When the call was proposed; the result's `created_at` (default 1980-01-01T00:00:00Z). */
  created_at?: Rfc3339 | null;
  producer_version?: string;
  /** The tool's arguments (default `{}`). */
  args?: IntentJsonObject | null;
  /** What the call touches (default `[]`): what most policy rules match on. */
  targets?: readonly IntentRequestTarget[] | null;
  arg_provenance?: readonly IntentRequestArgProvenance[] | null;
  skill_provenance?: IntentRequestSkillProvenance | null;
  delegation?: IntentRequestDelegation | null;
  /** Pass-through relationship envelope (intent.md §1.7): never digested nor evaluated. */
  relationship?: IntentJsonObject | null;
  /** Ignored on input (the gate computes them). */
  args_digest?: string;
  intent_digest?: string;
  script_hash?: string;
  context: IntentRequestContext;
}

/**
 * One proposed tool call (`tool_name` required), or a script (`script` required; the tool name is
 * then `script` whatever is given).
 */
export type IntentRequest = IntentRequestFields &
  ({ tool_name: string; script?: null } | { tool_name?: string; script: IntentRequestScript });

/** What the gate takes as an intent: an IntentRequest, or its JSON as text or UTF-8 bytes. */
export type IntentInput = IntentRequest | string | Uint8Array;
