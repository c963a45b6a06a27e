/**
 * Compiles a normalized policy into the core's compact form (layout.ts): every compared string is
 * interned to an id in byte-wise order, patterns are stored as UTF-8 bytes, rules are indexed by
 * tool name. Compile once, evaluate many times.
 */
import type { Policy, PolicyRule, Verdict } from '../policy/model.js';
import { ENDPOINT_CLASSES } from '../policy/model.js';
import { compareBytewise } from '../canonical/order.js';
import { goLower } from '../canonical/text.js';
import * as L from './layout.js';
import { BUILTIN_STRINGS } from './builtins.js';

export interface CompiledPolicy {
  /** The compact form: words, then pattern bytes. Written once into WASM memory. */
  bytes: Uint8Array;
  /** id -> string; index 0 is the unknown/absent string. */
  strings: readonly string[];
  /** string -> id, for encoding intents. */
  ids: ReadonlyMap<string, number>;
  policy: Policy;
}

export const VERDICT_CODE: Readonly<Record<Verdict, number>> = {
  allow: L.V_ALLOW,
  dry_run: L.V_DRY_RUN,
  require_approval: L.V_REQUIRE_APPROVAL,
  block: L.V_BLOCK,
};
export const VERDICT_NAME: readonly Verdict[] = ['allow', 'dry_run', 'require_approval', 'block'];

const WINDOW_RANK: Readonly<Record<string, number>> = { minute: 0, hour: 1 };

