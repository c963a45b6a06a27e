// Verdict computation (policy.md §7): fail-closed checks, tier selection, tier aggregation, the
// default verdict and script roll-up. Results are written as a "single result" record plus
// sorted id lists in the scratch arena; index.ts copies them to the output buffer.
import { PB, IB, subjTool, subjTargets, setSubject } from './context';
import {
  word, listAt, listCount, listItem, listHas, scratchAlloc, outOfSpace,
  collectorStart, collectorPush, collectorPushList, collectorFinish, collectorFinishIndices,
} from './memory';
import { ruleMatches, targetCount, targetAt } from './match';
import { evalRule, mostRestrictive, builtin, RR_EFFECT, RR_MIN_APPROVALS, RR_DATAFLOW, RR_CODE_COUNT, RR_RULE, RR_WORDS } from './rule';
import * as L from '../bindings/core/layout';

// Single-result record (scratch). List fields are absolute addresses of `count, ids` blocks.
export const SR_VERDICT = 0;
export const SR_MIN_APPROVALS = 1;
export const SR_FLAGS = 2; // OF_*
export const SR_RATE_RULE = 3;
export const SR_BUDGET_RULE = 4;
export const SR_REASONS = 5;
export const SR_VIOLATIONS = 6;
export const SR_MATCHED = 7;
export const SR_BROKER_REFS = 8;
export const SR_BROKER_SCOPES = 9;
export const SR_DELEGATION_SCOPES = 10;
export const SR_WORDS = 11;

@inline function sr(rec: usize, field: i32): i32 {
  return load<i32>(rec + (<usize>field << 2));
}

@inline function setSr(rec: usize, field: i32, value: i32): void {
  store<i32>(rec + (<usize>field << 2), value);
}

@inline function ruleAt(index: i32): usize {
  return PB + (<usize>listItem(listAt(PB, word(PB, L.P_RULES)), index) << 2);
}

/** The policy's own empty list (results only ever read their lists). */
function emptyList(): usize {
  return listAt(PB, word(PB, L.P_EMPTY));
}

function singletonList(id: i32): usize {
  const c = collectorStart();
  collectorPush(c, id);
  return collectorFinish(c);
}

function newResult(verdict: i32): usize {
  const rec = scratchAlloc(SR_WORDS);
  if (outOfSpace) return rec;
  for (let i = 0; i < SR_WORDS; i++) setSr(rec, i, 0);
  setSr(rec, SR_VERDICT, verdict);
  setSr(rec, SR_RATE_RULE, -1);
  setSr(rec, SR_BUDGET_RULE, -1);
  return rec;
}

/** Fills the remaining list fields with empty lists. */
function finishEmptyLists(rec: usize, from: i32): void {
  for (let f = from; f <= SR_DELEGATION_SCOPES; f++) {
    if (sr(rec, f) == 0) setSr(rec, f, <i32>emptyList());
  }
}

/** A block result with fixed codes (fail-closed paths). */
function blockResult(reasons: usize, violations: usize): usize {
  const rec = newResult(L.V_BLOCK);
  setSr(rec, SR_FLAGS, L.OF_FAIL_CLOSED);
  setSr(rec, SR_REASONS, <i32>reasons);
  setSr(rec, SR_VIOLATIONS, <i32>violations);
  finishEmptyLists(rec, SR_MATCHED);
  return rec;
}

export function failClosedApplies(riskId: i32): bool {
  return word(PB, L.P_FC_ENABLED) != 0 && listHas(listAt(PB, word(PB, L.P_FC_RISK)), riskId);
}

/** §7.1 step 2: the intent could not be normalized and its raw risk class is fail-closed. */
export function intentInvalidResult(): usize {
  const reasons = singletonList(builtin(L.B_FAIL_CLOSED_INTENT_INVALID));
  const violations = singletonList(builtin(L.B_INTENT_NOT_EVALUABLE));
  return blockResult(reasons, violations);
}

function unknownClass(cls: i32): bool {
  return cls == 0 || cls == builtin(L.B_CLASS_OTHER);
}

