/**
 * Stage C (policy.md §1.3, §2, §3, §5): normalization and semantic validation, in the exact order
 * Gait performs them, so that the first error reported is the same one. These messages carry no
 * `parse policy yaml:` prefix. The result is the canonical model that fmt prints and the digest
 * hashes; normalizing an already-normalized policy returns an equal policy.
 */
import { invalidInput } from '../errors.js';
import { compareBytewise, sortedUnique } from '../canonical/order.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { DISCOVERY_METHODS, ENDPOINT_CLASSES, VERDICTS } from './model.js';
import type {
  Policy, PolicyDataflow, PolicyEndpoint, PolicyFailClosed, PolicyMatch, PolicyMcpTrust, PolicyRateLimit,
  PolicyRule, PolicyScripts, Verdict,
} from './model.js';
import { DurationError, formatGoDuration, parseGoDuration } from './duration.js';
import { goQuote } from './gostr.js';

const SCHEMA_ID = 'gait.gate.policy';
const SCHEMA_VERSION = '1.0.0';
const FAIL_CLOSED_FIELDS = ['targets', 'arg_provenance', 'endpoint_class', 'delegation', 'context_evidence'];
const DEFAULT_RISK_CLASSES = ['critical', 'high'];
const BLOCK_OR_APPROVAL = ['block', 'require_approval'];

/** list-norm: trim, drop empties, de-duplicate, sort byte-wise (case kept). */
const listNorm = (xs: readonly string[]): string[] => sortedUnique(xs.map(goTrim));
/** list-norm-lower: the same after lower-casing. */
const listNormLower = (xs: readonly string[]): string[] => sortedUnique(xs.map(trimLower));

const isVerdict = (v: string): v is Verdict => (VERDICTS as readonly string[]).includes(v);

function defaultVerdict(p: Policy): Verdict {
  let verdict = trimLower(p.default_verdict);
  const alias = trimLower(p.default_action);
  if (verdict === '') verdict = alias;
  if (alias !== '' && alias !== verdict) throw invalidInput('default_action must match default_verdict when both are set');
  if (verdict === '') verdict = 'require_approval';
  if (!isVerdict(verdict)) throw invalidInput(`invalid default_verdict: ${verdict}`);
  return verdict;
}

function failClosed(fc: PolicyFailClosed): PolicyFailClosed {
  let risk = listNormLower(fc.risk_classes);
  if (fc.enabled && risk.length === 0) risk = [...DEFAULT_RISK_CLASSES];
  const required = listNormLower(fc.required_fields);
  for (const f of required) {
    if (!FAIL_CLOSED_FIELDS.includes(f)) throw invalidInput(`unsupported fail_closed required_field: ${f}`);
  }
  return { enabled: fc.enabled, risk_classes: risk, required_fields: required };
}

function mcpTrust(t: PolicyMcpTrust): PolicyMcpTrust {
  const out: PolicyMcpTrust = {
    enabled: t.enabled,
    snapshot: goTrim(t.snapshot),
    action: trimLower(t.action),
    required_risk_classes: listNormLower(t.required_risk_classes),
    min_score: t.min_score,
    max_age: goTrim(t.max_age),
    publisher_allowlist: listNormLower(t.publisher_allowlist),
    require_registry: t.require_registry,
  };
  // A negative min_score alone does not make the block "configured" (and is then never checked).
  const configured = out.enabled || out.snapshot !== '' || out.action !== '' || out.max_age !== '' ||
    out.required_risk_classes.length > 0 || out.publisher_allowlist.length > 0 || out.min_score > 0 ||
    out.require_registry;
  if (!configured) return out;
  out.enabled = true;
  if (out.snapshot === '') throw invalidInput('mcp_trust.snapshot is required when mcp_trust is configured');
  if (out.action === '') out.action = 'block';
  if (!BLOCK_OR_APPROVAL.includes(out.action)) throw invalidInput(`unsupported mcp_trust.action ${goQuote(out.action)}`);
  if (out.required_risk_classes.length === 0) out.required_risk_classes = [...DEFAULT_RISK_CLASSES];
  if (out.min_score < 0 || out.min_score > 1) throw invalidInput('mcp_trust.min_score must be between 0 and 1');
  if (out.max_age !== '') {
    let d: bigint;
    try {
      d = parseGoDuration(out.max_age);
    } catch (e) {
      if (e instanceof DurationError) throw invalidInput(`parse mcp_trust.max_age: ${e.message}`);
      throw e;
    }
    if (d <= 0n) throw invalidInput('mcp_trust.max_age must be > 0');
    out.max_age = formatGoDuration(d);
  }
  return out;
}

