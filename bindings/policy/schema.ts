/**
 * The policy model as data: for every block, its YAML keys in canonical order (the order of
 * policy.md §2, §3 and §10.2, which is also the field order of model.ts) and each key's kind.
 * The strict decoder and the canonical formatter both walk this one description, so they cannot
 * disagree about which keys exist or in which order fmt prints them.
 */
import {
  zeroDataflow, zeroEndpoint, zeroFailClosed, zeroMatch, zeroMcpTrust, zeroPolicy, zeroRateLimit, zeroRule,
  zeroScripts, zeroToolAnnotations,
} from './zero.js';

/** `int?` and `bool?` are nullable (absent = null); `strings` is a list of strings. */
export type ScalarKind = 'string' | 'int' | 'int?' | 'float' | 'bool' | 'bool?' | 'strings';
export interface Struct {
  fields: Readonly<Record<string, Field>>;
  zero: () => object;
}
export type Field = ScalarKind | Struct | { list: Struct };

const ANNOTATIONS: Struct = {
  zero: zeroToolAnnotations,
  fields: { readOnlyHint: 'bool?', destructiveHint: 'bool?', idempotentHint: 'bool?', openWorldHint: 'bool?' },
};

const MATCH: Struct = {
  zero: zeroMatch,
  fields: {
    tool_name: 'string', tool_names: 'strings', risk_classes: 'strings', target_kinds: 'strings',
    target_values: 'strings', endpoint_class: 'strings', endpoint_classes: 'strings', discovery_method: 'strings',
    tool_annotations: ANNOTATIONS, skill_publishers: 'strings', skill_sources: 'strings', data_classes: 'strings',
    destination_kinds: 'strings', destination_values: 'strings', destination_operations: 'strings',
    provenance_sources: 'strings', identities: 'strings', workspace_prefixes: 'strings',
    context_tool_names: 'strings', context_data_classes: 'strings', context_endpoint_classes: 'strings',
    context_autonomy_levels: 'strings', require_delegation: 'bool', allowed_delegator_identities: 'strings',
    allowed_delegate_identities: 'strings', delegation_scopes: 'strings', max_delegation_depth: 'int?',
  },
};

const ENDPOINT: Struct = {
  zero: zeroEndpoint,
  fields: {
    enabled: 'bool', path_allowlist: 'strings', path_denylist: 'strings', domain_allowlist: 'strings',
    domain_denylist: 'strings', egress_classes: 'strings', action: 'string', destructive_action: 'string',
    reason_code: 'string', violation: 'string',
  },
};

const RATE_LIMIT: Struct = { zero: zeroRateLimit, fields: { requests: 'int', window: 'string', scope: 'string' } };

const DATAFLOW: Struct = {
  zero: zeroDataflow,
  fields: {
    enabled: 'bool', tainted_sources: 'strings', destination_kinds: 'strings', destination_values: 'strings',
    destination_operations: 'strings', action: 'string', reason_code: 'string', violation: 'string',
  },
};

const RULE: Struct = {
  zero: zeroRule,
  fields: {
    name: 'string', priority: 'int', effect: 'string', action: 'string', match: MATCH, endpoint: ENDPOINT,
    reason_codes: 'strings', violations: 'strings', min_approvals: 'int', require_distinct_approvers: 'bool',
    require_context_evidence: 'bool', required_context_evidence_mode: 'string', max_context_age_seconds: 'int',
    require_broker_credential: 'bool', broker_reference: 'string', broker_scopes: 'strings',
    rate_limit: RATE_LIMIT, destructive_budget: RATE_LIMIT, dataflow: DATAFLOW,
  },
};

export const POLICY_SCHEMA: Struct = {
  zero: zeroPolicy,
  fields: {
    schema_id: 'string', schema_version: 'string', default_verdict: 'string', default_action: 'string',
    scripts: { zero: zeroScripts, fields: { max_steps: 'int', require_approval_above: 'int', block_mixed_risk: 'bool' } },
    fail_closed: { zero: zeroFailClosed, fields: { enabled: 'bool', risk_classes: 'strings', required_fields: 'strings' } },
    mcp_trust: {
      zero: zeroMcpTrust,
      fields: {
        enabled: 'bool', snapshot: 'string', action: 'string', required_risk_classes: 'strings', min_score: 'float',
        max_age: 'string', publisher_allowlist: 'strings', require_registry: 'bool',
      },
    },
    rules: { list: RULE },
  },
};