/** §7.2, on the top-level (for scripts: aggregated) targets and provenance. Returns 0 if clean. */
export function failClosedResult(): usize {
  const required = word(PB, L.P_FC_REQUIRED);
  const targets = listAt(IB, word(IB, L.I_TARGETS));
  const nt = targetCount(targets);
  let unknown = false;
  for (let i = 0; i < nt && !unknown; i++) unknown = unknownClass(word(targetAt(targets, i), L.T_CLASS));
  const flags = word(IB, L.I_FLAGS);
  const missTargets = (required & L.FC_REQ_TARGETS) != 0 && nt == 0;
  const missProv = (required & L.FC_REQ_ARG_PROVENANCE) != 0 && listCount(listAt(IB, word(IB, L.I_PROVENANCE))) == 0;
  const missClass = (required & L.FC_REQ_ENDPOINT_CLASS) != 0 && unknown;
  const missDelegation = (required & L.FC_REQ_DELEGATION) != 0 && (flags & L.IF_DELEGATION) == 0;
  const missEvidence = (required & L.FC_REQ_CONTEXT_EVIDENCE) != 0 && (flags & L.IF_CONTEXT_DIGEST) == 0;
  if (!(missTargets || missProv || missClass || missDelegation || missEvidence || unknown)) return 0;
  const r = collectorStart();
  if (missTargets) collectorPush(r, builtin(L.B_FC_MISSING_TARGETS));
  if (missProv) collectorPush(r, builtin(L.B_FC_MISSING_ARG_PROVENANCE));
  if (missClass) collectorPush(r, builtin(L.B_FC_MISSING_ENDPOINT_CLASS));
  if (missDelegation) collectorPush(r, builtin(L.B_FC_MISSING_DELEGATION));
  if (missEvidence) collectorPush(r, builtin(L.B_CONTEXT_EVIDENCE_MISSING));
  if (unknown) collectorPush(r, builtin(L.B_FC_ENDPOINT_CLASS_UNKNOWN));
  const reasons = collectorFinish(r);
  const v = collectorStart();
  if (missTargets) collectorPush(v, builtin(L.B_MISSING_TARGETS));
  if (missProv) collectorPush(v, builtin(L.B_MISSING_ARG_PROVENANCE));
  if (missClass) collectorPush(v, builtin(L.B_MISSING_ENDPOINT_CLASS));
  if (missDelegation) collectorPush(v, builtin(L.B_MISSING_DELEGATION));
  if (missEvidence) collectorPush(v, builtin(L.B_MISSING_CONTEXT_EVIDENCE));
  if (unknown) collectorPush(v, builtin(L.B_ENDPOINT_CLASS_UNKNOWN));
  return blockResult(reasons, collectorFinish(v));
}

/** The rules filed under `valueId` in the index at header field `field` (or an empty list). */
function indexed(field: i32, valueId: i32): usize {
  const index = listAt(PB, word(PB, field));
  let lo: i32 = 0;
  let hi: i32 = listCount(index) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = listItem(index, 2 * mid);
    if (v == valueId) return listAt(PB, listItem(index, 2 * mid + 1));
    if (v < valueId) lo = mid + 1;
    else hi = mid - 1;
  }
  return listAt(PB, word(PB, L.P_EMPTY));
}

/**
 * Rules that can match the subject, in rule (= tier) order: those filed under the subject's tool,
 * identity, risk class or any target value, and those filed under no index.
 */
function candidates(): usize {
  const c = collectorStart();
  collectorPushList(c, indexed(L.P_IDX_TOOL, subjTool));
  collectorPushList(c, indexed(L.P_IDX_IDENTITY, word(IB, L.I_IDENTITY_ID)));
  collectorPushList(c, indexed(L.P_IDX_RISK, word(IB, L.I_RISK_ID)));
  const nt = targetCount(subjTargets);
  for (let i = 0; i < nt; i++) collectorPushList(c, indexed(L.P_IDX_TARGET_VALUE, word(targetAt(subjTargets, i), L.T_VALUE_ID)));
  pushWorkspaceCandidates(c);
  collectorPushList(c, listAt(PB, word(PB, L.P_WILDCARD)));
  return collectorFinishIndices(c);
}