function scripts(s: PolicyScripts): PolicyScripts {
  if (s.max_steps < 0) throw invalidInput('scripts.max_steps must be >= 0');
  if (s.require_approval_above < 0) throw invalidInput('scripts.require_approval_above must be >= 0');
  return { ...s };
}

function ruleEffect(r: PolicyRule, name: string): Verdict {
  let effect = trimLower(r.effect);
  const alias = trimLower(r.action);
  if (effect === '') effect = alias;
  if (alias !== '' && alias !== effect) throw invalidInput(`rule action must match effect for ${name}`);
  if (effect === '') throw invalidInput(`rule effect is required for ${name}`);
  if (!isVerdict(effect)) throw invalidInput(`invalid rule effect ${goQuote(effect)} for ${name}`);
  return effect;
}

function match(m: PolicyMatch, name: string): PolicyMatch {
  const toolNames = listNormLower([...m.tool_names, goTrim(m.tool_name)]);
  const endpointClasses = listNormLower([...m.endpoint_classes, ...m.endpoint_class]);
  for (const c of endpointClasses) {
    if (!ENDPOINT_CLASSES.includes(c)) throw invalidInput(`unsupported match endpoint_class ${goQuote(c)} for ${name}`);
  }
  const discovery = listNormLower(m.discovery_method);
  for (const d of discovery) {
    if (!DISCOVERY_METHODS.includes(d)) throw invalidInput(`unsupported match discovery_method ${goQuote(d)} for ${name}`);
  }
  if (m.max_delegation_depth !== null && m.max_delegation_depth < 0) {
    throw invalidInput(`max_delegation_depth must be >= 0 for ${name}`);
  }
  return {
    tool_name: m.tool_name, // raw alias, kept as written
    tool_names: toolNames,
    risk_classes: listNormLower(m.risk_classes),
    target_kinds: listNormLower(m.target_kinds),
    target_values: listNorm(m.target_values),
    endpoint_class: [...m.endpoint_class], // raw alias, kept as written
    endpoint_classes: endpointClasses,
    discovery_method: discovery,
    tool_annotations: { ...m.tool_annotations },
    skill_publishers: listNormLower(m.skill_publishers),
    skill_sources: listNormLower(m.skill_sources),
    data_classes: listNormLower(m.data_classes),
    destination_kinds: listNormLower(m.destination_kinds),
    destination_values: listNorm(m.destination_values),
    destination_operations: listNormLower(m.destination_operations),
    provenance_sources: listNormLower(m.provenance_sources),
    identities: listNorm(m.identities),
    workspace_prefixes: listNorm(m.workspace_prefixes),
    context_tool_names: listNormLower(m.context_tool_names),
    context_data_classes: listNormLower(m.context_data_classes),
    context_endpoint_classes: listNormLower(m.context_endpoint_classes),
    context_autonomy_levels: listNormLower(m.context_autonomy_levels),
    require_delegation: m.require_delegation,
    allowed_delegator_identities: listNorm(m.allowed_delegator_identities),
    allowed_delegate_identities: listNorm(m.allowed_delegate_identities),
    delegation_scopes: listNormLower(m.delegation_scopes),
    max_delegation_depth: m.max_delegation_depth,
  };
}

