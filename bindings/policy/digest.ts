/**
 * The policy digest (policy.md §6): SHA-256 of the JCS form of a payload with Go's PascalCase
 * field names, built from the normalized policy. Optional members appear only when set, which
 * keeps digests of policies using only the original fields equal to the legacy layout's, and
 * makes the digest blind to raw alias fields, disabled blocks, comments and rule order in the file.
 */
import type { JsonValue } from '../canonical/jcs.js';
import { digestJson } from '../canonical/sha256.js';
import { withPolicy } from '../arguments.js';
import type { Policy, PolicyMatch, PolicyRateLimit, PolicyRule } from './model.js';

type JsonObject = { [key: string]: JsonValue };

function matchPayload(m: PolicyMatch): JsonObject {
  const out: JsonObject = {
    ToolNames: [...m.tool_names],
    RiskClasses: [...m.risk_classes],
    TargetKinds: [...m.target_kinds],
    TargetValues: [...m.target_values],
    ProvenanceSources: [...m.provenance_sources],
    Identities: [...m.identities],
    WorkspacePrefixes: [...m.workspace_prefixes],
  };
  const lists: Array<[string, string[]]> = [
    ['EndpointClasses', m.endpoint_classes],
    ['DiscoveryMethods', m.discovery_method],
  ];
  for (const [k, v] of lists) if (v.length > 0) out[k] = [...v];
  const hints: JsonObject = {};
  const a = m.tool_annotations;
  if (a.readOnlyHint !== null) hints.ReadOnlyHint = a.readOnlyHint;
  if (a.destructiveHint !== null) hints.DestructiveHint = a.destructiveHint;
  if (a.idempotentHint !== null) hints.IdempotentHint = a.idempotentHint;
  if (a.openWorldHint !== null) hints.OpenWorldHint = a.openWorldHint;
  if (Object.keys(hints).length > 0) out.ToolAnnotations = hints;
  const more: Array<[string, string[]]> = [
    ['SkillPublishers', m.skill_publishers],
    ['SkillSources', m.skill_sources],
    ['DataClasses', m.data_classes],
    ['DestinationKinds', m.destination_kinds],
    ['DestinationValues', m.destination_values],
    ['DestinationOps', m.destination_operations],
    ['ContextToolNames', m.context_tool_names],
    ['ContextDataClasses', m.context_data_classes],
    ['ContextEndpointClasses', m.context_endpoint_classes],
    ['ContextAutonomyLevels', m.context_autonomy_levels],
  ];
  for (const [k, v] of more) if (v.length > 0) out[k] = [...v];
  if (m.require_delegation) out.RequireDelegation = true;
  const delegation: Array<[string, string[]]> = [
    ['AllowedDelegatorIdentities', m.allowed_delegator_identities],
    ['AllowedDelegateIdentities', m.allowed_delegate_identities],
    ['DelegationScopes', m.delegation_scopes],
  ];
  for (const [k, v] of delegation) if (v.length > 0) out[k] = [...v];
  if (m.max_delegation_depth !== null) out.MaxDelegationDepth = m.max_delegation_depth;
  return out;
}

const limitPayload = (l: PolicyRateLimit): JsonObject => ({ Requests: l.requests, Window: l.window, Scope: l.scope });

function rulePayload(r: PolicyRule): JsonObject {
  const out: JsonObject = {
    Name: r.name,
    Priority: r.priority,
    Effect: r.effect,
    Match: matchPayload(r.match),
    ReasonCodes: [...r.reason_codes],
    Violations: [...r.violations],
  };
  if (r.min_approvals > 0) out.MinApprovals = r.min_approvals;
  if (r.require_distinct_approvers) out.RequireDistinctApprovers = true;
  if (r.require_context_evidence) out.RequireContextEvidence = true;
  if (r.required_context_evidence_mode !== '') out.RequiredContextEvidenceMode = r.required_context_evidence_mode;
  if (r.max_context_age_seconds > 0) out.MaxContextAgeSeconds = r.max_context_age_seconds;
  if (r.require_broker_credential) out.RequireBrokerCredential = true;
  if (r.broker_reference !== '') out.BrokerReference = r.broker_reference;
  if (r.broker_scopes.length > 0) out.BrokerScopes = [...r.broker_scopes];
  if (r.rate_limit.requests > 0) out.RateLimit = limitPayload(r.rate_limit);
  if (r.destructive_budget.requests > 0) out.DestructiveBudget = limitPayload(r.destructive_budget);
  const d = r.dataflow;
  if (d.enabled) {
    const flow: JsonObject = {
      Enabled: true,
      TaintedSources: [...d.tainted_sources],
      Action: d.action,
      ReasonCode: d.reason_code,
      Violation: d.violation,
    };
    if (d.destination_kinds.length > 0) flow.DestinationKinds = [...d.destination_kinds];
    if (d.destination_values.length > 0) flow.DestinationValues = [...d.destination_values];
    if (d.destination_operations.length > 0) flow.DestinationOperations = [...d.destination_operations];
    out.Dataflow = flow;
  }
  const e = r.endpoint;
  if (e.enabled) {
    out.Endpoint = {
      Enabled: true,
      PathAllowlist: [...e.path_allowlist],
      PathDenylist: [...e.path_denylist],
      DomainAllowlist: [...e.domain_allowlist],
      DomainDenylist: [...e.domain_denylist],
      EgressClasses: [...e.egress_classes],
      Action: e.action,
      DestructiveAction: e.destructive_action,
      ReasonCode: e.reason_code,
      Violation: e.violation,
    };
  }
  return out;
}

/** The JSON object whose JCS form is hashed. Expects a normalized policy. */
export function policyDigestPayload(p: Policy): JsonObject {
  const out: JsonObject = {
    SchemaID: p.schema_id,
    SchemaVersion: p.schema_version,
    DefaultVerdict: p.default_verdict,
    FailClosed: {
      Enabled: p.fail_closed.enabled,
      RiskClasses: [...p.fail_closed.risk_classes],
      RequiredFields: [...p.fail_closed.required_fields],
    },
    Rules: p.rules.map(rulePayload),
  };
  const s = p.scripts;
  if (s.max_steps !== 0 || s.require_approval_above !== 0 || s.block_mixed_risk) {
    out.Scripts = { MaxSteps: s.max_steps, RequireApprovalAbove: s.require_approval_above, BlockMixedRisk: s.block_mixed_risk };
  }
  const t = p.mcp_trust;
  if (t.enabled) {
    out.MCPTrust = {
      Enabled: true,
      SnapshotPath: t.snapshot,
      Action: t.action,
      RequiredRiskClasses: [...t.required_risk_classes],
      MinScore: t.min_score,
      MaxAge: t.max_age,
      PublisherAllowlist: [...t.publisher_allowlist],
      RequireRegistry: t.require_registry,
    };
  }
  return out;
}

/** Lowercase hex SHA-256 (64 chars) of the canonical payload. Expects a normalized policy. */
export function policyDigest(p: Policy): string {
  return withPolicy('policyDigest', p, () => digestJson(policyDigestPayload(p)));
}