/** Byte-wise order of (a, alen) against (b, blen). */
function compareBytes(a: usize, alen: i32, b: usize, blen: i32): i32 {
  const n = alen < blen ? alen : blen;
  const d = memory.compare(a, b, <usize>n);
  if (d != 0) return d;
  return alen - blen;
}

/** Rules filed under a workspace prefix that the intent's workspace starts with. */
function pushWorkspaceCandidates(c: usize): void {
  const table = listAt(PB, word(PB, L.P_IDX_WORKSPACE));
  const n = listCount(table);
  if (n == 0) return;
  const lengths = listAt(PB, word(PB, L.P_IDX_WORKSPACE_LENGTHS));
  const ws = IB + <usize>word(IB, L.I_WORKSPACE_OFF);
  const wsLen = word(IB, L.I_WORKSPACE_LEN);
  const nl = listCount(lengths);
  for (let k = 0; k < nl; k++) {
    const len = listItem(lengths, k);
    if (len > wsLen) break;
    let lo: i32 = 0;
    let hi: i32 = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = compareBytes(PB + <usize>listItem(table, 3 * mid), listItem(table, 3 * mid + 1), ws, len);
      if (d == 0) {
        collectorPushList(c, listAt(PB, listItem(table, 3 * mid + 2)));
        break;
      }
      if (d < 0) lo = mid + 1;
      else hi = mid - 1;
    }
  }
}

/** True when limit rule a is more restrictive than b (policy.md §7.5). */
function tighterLimit(a: usize, b: usize, reqField: i32): bool {
  const ra = word(a, reqField);
  const rb = word(b, reqField);
  if (ra != rb) return ra < rb;
  const wa = word(a, reqField + 1);
  const wb = word(b, reqField + 1);
  if (wa != wb) return wa < wb;
  return word(a, reqField + 2) < word(b, reqField + 2);
}

function pickLimit(current: i32, candidate: i32, reqField: i32): i32 {
  if (candidate < 0 || word(ruleAt(candidate), reqField) <= 0) return current;
  if (current < 0) return candidate;
  return tighterLimit(ruleAt(candidate), ruleAt(current), reqField) ? candidate : current;
}

@inline function nextRecord(rec: usize): usize {
  return rec + (<usize>(RR_WORDS + load<i32>(rec + (<usize>RR_CODE_COUNT << 2))) << 2);
}