function rateLimit(rl: PolicyRateLimit, name: string): PolicyRateLimit {
  if (rl.requests < 0) throw invalidInput(`rate_limit.requests must be >= 0 for ${name}`);
  const out = { requests: rl.requests, window: trimLower(rl.window), scope: trimLower(rl.scope) };
  if (out.requests > 0) windowAndScope(out, 'rate_limit', name);
  return out;
}

function destructiveBudget(b: PolicyRateLimit, name: string): PolicyRateLimit {
  if (b.requests < 0) throw invalidInput(`destructive_budget.requests must be >= 0 for ${name}`);
  const out = { requests: b.requests, window: trimLower(b.window), scope: trimLower(b.scope) };
  if (out.requests > 0 || out.window !== '' || out.scope !== '') {
    if (out.requests <= 0) throw invalidInput(`destructive_budget.requests must be >= 1 for ${name}`);
    windowAndScope(out, 'destructive_budget', name);
  }
  return out;
}

function windowAndScope(out: PolicyRateLimit, block: string, name: string): void {
  if (out.window === '') out.window = 'minute';
  if (out.window !== 'minute' && out.window !== 'hour') {
    throw invalidInput(`unsupported ${block}.window ${goQuote(out.window)} for ${name}`);
  }
  if (out.scope === '') out.scope = 'tool_identity';
  if (!['tool', 'identity', 'tool_identity'].includes(out.scope)) {
    throw invalidInput(`unsupported ${block}.scope ${goQuote(out.scope)} for ${name}`);
  }
}

function dataflow(d: PolicyDataflow, name: string): PolicyDataflow {
  const out: PolicyDataflow = {
    enabled: d.enabled,
    tainted_sources: listNormLower(d.tainted_sources),
    destination_kinds: listNormLower(d.destination_kinds),
    destination_values: listNorm(d.destination_values),
    destination_operations: listNormLower(d.destination_operations),
    action: trimLower(d.action),
    reason_code: goTrim(d.reason_code),
    violation: goTrim(d.violation),
  };
  const configured = out.enabled || out.tainted_sources.length > 0 || out.destination_kinds.length > 0 ||
    out.destination_values.length > 0 || out.destination_operations.length > 0;
  if (!configured) return out;
  out.enabled = true;
  if (out.tainted_sources.length === 0) out.tainted_sources = ['external', 'tool_output'];
  if (out.action === '') out.action = 'require_approval';
  if (!BLOCK_OR_APPROVAL.includes(out.action)) throw invalidInput(`unsupported dataflow.action ${goQuote(out.action)} for ${name}`);
  if (out.reason_code === '') out.reason_code = 'dataflow_tainted_destination';
  if (out.violation === '') out.violation = 'tainted_dataflow';
  return out;
}

function endpoint(e: PolicyEndpoint, name: string): PolicyEndpoint {
  // Path lists: Gait converts OS separators to `/` (filepath.ToSlash); on the Linux/macOS builds
  // that produced the reference digests that is the identity, so backslashes are kept.
  const out: PolicyEndpoint = {
    enabled: e.enabled,
    path_allowlist: listNorm(e.path_allowlist),
    path_denylist: listNorm(e.path_denylist),
    domain_allowlist: listNormLower(e.domain_allowlist),
    domain_denylist: listNormLower(e.domain_denylist),
    egress_classes: listNormLower(e.egress_classes),
    action: trimLower(e.action),
    destructive_action: trimLower(e.destructive_action),
    reason_code: goTrim(e.reason_code),
    violation: goTrim(e.violation),
  };
  const configured = out.enabled || out.path_allowlist.length > 0 || out.path_denylist.length > 0 ||
    out.domain_allowlist.length > 0 || out.domain_denylist.length > 0 || out.egress_classes.length > 0 ||
    out.destructive_action !== '';
  if (!configured) return out;
  out.enabled = true;
  for (const c of out.egress_classes) {
    if (!ENDPOINT_CLASSES.includes(c)) throw invalidInput(`unsupported endpoint.egress_class ${goQuote(c)} for ${name}`);
    if (!c.startsWith('net.')) throw invalidInput(`endpoint.egress_class must be network class for ${name}`);
  }
  if (out.action === '') out.action = 'block';
  if (!BLOCK_OR_APPROVAL.includes(out.action)) throw invalidInput(`unsupported endpoint.action ${goQuote(out.action)} for ${name}`);
  if (out.destructive_action !== '' && !BLOCK_OR_APPROVAL.includes(out.destructive_action)) {
    throw invalidInput(`unsupported endpoint.destructive_action ${goQuote(out.destructive_action)} for ${name}`);
  }
  if (out.reason_code === '') out.reason_code = 'endpoint_constraint_violation';
  if (out.violation === '') out.violation = 'endpoint_constraint_violation';
  return out;
}