/** policy.md §3.2: the reason code of a matched rule without reason_codes. */
export function matchedRuleCode(name: string): string {
  if (name === '') return 'matched_rule_rule';
  // Go's json.Marshal escaping (HTML-safe), quotes trimmed, then spaces and '-' to '_', lowered.
  let escaped = '';
  for (const ch of name.toWellFormed()) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') escaped += '\\"';
    else if (ch === '\\') escaped += '\\\\';
    else if (ch === '\n') escaped += '\\n';
    else if (ch === '\r') escaped += '\\r';
    else if (ch === '\t') escaped += '\\t';
    else if (ch === '\b') escaped += '\\b';
    else if (ch === '\f') escaped += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      escaped += '\\u' + c.toString(16).padStart(4, '0');
    } else escaped += ch;
  }
  // Gait trims every `"` at either end of the encoded name: the closing quote, and the quote of a
  // trailing `\"` escape with it (the escaped text never starts with `"`).
  return 'matched_rule_' + goLower(escaped.replace(/"+$/, '').replace(/[ -]/g, '_'));
}

/** Strings compared by id (everything but path/domain/workspace patterns). */
function ruleStrings(rule: PolicyRule, add: (s: string) => void): void {
  const m = rule.match;
  add(rule.name);
  for (const s of ruleReasons(rule)) add(s);
  for (const list of [
    rule.violations, rule.broker_scopes, m.tool_names, m.risk_classes, m.target_kinds, m.target_values,
    m.endpoint_classes, m.discovery_method, m.skill_publishers, m.skill_sources, m.data_classes,
    m.destination_kinds, m.destination_values, m.destination_operations, m.provenance_sources, m.identities,
    m.context_tool_names, m.context_data_classes, m.context_endpoint_classes, m.context_autonomy_levels,
    m.allowed_delegator_identities, m.allowed_delegate_identities, m.delegation_scopes,
    rule.endpoint.egress_classes, rule.dataflow.tainted_sources, rule.dataflow.destination_kinds,
    rule.dataflow.destination_values, rule.dataflow.destination_operations,
  ]) {
    for (const s of list) add(s);
  }
  add(rule.broker_reference);
  add(rule.endpoint.reason_code);
  add(rule.endpoint.violation);
  add(rule.dataflow.reason_code);
  add(rule.dataflow.violation);
  add(rule.rate_limit.scope);
  add(rule.destructive_budget.scope);
}

function ruleReasons(rule: PolicyRule): string[] {
  return rule.reason_codes.length > 0 ? rule.reason_codes : [matchedRuleCode(rule.name)];
}

const encoder = new TextEncoder();

/** Growable word buffer with an attached byte pool for patterns. */
class Writer {
  words: number[] = [];
  private readonly pool: Uint8Array[] = [];
  private poolBytes = 0;
  private readonly patternRefs: { wordIndex: number; poolOffset: number }[] = [];

  reserve(n: number): number {
    const at = this.words.length;
    for (let i = 0; i < n; i++) this.words.push(0);
    return at;
  }

  /** Writes `count, items...` and returns its word offset. */
  list(items: readonly number[]): number {
    const at = this.words.length;
    this.words.push(items.length, ...items);
    return at;
  }

  /** A pattern list: `count, (byteOffset, byteLength)*`, offsets patched in `finish`. */
  patterns(values: readonly string[]): number {
    const at = this.words.length;
    this.words.push(values.length);
    for (const v of values) this.patternRef(v);
    return at;
  }

  /** Appends `(byteOffset, byteLength)` of a string stored in the byte pool. */
  patternRef(value: string): void {
    const bytes = encoder.encode(value);
    this.patternRefs.push({ wordIndex: this.words.length, poolOffset: this.poolBytes });
    this.words.push(0, bytes.length);
    this.pool.push(bytes);
    this.poolBytes += bytes.length;
  }

  finish(): Uint8Array {
    const wordBytes = this.words.length * 4;
    for (const ref of this.patternRefs) this.words[ref.wordIndex] = wordBytes + ref.poolOffset;
    const out = new Uint8Array(wordBytes + this.poolBytes);
    const view = new DataView(out.buffer);
    for (let i = 0; i < this.words.length; i++) view.setInt32(i * 4, this.words[i]!, true);
    let offset = wordBytes;
    for (const chunk of this.pool) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

export interface CompileOptions {
  /** File rules under indexes (default). Off, every rule is a candidate: for differential tests. */
  index?: boolean;
}

export function compilePolicy(policy: Policy, options: CompileOptions = {}): CompiledPolicy {
  // Every known endpoint class gets an id, so a target class the policy never names is not
  // mistaken for an empty one by the fail-closed check (id 0 means "absent").
  const set = new Set<string>([...BUILTIN_STRINGS, ...ENDPOINT_CLASSES]);
  const add = (s: string): void => {
    if (s !== '') set.add(s);
  };
  for (const s of policy.fail_closed.risk_classes) add(s);
  for (const rule of policy.rules) ruleStrings(rule, add);
  const strings = ['', ...[...set].sort(compareBytewise)];
  const ids = new Map<string, number>();
  strings.forEach((s, i) => ids.set(s, i));
  const id = (s: string): number => ids.get(s) ?? 0;
  const idList = (values: readonly string[]): number[] => [...new Set(values.map(id))].filter((x) => x !== 0).sort((a, b) => a - b);

  const w = new Writer();
  w.reserve(L.P_HEADER_WORDS);
  const header = (field: number, value: number): void => {
    w.words[field] = value;
  };
  header(L.P_MAGIC, L.POLICY_MAGIC);
  header(L.P_RULE_COUNT, policy.rules.length);
  header(L.P_DEFAULT_VERDICT, VERDICT_CODE[policy.default_verdict]);
  header(L.P_FC_ENABLED, policy.fail_closed.enabled ? 1 : 0);
  const required: Record<string, number> = {
    targets: L.FC_REQ_TARGETS,
    arg_provenance: L.FC_REQ_ARG_PROVENANCE,
    endpoint_class: L.FC_REQ_ENDPOINT_CLASS,
    delegation: L.FC_REQ_DELEGATION,
    context_evidence: L.FC_REQ_CONTEXT_EVIDENCE,
  };
  header(L.P_FC_REQUIRED, policy.fail_closed.required_fields.reduce((m, f) => m | (required[f] ?? 0), 0));
  header(L.P_FC_RISK, w.list(idList(policy.fail_closed.risk_classes)));
  header(L.P_SCRIPT_MAX_STEPS, clampInt(policy.scripts.max_steps));
  header(L.P_SCRIPT_APPROVAL_ABOVE, clampInt(policy.scripts.require_approval_above));
  header(L.P_SCRIPT_BLOCK_MIXED, policy.scripts.block_mixed_risk ? 1 : 0);
  header(L.P_BUILTINS, w.list(BUILTIN_STRINGS.map(id)) + 1);
  header(L.P_EMPTY, w.list([]));

  // Tier = dense rank of priority over the (already sorted) rules.
  const tiers: number[] = [];
  policy.rules.forEach((rule, i) => {
    tiers.push(i === 0 ? 0 : rule.priority === policy.rules[i - 1]!.priority ? tiers[i - 1]! : tiers[i - 1]! + 1);
  });

  const ruleOffsets: number[] = [];
  policy.rules.forEach((rule, i) => {
    const m = rule.match;
    const r = w.reserve(L.RULE_WORDS);
    const set = (field: number, value: number): void => {
      w.words[r + field] = value;
    };
    let flags = 0;
    if (rule.require_distinct_approvers) flags |= L.RF_DISTINCT_APPROVERS;
    if (rule.require_broker_credential) flags |= L.RF_BROKER;
    if (m.require_delegation) flags |= L.RF_REQUIRE_DELEGATION;
    const contextConstrained =
      rule.require_context_evidence || rule.required_context_evidence_mode === 'required' || rule.max_context_age_seconds > 0;
    if (contextConstrained) flags |= L.RF_CONTEXT_CONSTRAINED;
    if (rule.required_context_evidence_mode === 'required') flags |= L.RF_CONTEXT_MODE_REQUIRED;
    const delegationConstrained =
      m.require_delegation || m.allowed_delegator_identities.length > 0 || m.allowed_delegate_identities.length > 0 ||
      m.delegation_scopes.length > 0 || m.max_delegation_depth !== null;
    if (delegationConstrained) flags |= L.RF_DELEGATION_CONSTRAINED;
    if (rule.dataflow.enabled) flags |= L.RF_DATAFLOW;
    if (rule.endpoint.enabled) flags |= L.RF_ENDPOINT;

    set(L.R_TIER, tiers[i]!);
    set(L.R_EFFECT, VERDICT_CODE[rule.effect]);
    set(L.R_NAME_ID, id(rule.name));
    set(L.R_REASONS, w.list(idList(ruleReasons(rule))));
    set(L.R_VIOLATIONS, w.list(idList(rule.violations)));
    set(L.R_MIN_APPROVALS, clampInt(rule.min_approvals));
    set(L.R_FLAGS, flags);
    const age = BigInt.asIntN(64, BigInt(Math.trunc(rule.max_context_age_seconds)));
    set(L.R_MAX_CONTEXT_AGE_LO, Number(BigInt.asIntN(32, age)));
    set(L.R_MAX_CONTEXT_AGE_HI, Number(BigInt.asIntN(32, age >> 32n)));
    set(L.R_BROKER_REF_ID, id(rule.broker_reference));
    set(L.R_BROKER_SCOPES, w.list(idList(rule.broker_scopes)));
    set(L.R_DELEGATION_SCOPES, w.list(idList(m.delegation_scopes)));
    set(L.R_M_TOOL_NAMES, w.list(idList(m.tool_names)));
    set(L.R_M_RISK_CLASSES, w.list(idList(m.risk_classes)));
    set(L.R_M_TARGET_KINDS, w.list(idList(m.target_kinds)));
    set(L.R_M_TARGET_VALUES, w.list(idList(m.target_values)));
    set(L.R_M_ENDPOINT_CLASSES, w.list(idList(m.endpoint_classes)));
    set(L.R_M_DISCOVERY, w.list(idList(m.discovery_method)));
    set(L.R_M_SKILL_PUBLISHERS, w.list(idList(m.skill_publishers)));
    set(L.R_M_SKILL_SOURCES, w.list(idList(m.skill_sources)));
    set(L.R_M_DATA_CLASSES, w.list(idList(m.data_classes)));
    set(L.R_M_DEST_KINDS, w.list(idList(m.destination_kinds)));
    set(L.R_M_DEST_VALUES, w.list(idList(m.destination_values)));
    set(L.R_M_DEST_OPS, w.list(idList(m.destination_operations)));
    set(L.R_M_PROV_SOURCES, w.list(idList(m.provenance_sources)));
    set(L.R_M_IDENTITIES, w.list(idList(m.identities)));
    set(L.R_M_WORKSPACE_PREFIXES, w.patterns(m.workspace_prefixes));
    set(L.R_M_CTX_TOOL, w.list(idList(m.context_tool_names)));
    set(L.R_M_CTX_DATA, w.list(idList(m.context_data_classes)));
    set(L.R_M_CTX_ENDPOINT, w.list(idList(m.context_endpoint_classes)));
    set(L.R_M_CTX_AUTONOMY, w.list(idList(m.context_autonomy_levels)));
    set(L.R_M_DELEGATORS, w.list(idList(m.allowed_delegator_identities)));
    set(L.R_M_DELEGATES, w.list(idList(m.allowed_delegate_identities)));
    const hint = (v: boolean | null): number => (v === null ? -1 : v ? 1 : 0);
    set(L.R_M_ANNOT_READ_ONLY, hint(m.tool_annotations.readOnlyHint));
    set(L.R_M_ANNOT_DESTRUCTIVE, hint(m.tool_annotations.destructiveHint));
    set(L.R_M_ANNOT_IDEMPOTENT, hint(m.tool_annotations.idempotentHint));
    set(L.R_M_ANNOT_OPEN_WORLD, hint(m.tool_annotations.openWorldHint));
    set(L.R_M_MAX_DEPTH, m.max_delegation_depth === null ? -1 : clampInt(m.max_delegation_depth));
    const ep = rule.endpoint;
    set(L.R_EP_PATH_ALLOW, w.patterns(ep.path_allowlist));
    set(L.R_EP_PATH_DENY, w.patterns(ep.path_denylist));
    set(L.R_EP_DOMAIN_ALLOW, w.patterns(ep.domain_allowlist));
    set(L.R_EP_DOMAIN_DENY, w.patterns(ep.domain_denylist));
    set(L.R_EP_EGRESS, w.list(idList(ep.egress_classes)));
    set(L.R_EP_ACTION, actionCode(ep.action, L.V_BLOCK));
    set(L.R_EP_DESTRUCTIVE_ACTION, actionCode(ep.destructive_action, L.V_NONE));
    set(L.R_EP_REASON_ID, id(ep.reason_code));
    set(L.R_EP_VIOLATION_ID, id(ep.violation));
    const df = rule.dataflow;
    set(L.R_DF_TAINTED, w.list(idList(df.tainted_sources)));
    set(L.R_DF_KINDS, w.list(idList(df.destination_kinds)));
    set(L.R_DF_VALUES, w.list(idList(df.destination_values)));
    set(L.R_DF_OPS, w.list(idList(df.destination_operations)));
    set(L.R_DF_ACTION, actionCode(df.action, L.V_REQUIRE_APPROVAL));
    set(L.R_DF_REASON_ID, id(df.reason_code));
    set(L.R_DF_VIOLATION_ID, id(df.violation));
    set(L.R_RATE_REQUESTS, clampInt(rule.rate_limit.requests));
    set(L.R_RATE_WINDOW, WINDOW_RANK[rule.rate_limit.window] ?? 2);
    set(L.R_RATE_SCOPE_ID, id(rule.rate_limit.scope));
    set(L.R_BUDGET_REQUESTS, clampInt(rule.destructive_budget.requests));
    set(L.R_BUDGET_WINDOW, WINDOW_RANK[rule.destructive_budget.window] ?? 2);
    set(L.R_BUDGET_SCOPE_ID, id(rule.destructive_budget.scope));
    ruleOffsets.push(r);
  });
  header(L.P_RULES, w.list(ruleOffsets));

  // Rule indexes: a rule can only match a subject that has one of the values of each of its
  // non-empty selectors, so filing it under one selector's values is enough. Pick the selector
  // whose values are shared by the fewest rules (a 1,000-rule policy on one tool, told apart by
  // identity, then costs a handful of checks, not 1,000).
  const selectors = [
    { header: L.P_IDX_TOOL, values: (r: PolicyRule) => r.match.tool_names },
    { header: L.P_IDX_IDENTITY, values: (r: PolicyRule) => r.match.identities },
    { header: L.P_IDX_TARGET_VALUE, values: (r: PolicyRule) => r.match.target_values },
    { header: L.P_IDX_RISK, values: (r: PolicyRule) => r.match.risk_classes },
  ];
  const frequency = selectors.map((sel) => {
    const counts = new Map<number, number>();
    for (const rule of policy.rules) for (const v of idList(sel.values(rule))) counts.set(v, (counts.get(v) ?? 0) + 1);
    return counts;
  });
  const indexes = selectors.map(() => new Map<number, number[]>());
  // Workspace prefixes are matched by prefix, not id: indexed by the prefix text.
  const prefixFrequency = new Map<string, number>();
  for (const rule of policy.rules) for (const p of rule.match.workspace_prefixes) prefixFrequency.set(p, (prefixFrequency.get(p) ?? 0) + 1);
  const byPrefix = new Map<string, number[]>();
  const wildcard: number[] = [];
  policy.rules.forEach((rule, i) => {
    let best = -1;
    let bestCost = Infinity;
    selectors.forEach((sel, k) => {
      const ids = idList(sel.values(rule));
      // A value the policy never interned (id 0) cannot occur; an empty list places no constraint.
      if (ids.length === 0 || ids.length !== new Set(sel.values(rule)).size) return;
      const cost = ids.reduce((sum, v) => sum + frequency[k]!.get(v)!, 0);
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    });
    const prefixes = rule.match.workspace_prefixes;
    const prefixCost = prefixes.reduce((sum, p) => sum + prefixFrequency.get(p)!, 0);
    if (options.index === false || (best < 0 && prefixes.length === 0)) {
      wildcard.push(i);
      return;
    }
    if (prefixes.length > 0 && prefixCost < bestCost) {
      for (const p of prefixes) {
        let list = byPrefix.get(p);
        if (!list) byPrefix.set(p, (list = []));
        list.push(i);
      }
      return;
    }
    for (const v of idList(selectors[best]!.values(rule))) {
      let list = indexes[best]!.get(v);
      if (!list) indexes[best]!.set(v, (list = []));
      list.push(i);
    }
  });
  selectors.forEach((sel, k) => {
    const keys = [...indexes[k]!.keys()].sort((a, b) => a - b);
    const lists = keys.map((key) => w.list(indexes[k]!.get(key)!));
    header(sel.header, w.words.length);
    w.words.push(keys.length);
    keys.forEach((key, j) => w.words.push(key, lists[j]!));
  });
  header(L.P_WILDCARD, w.list(wildcard));
  const prefixes = [...byPrefix.keys()].sort(compareBytewise);
  const prefixLists = prefixes.map((p) => w.list(byPrefix.get(p)!));
  header(L.P_IDX_WORKSPACE, w.words.length);
  w.words.push(prefixes.length);
  prefixes.forEach((p, k) => {
    w.patternRef(p);
    w.words.push(prefixLists[k]!);
  });
  const lengths = [...new Set(prefixes.map((p) => encoder.encode(p).length))].sort((a, b) => a - b);
  header(L.P_IDX_WORKSPACE_LENGTHS, w.list(lengths));

  return { bytes: w.finish(), strings, ids, policy };
}

function actionCode(action: string, fallback: number): number {
  return action === '' ? fallback : VERDICT_CODE[action as Verdict] ?? fallback;
}

/** Integers beyond i32 saturate: counts and limits that large are equivalent to "unbounded". */
function clampInt(n: number): number {
  return Math.max(-0x80000000, Math.min(0x7fffffff, Math.trunc(n)));
}