/** §7.3-§7.6 for the current subject. */
export function evalSingle(): usize {
  const cands = candidates();
  const n = listCount(cands);
  let tier: i32 = -1;
  let first: usize = 0;
  let tierSize: i32 = 0;
  for (let i = 0; i < n; i++) {
    const index = listItem(cands, i);
    const rule = ruleAt(index);
    const ruleTier = word(rule, L.R_TIER);
    // Candidates are in tier order, so nothing after this rule can belong to the fixed tier.
    if (tier >= 0 && ruleTier != tier) break;
    if (!ruleMatches(rule)) continue;
    tier = ruleTier;
    const rec = evalRule(index, rule);
    if (first == 0) first = rec;
    tierSize++;
    if (outOfSpace) return newResult(L.V_BLOCK);
  }
  if (tierSize == 0) return defaultResult();

  let verdict = L.V_ALLOW;
  let rec = first;
  for (let i = 0; i < tierSize; i++, rec = nextRecord(rec)) {
    verdict = mostRestrictive(verdict, load<i32>(rec + (<usize>RR_EFFECT << 2)));
  }
  const res = newResult(verdict);
  let minApprovals = 0;
  let flags = 0;
  let rate = -1;
  let budget = -1;
  rec = first;
  for (let i = 0; i < tierSize; i++, rec = nextRecord(rec)) {
    if (load<i32>(rec + (<usize>RR_EFFECT << 2)) != verdict) continue;
    const index = load<i32>(rec + (<usize>RR_RULE << 2));
    const rule = ruleAt(index);
    const m = load<i32>(rec + (<usize>RR_MIN_APPROVALS << 2));
    if (m > minApprovals) minApprovals = m;
    const rf = word(rule, L.R_FLAGS);
    if ((rf & L.RF_DISTINCT_APPROVERS) != 0) flags |= L.OF_DISTINCT_APPROVERS;
    if ((rf & L.RF_BROKER) != 0) flags |= L.OF_BROKER;
    if ((rf & L.RF_REQUIRE_DELEGATION) != 0) flags |= L.OF_REQUIRE_DELEGATION;
    if (load<i32>(rec + (<usize>RR_DATAFLOW << 2)) != 0) flags |= L.OF_DATAFLOW_TRIGGERED;
    rate = pickLimit(rate, index, L.R_RATE_REQUESTS);
    budget = pickLimit(budget, index, L.R_BUDGET_REQUESTS);
  }
  if (verdict != L.V_REQUIRE_APPROVAL) {
    minApprovals = 0;
    flags &= ~L.OF_DISTINCT_APPROVERS;
  }
  setSr(res, SR_MIN_APPROVALS, minApprovals);
  setSr(res, SR_FLAGS, flags);
  setSr(res, SR_RATE_RULE, rate);
  setSr(res, SR_BUDGET_RULE, budget);
  setSr(res, SR_REASONS, <i32>collectCodes(first, tierSize, verdict, 0));
  setSr(res, SR_VIOLATIONS, <i32>collectCodes(first, tierSize, verdict, 1));

  // matched_rule names every tier rule, including those whose effect lost.
  let c = collectorStart();
  rec = first;
  for (let i = 0; i < tierSize; i++, rec = nextRecord(rec)) {
    collectorPush(c, word(ruleAt(load<i32>(rec + (<usize>RR_RULE << 2))), L.R_NAME_ID));
  }
  setSr(res, SR_MATCHED, <i32>collectorFinish(c));
  setSr(res, SR_BROKER_REFS, <i32>collectRuleField(first, tierSize, verdict, L.R_BROKER_REF_ID, false));
  setSr(res, SR_BROKER_SCOPES, <i32>collectRuleField(first, tierSize, verdict, L.R_BROKER_SCOPES, true));
  setSr(res, SR_DELEGATION_SCOPES, <i32>collectRuleField(first, tierSize, verdict, L.R_DELEGATION_SCOPES, true));
  return res;
}

/** Sorted union of the reasons (tag 0) or violations (tag 1) of rules whose effect is `verdict`. */
function collectCodes(first: usize, tierSize: i32, verdict: i32, tag: i32): usize {
  const c = collectorStart();
  let rec = first;
  for (let i = 0; i < tierSize; i++, rec = nextRecord(rec)) {
    if (load<i32>(rec + (<usize>RR_EFFECT << 2)) != verdict) continue;
    const count = load<i32>(rec + (<usize>RR_CODE_COUNT << 2));
    const codes = rec + (<usize>RR_WORDS << 2);
    for (let k = 0; k < count; k++) {
      const code = load<i32>(codes + (<usize>k << 2));
      if ((code & 1) == tag) collectorPush(c, code >> 1);
    }
  }
  return collectorFinish(c);
}

/** Sorted union of an id (or id list) field over the rules whose effect is `verdict`. */
function collectRuleField(first: usize, tierSize: i32, verdict: i32, field: i32, isList: bool): usize {
  // Most rules set none of these fields: then the answer is the empty list, without a collector.
  let any = false;
  let r = first;
  for (let i = 0; i < tierSize && !any; i++, r = nextRecord(r)) {
    if (load<i32>(r + (<usize>RR_EFFECT << 2)) != verdict) continue;
    const rule = ruleAt(load<i32>(r + (<usize>RR_RULE << 2)));
    any = isList ? listCount(listAt(PB, word(rule, field))) > 0 : word(rule, field) != 0;
  }
  if (!any) return emptyList();
  const c = collectorStart();
  let rec = first;
  for (let i = 0; i < tierSize; i++, rec = nextRecord(rec)) {
    if (load<i32>(rec + (<usize>RR_EFFECT << 2)) != verdict) continue;
    const rule = ruleAt(load<i32>(rec + (<usize>RR_RULE << 2)));
    if (isList) collectorPushList(c, listAt(PB, word(rule, field)));
    else collectorPush(c, word(rule, field));
  }
  return collectorFinish(c);
}