/** One rule, validated in Gait's order (policy.md §3, "Validation order within a rule"). */
function rule(r: PolicyRule): PolicyRule {
  const name = goTrim(r.name);
  if (name === '') throw invalidInput('rule name is required');
  const effect = ruleEffect(r, name);
  const m = match(r.match, name);
  const reasonCodes = listNorm(r.reason_codes);
  const violations = listNorm(r.violations);
  if (r.min_approvals < 0) throw invalidInput(`min_approvals must be >= 0 for ${name}`);
  let mode = trimLower(r.required_context_evidence_mode);
  if (r.require_context_evidence && mode === '') mode = 'required';
  if (mode !== '' && mode !== 'required') throw invalidInput(`required_context_evidence_mode must be required for ${name}`);
  if (r.max_context_age_seconds < 0) throw invalidInput(`max_context_age_seconds must be >= 0 for ${name}`);
  const distinct = r.require_distinct_approvers || r.min_approvals > 1;
  const brokerReference = goTrim(r.broker_reference);
  const brokerScopes = listNormLower(r.broker_scopes);
  const rl = rateLimit(r.rate_limit, name);
  const budget = destructiveBudget(r.destructive_budget, name);
  const df = dataflow(r.dataflow, name);
  const ep = endpoint(r.endpoint, name);
  return {
    name,
    priority: r.priority,
    effect,
    action: r.action, // raw alias, kept as written
    match: m,
    endpoint: ep,
    reason_codes: reasonCodes,
    violations,
    min_approvals: r.min_approvals,
    require_distinct_approvers: distinct,
    require_context_evidence: r.require_context_evidence,
    required_context_evidence_mode: mode,
    max_context_age_seconds: r.max_context_age_seconds,
    require_broker_credential: r.require_broker_credential,
    broker_reference: brokerReference,
    broker_scopes: brokerScopes,
    rate_limit: rl,
    destructive_budget: budget,
    dataflow: df,
  };
}

/**
 * Normalize and validate a decoded (or hand-built) policy. Throws GaitError(invalid_input) with
 * Gait's message for the first problem found.
 */
export function normalizePolicy(p: Policy): Policy {
  if (p.schema_id !== '' && p.schema_id !== SCHEMA_ID) throw invalidInput(`unsupported policy schema_id: ${p.schema_id}`);
  if (p.schema_version !== '' && p.schema_version !== SCHEMA_VERSION) {
    throw invalidInput(`unsupported policy schema_version: ${p.schema_version}`);
  }
  const verdict = defaultVerdict(p);
  const fc = failClosed(p.fail_closed);
  const trust = mcpTrust(p.mcp_trust);
  const sc = scripts(p.scripts);
  const rules = p.rules.map(rule);
  // Stable sort: Gait's is unstable for equal (priority, name); keeping file order is one valid outcome.
  rules.sort((a, b) => (a.priority !== b.priority ? a.priority - b.priority : compareBytewise(a.name, b.name)));
  return {
    schema_id: SCHEMA_ID,
    schema_version: SCHEMA_VERSION,
    default_verdict: verdict,
    default_action: p.default_action,
    scripts: sc,
    fail_closed: fc,
    mcp_trust: trust,
    rules,
  };
}
