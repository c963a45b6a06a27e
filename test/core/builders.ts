// Hand-built normalized policies and intents, so the core can be tested independently of the
// YAML and JSON front ends.
import type { Policy, PolicyRule, PolicyMatch } from '../../bindings/policy/model.js';
import type { NormalizedIntent, IntentTarget, IntentContext } from '../../bindings/intent/model.js';

type DeepPartialRule = Partial<Omit<PolicyRule, 'match' | 'endpoint' | 'dataflow'>> & {
  match?: Partial<PolicyMatch>;
  endpoint?: Partial<PolicyRule['endpoint']>;
  dataflow?: Partial<PolicyRule['dataflow']>;
};

export function rule(name: string, r: DeepPartialRule = {}): PolicyRule {
  const base: PolicyRule = {
    name,
    priority: 0,
    effect: 'allow',
    action: '',
    match: {
      tool_name: '', tool_names: [], risk_classes: [], target_kinds: [], target_values: [], endpoint_class: [],
      endpoint_classes: [], discovery_method: [],
      tool_annotations: { readOnlyHint: null, destructiveHint: null, idempotentHint: null, openWorldHint: null },
      skill_publishers: [], skill_sources: [], data_classes: [], destination_kinds: [], destination_values: [],
      destination_operations: [], provenance_sources: [], identities: [], workspace_prefixes: [],
      context_tool_names: [], context_data_classes: [], context_endpoint_classes: [], context_autonomy_levels: [],
      require_delegation: false, allowed_delegator_identities: [], allowed_delegate_identities: [], delegation_scopes: [],
      max_delegation_depth: null,
    },
    endpoint: {
      enabled: false, path_allowlist: [], path_denylist: [], domain_allowlist: [], domain_denylist: [], egress_classes: [],
      action: '', destructive_action: '', reason_code: '', violation: '',
    },
    reason_codes: [],
    violations: [],
    min_approvals: 0,
    require_distinct_approvers: false,
    require_context_evidence: false,
    required_context_evidence_mode: '',
    max_context_age_seconds: 0,
    require_broker_credential: false,
    broker_reference: '',
    broker_scopes: [],
    rate_limit: { requests: 0, window: '', scope: '' },
    destructive_budget: { requests: 0, window: '', scope: '' },
    dataflow: {
      enabled: false, tainted_sources: [], destination_kinds: [], destination_values: [], destination_operations: [],
      action: '', reason_code: '', violation: '',
    },
  };
  return {
    ...base,
    ...r,
    match: { ...base.match, ...r.match },
    endpoint: { ...base.endpoint, ...r.endpoint },
    dataflow: { ...base.dataflow, ...r.dataflow },
  } as PolicyRule;
}

export function policy(p: Partial<Policy> = {}): Policy {
  const rules = [...(p.rules ?? [])].sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    schema_id: 'gait.gate.policy',
    schema_version: '1.0.0',
    default_verdict: 'require_approval',
    default_action: '',
    scripts: { max_steps: 0, require_approval_above: 0, block_mixed_risk: false },
    fail_closed: { enabled: false, risk_classes: [], required_fields: [] },
    mcp_trust: {
      enabled: false, snapshot: '', action: '', required_risk_classes: [], min_score: 0, max_age: '',
      publisher_allowlist: [], require_registry: false,
    },
    ...p,
    rules,
  };
}

export function target(t: Partial<IntentTarget> & { kind: string; value: string }): IntentTarget {
  return {
    operation: '', sensitivity: '', endpoint_class: 'other', endpoint_domain: '', destructive: false,
    discovery_method: 'unknown', read_only_hint: false, destructive_hint: false, idempotent_hint: false,
    open_world_hint: false, ...t,
  };
}

export function intent(i: Partial<Omit<NormalizedIntent, 'context'>> & { context?: Partial<IntentContext> } = {}): NormalizedIntent {
  return {
    schema_id: 'gait.gate.intent_request',
    schema_version: '1.0.0',
    created_at: '',
    producer_version: '',
    tool_name: 'tool.demo',
    args: {},
    targets: [],
    arg_provenance: [],
    skill_provenance: undefined,
    delegation: undefined,
    script: undefined,
    relationship: undefined,
    args_digest: '',
    intent_digest: '',
    script_hash: '',
    ...i,
    context: {
      identity: 'alice', workspace: '/repo/gait', risk_class: 'low', phase: 'apply', job_id: '', session_id: '',
      request_id: '', auth_context: undefined, credential_scopes: [], environment_fingerprint: '',
      context_set_digest: '', context_evidence_mode: '', context_refs: [], ...i.context,
    },
  };
}