/** §7.6: no rule matched. No constraint or destructive step runs on this path. */
function defaultResult(): usize {
  const verdict = word(PB, L.P_DEFAULT_VERDICT);
  const res = newResult(verdict);
  const code =
    verdict == L.V_ALLOW ? L.B_DEFAULT_ALLOW :
    verdict == L.V_DRY_RUN ? L.B_DEFAULT_DRY_RUN :
    verdict == L.V_REQUIRE_APPROVAL ? L.B_DEFAULT_REQUIRE_APPROVAL : L.B_DEFAULT_BLOCK;
  setSr(res, SR_FLAGS, L.OF_DEFAULT);
  setSr(res, SR_MIN_APPROVALS, verdict == L.V_REQUIRE_APPROVAL ? 1 : 0);
  setSr(res, SR_REASONS, <i32>singletonList(builtin(code)));
  finishEmptyLists(res, SR_VIOLATIONS);
  return res;
}

/** Step risk class (§7.7 step 3): 2 high, 1 medium, 0 low. */
function stepRisk(targets: usize): i32 {
  let risk = 0;
  const n = targetCount(targets);
  for (let i = 0; i < n; i++) {
    const t = targetAt(targets, i);
    const cls = word(t, L.T_CLASS);
    if (cls == builtin(L.B_CLASS_FS_DELETE) || cls == builtin(L.B_CLASS_PROC_EXEC) || (word(t, L.T_FLAGS) & L.TF_DESTRUCTIVE) != 0) {
      return 2;
    }
    if (cls == builtin(L.B_CLASS_FS_WRITE) || cls == builtin(L.B_CLASS_NET_HTTP) || cls == builtin(L.B_CLASS_NET_DNS)) risk = 1;
  }
  return risk;
}

/** Evaluates the top-level (non-script) intent. */
export function evalTopLevel(): usize {
  setSubject(
    word(IB, L.I_TOOL_ID), listAt(IB, word(IB, L.I_TARGETS)), listAt(IB, word(IB, L.I_PROVENANCE)),
    word(IB, L.I_CTX_TOOL), word(IB, L.I_CTX_DATA), word(IB, L.I_CTX_ENDPOINT), word(IB, L.I_CTX_AUTONOMY),
  );
  return evalSingle();
}

// Script evaluation keeps each step's result; index.ts writes them after the roll-up.
export let stepResults: usize = 0; // address of `count, resultAddress*`
export let compositeRisk: i32 = -1;

