/**
 * The normalized policy model (policy.md §2, §3, §5). Field order in these interfaces is the
 * canonical `policy fmt` order; keys are the YAML keys. Every list is normalized (trimmed,
 * de-duplicated, sorted byte-wise, lower-cased where the spec says so) and never undefined.
 */
export type Verdict = 'allow' | 'block' | 'dry_run' | 'require_approval';
export const VERDICTS: readonly Verdict[] = ['allow', 'block', 'dry_run', 'require_approval'];

export interface PolicyScripts {
  max_steps: number;
  require_approval_above: number;
  block_mixed_risk: boolean;
}

export interface PolicyFailClosed {
  enabled: boolean;
  risk_classes: string[];
  required_fields: string[];
}

export interface PolicyMcpTrust {
  enabled: boolean;
  snapshot: string;
  action: string;
  required_risk_classes: string[];
  min_score: number;
  max_age: string;
  publisher_allowlist: string[];
  require_registry: boolean;
}

export interface PolicyToolAnnotations {
  readOnlyHint: boolean | null;
  destructiveHint: boolean | null;
  idempotentHint: boolean | null;
  openWorldHint: boolean | null;
}

export interface PolicyMatch {
  /** Raw alias, kept as written (trimmed value is folded into tool_names). */
  tool_name: string;
  tool_names: string[];
  risk_classes: string[];
  target_kinds: string[];
  target_values: string[];
  /** Raw alias list, kept as written (folded into endpoint_classes). */
  endpoint_class: string[];
  endpoint_classes: string[];
  discovery_method: string[];
  tool_annotations: PolicyToolAnnotations;
  skill_publishers: string[];
  skill_sources: string[];
  data_classes: string[];
  destination_kinds: string[];
  destination_values: string[];
  destination_operations: string[];
  provenance_sources: string[];
  identities: string[];
  workspace_prefixes: string[];
  context_tool_names: string[];
  context_data_classes: string[];
  context_endpoint_classes: string[];
  context_autonomy_levels: string[];
  require_delegation: boolean;
  allowed_delegator_identities: string[];
  allowed_delegate_identities: string[];
  delegation_scopes: string[];
  /** null when absent; 0 is meaningful (only an empty chain). */
  max_delegation_depth: number | null;
}

export interface PolicyEndpoint {
  enabled: boolean;
  path_allowlist: string[];
  path_denylist: string[];
  domain_allowlist: string[];
  domain_denylist: string[];
  egress_classes: string[];
  action: string;
  destructive_action: string;
  reason_code: string;
  violation: string;
}

export interface PolicyRateLimit {
  requests: number;
  window: string;
  scope: string;
}

export interface PolicyDataflow {
  enabled: boolean;
  tainted_sources: string[];
  destination_kinds: string[];
  destination_values: string[];
  destination_operations: string[];
  action: string;
  reason_code: string;
  violation: string;
}

export interface PolicyRule {
  name: string;
  priority: number;
  effect: Verdict;
  /** Raw alias, kept as written. */
  action: string;
  match: PolicyMatch;
  endpoint: PolicyEndpoint;
  reason_codes: string[];
  violations: string[];
  min_approvals: number;
  require_distinct_approvers: boolean;
  require_context_evidence: boolean;
  required_context_evidence_mode: string;
  max_context_age_seconds: number;
  require_broker_credential: boolean;
  broker_reference: string;
  broker_scopes: string[];
  rate_limit: PolicyRateLimit;
  destructive_budget: PolicyRateLimit;
  dataflow: PolicyDataflow;
}

export interface Policy {
  schema_id: string;
  schema_version: string;
  default_verdict: Verdict;
  /** Raw alias, kept as written. */
  default_action: string;
  scripts: PolicyScripts;
  fail_closed: PolicyFailClosed;
  mcp_trust: PolicyMcpTrust;
  /** Sorted by (priority asc, name asc byte-wise). */
  rules: PolicyRule[];
}

/** Endpoint classes known to Gait (policy.md §3.9). */
export const ENDPOINT_CLASSES: readonly string[] = [
  'fs.read', 'fs.write', 'fs.delete', 'proc.exec', 'net.http', 'net.dns',
  'ui.click', 'ui.type', 'ui.navigate', 'other',
];
export const DISCOVERY_METHODS: readonly string[] = [
  'webmcp', 'dynamic_mcp', 'a2a', 'mcp', 'static_mcp', 'manual', 'unknown',
];
export const TARGET_KINDS: readonly string[] = [
  'path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other',
];
export const PROVENANCE_SOURCES: readonly string[] = ['user', 'tool_output', 'external', 'system'];
