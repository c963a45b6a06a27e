/**
 * All-zero policy values: what the strict decoder starts from (absent keys and YAML `null` keep
 * the zero value, as Go's decoder does) before normalization materializes defaults.
 */
import type {
  Policy, PolicyDataflow, PolicyEndpoint, PolicyFailClosed, PolicyMatch, PolicyMcpTrust,
  PolicyRateLimit, PolicyRule, PolicyScripts, PolicyToolAnnotations, Verdict,
} from './model.js';

export const zeroScripts = (): PolicyScripts => ({ max_steps: 0, require_approval_above: 0, block_mixed_risk: false });

export const zeroFailClosed = (): PolicyFailClosed => ({ enabled: false, risk_classes: [], required_fields: [] });

export const zeroMcpTrust = (): PolicyMcpTrust => ({
  enabled: false, snapshot: '', action: '', required_risk_classes: [], min_score: 0, max_age: '',
  publisher_allowlist: [], require_registry: false,
});

export const zeroToolAnnotations = (): PolicyToolAnnotations => ({
  readOnlyHint: null, destructiveHint: null, idempotentHint: null, openWorldHint: null,
});

export const zeroMatch = (): PolicyMatch => ({
  tool_name: '', tool_names: [], risk_classes: [], target_kinds: [], target_values: [], endpoint_class: [],
  endpoint_classes: [], discovery_method: [], tool_annotations: zeroToolAnnotations(), skill_publishers: [],
  skill_sources: [], data_classes: [], destination_kinds: [], destination_values: [], destination_operations: [],
  provenance_sources: [], identities: [], workspace_prefixes: [], context_tool_names: [], context_data_classes: [],
  context_endpoint_classes: [], context_autonomy_levels: [], require_delegation: false,
  allowed_delegator_identities: [], allowed_delegate_identities: [], delegation_scopes: [], max_delegation_depth: null,
});

export const zeroEndpoint = (): PolicyEndpoint => ({
  enabled: false, path_allowlist: [], path_denylist: [], domain_allowlist: [], domain_denylist: [],
  egress_classes: [], action: '', destructive_action: '', reason_code: '', violation: '',
});

export const zeroRateLimit = (): PolicyRateLimit => ({ requests: 0, window: '', scope: '' });

export const zeroDataflow = (): PolicyDataflow => ({
  enabled: false, tainted_sources: [], destination_kinds: [], destination_values: [], destination_operations: [],
  action: '', reason_code: '', violation: '',
});

/** Raw (not yet validated) values are carried in the model types; `effect` may be any text here. */
export const zeroRule = (): PolicyRule => ({
  name: '', priority: 0, effect: '' as Verdict, action: '', match: zeroMatch(), endpoint: zeroEndpoint(),
  reason_codes: [], violations: [], min_approvals: 0, require_distinct_approvers: false,
  require_context_evidence: false, required_context_evidence_mode: '', max_context_age_seconds: 0,
  require_broker_credential: false, broker_reference: '', broker_scopes: [], rate_limit: zeroRateLimit(),
  destructive_budget: zeroRateLimit(), dataflow: zeroDataflow(),
});

export const zeroPolicy = (): Policy => ({
  schema_id: '', schema_version: '', default_verdict: '' as Verdict, default_action: '', scripts: zeroScripts(),
  fail_closed: zeroFailClosed(), mcp_trust: zeroMcpTrust(), rules: [],
});