/** §7.7 steps 1-7. */
export function evalScript(): usize {
  const steps = listAt(IB, word(IB, L.I_STEPS));
  const n = listCount(steps);
  const results = scratchAlloc(1 + n);
  if (outOfSpace) return newResult(L.V_BLOCK);
  store<i32>(results, n);
  stepResults = results;
  let riskMask = 0;
  for (let i = 0; i < n; i++) {
    const step = steps + 4 + <usize>(i * L.STEP_WORDS) * 4;
    const targets = listAt(IB, word(step, L.S_TARGETS));
    setSubject(
      word(step, L.S_TOOL_ID), targets, listAt(IB, word(step, L.S_PROVENANCE)),
      word(step, L.S_CTX_TOOL), word(step, L.S_CTX_DATA), word(step, L.S_CTX_ENDPOINT), word(step, L.S_CTX_AUTONOMY),
    );
    const r = evalSingle();
    if (outOfSpace) return newResult(L.V_BLOCK);
    store<i32>(results + 4 + (<usize>i << 2), <i32>r);
    riskMask |= 1 << stepRisk(targets);
  }

  let verdict = L.V_ALLOW;
  let minApprovals = 0;
  let flags = L.OF_SCRIPT;
  let rate = -1;
  let budget = -1;
  let brokerRefs: usize = 0;
  for (let i = 0; i < n; i++) {
    const r = <usize>load<i32>(results + 4 + (<usize>i << 2));
    verdict = mostRestrictive(verdict, sr(r, SR_VERDICT));
    if (sr(r, SR_MIN_APPROVALS) > minApprovals) minApprovals = sr(r, SR_MIN_APPROVALS);
    flags |= sr(r, SR_FLAGS) & (L.OF_DISTINCT_APPROVERS | L.OF_BROKER | L.OF_REQUIRE_DELEGATION | L.OF_DATAFLOW_TRIGGERED);
    rate = pickLimit(rate, sr(r, SR_RATE_RULE), L.R_RATE_REQUESTS);
    budget = pickLimit(budget, sr(r, SR_BUDGET_RULE), L.R_BUDGET_REQUESTS);
    if (brokerRefs == 0 && listCount(<usize>sr(r, SR_BROKER_REFS)) > 0) brokerRefs = <usize>sr(r, SR_BROKER_REFS);
  }

  const maxSteps = word(PB, L.P_SCRIPT_MAX_STEPS) > 0 ? word(PB, L.P_SCRIPT_MAX_STEPS) : 64;
  const tooMany = n > maxSteps;
  if (tooMany) verdict = L.V_BLOCK;
  const above = word(PB, L.P_SCRIPT_APPROVAL_ABOVE);
  const threshold = above > 0 && n > above;
  if (threshold) {
    verdict = mostRestrictive(verdict, L.V_REQUIRE_APPROVAL);
    if (minApprovals < 1) minApprovals = 1;
  }
  const distinctRisks = popcnt<i32>(riskMask);
  const mixed = word(PB, L.P_SCRIPT_BLOCK_MIXED) != 0 && distinctRisks > 1;
  if (mixed) verdict = L.V_BLOCK;
  compositeRisk = (riskMask & 4) != 0 ? 2 : (riskMask & 2) != 0 ? 1 : 0;

  const res = newResult(verdict);
  setSr(res, SR_MIN_APPROVALS, minApprovals);
  setSr(res, SR_FLAGS, flags);
  setSr(res, SR_RATE_RULE, rate);
  setSr(res, SR_BUDGET_RULE, budget);
  let c = collectorStart();
  for (let i = 0; i < n; i++) collectorPushList(c, <usize>sr(<usize>load<i32>(results + 4 + (<usize>i << 2)), SR_REASONS));
  if (tooMany) collectorPush(c, builtin(L.B_SCRIPT_MAX_STEPS_EXCEEDED));
  if (threshold) collectorPush(c, builtin(L.B_SCRIPT_STEP_THRESHOLD_APPROVAL));
  if (mixed) collectorPush(c, builtin(L.B_SCRIPT_MIXED_RISK_BLOCKED));
  setSr(res, SR_REASONS, <i32>collectorFinish(c));
  c = collectorStart();
  for (let i = 0; i < n; i++) collectorPushList(c, <usize>sr(<usize>load<i32>(results + 4 + (<usize>i << 2)), SR_VIOLATIONS));
  if (tooMany) collectorPush(c, builtin(L.B_SCRIPT_MAX_STEPS_EXCEEDED));
  if (mixed) collectorPush(c, builtin(L.B_SCRIPT_MIXED_RISK));
  setSr(res, SR_VIOLATIONS, <i32>collectorFinish(c));
  c = collectorStart();
  for (let i = 0; i < n; i++) collectorPushList(c, <usize>sr(<usize>load<i32>(results + 4 + (<usize>i << 2)), SR_MATCHED));
  setSr(res, SR_MATCHED, <i32>collectorFinish(c));
  setSr(res, SR_BROKER_REFS, <i32>(brokerRefs != 0 ? brokerRefs : emptyList()));
  c = collectorStart();
  for (let i = 0; i < n; i++) collectorPushList(c, <usize>sr(<usize>load<i32>(results + 4 + (<usize>i << 2)), SR_BROKER_SCOPES));
  setSr(res, SR_BROKER_SCOPES, <i32>collectorFinish(c));
  c = collectorStart();
  for (let i = 0; i < n; i++) collectorPushList(c, <usize>sr(<usize>load<i32>(results + 4 + (<usize>i << 2)), SR_DELEGATION_SCOPES));
  setSr(res, SR_DELEGATION_SCOPES, <i32>collectorFinish(c));
  return res;
}
