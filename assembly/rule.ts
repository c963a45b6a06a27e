// Per-rule evaluation of a matched rule (policy.md §7.4): base effect and codes, then dataflow,
// endpoint, context evidence and destructive/phase steps, in that order.
//
// The outcome is a record in the scratch arena followed by its code stream; each code word is
// `(id << 1) | isViolation`.
import { PB, IB, subjTargets, subjProvenance } from './context';
import { word, listAt, listCount, listItem, listHas, scratchAlloc, outOfSpace } from './memory';
import { pathMatch, domainMatch } from './patterns';
import { targetCount, targetAt } from './match';
import * as L from '../bindings/core/layout';

export const RR_RULE = 0;
export const RR_EFFECT = 1;
export const RR_MIN_APPROVALS = 2;
export const RR_DATAFLOW = 3;
export const RR_CODE_COUNT = 4;
export const RR_WORDS = 5;

@inline export function mostRestrictive(a: i32, b: i32): i32 {
  return b > a ? b : a;
}

@inline export function builtin(index: i32): i32 {
  return word(listAt(PB, word(PB, L.P_BUILTINS)), index);
}

let currentRecord: usize = 0;

function emit(id: i32, violation: bool): void {
  if (id == 0) return;
  const slot = scratchAlloc(1);
  if (outOfSpace) return;
  store<i32>(slot, (id << 1) | (violation ? 1 : 0));
  store<i32>(currentRecord + (<usize>RR_CODE_COUNT << 2), load<i32>(currentRecord + (<usize>RR_CODE_COUNT << 2)) + 1);
}

@inline function emitBoth(id: i32): void {
  emit(id, false);
  emit(id, true);
}

function codeCount(): i32 {
  return load<i32>(currentRecord + (<usize>RR_CODE_COUNT << 2));
}

export function anyDestructive(targets: usize): bool {
  const n = targetCount(targets);
  for (let i = 0; i < n; i++) {
    if ((word(targetAt(targets, i), L.T_FLAGS) & L.TF_DESTRUCTIVE) != 0) return true;
  }
  return false;
}

/** §3.7: taint from a listed source reaching an egress destination. */
function dataflowTriggers(rule: usize): bool {
  const tainted = listAt(PB, word(rule, L.R_DF_TAINTED));
  let taint = false;
  const np = listCount(subjProvenance);
  for (let i = 0; i < np && !taint; i++) taint = listHas(tainted, listItem(subjProvenance, i));
  if (!taint) return false;
  const kinds = listAt(PB, word(rule, L.R_DF_KINDS));
  const values = listAt(PB, word(rule, L.R_DF_VALUES));
  const ops = listAt(PB, word(rule, L.R_DF_OPS));
  const nt = targetCount(subjTargets);
  const unfiltered = listCount(kinds) == 0 && listCount(values) == 0 && listCount(ops) == 0;
  for (let i = 0; i < nt; i++) {
    const t = targetAt(subjTargets, i);
    if (unfiltered) {
      const k = word(t, L.T_KIND);
      if (
        k == builtin(L.B_KIND_HOST) || k == builtin(L.B_KIND_URL) || k == builtin(L.B_KIND_BUCKET) ||
        k == builtin(L.B_KIND_QUEUE) || k == builtin(L.B_KIND_TOPIC)
      ) return true;
      continue;
    }
    // A single target must satisfy every configured filter.
    if (listCount(kinds) > 0 && !listHas(kinds, word(t, L.T_KIND))) continue;
    if (listCount(values) > 0 && !listHas(values, word(t, L.T_VALUE_ID))) continue;
    if (listCount(ops) > 0 && !listHas(ops, word(t, L.T_OPERATION))) continue;
    return true;
  }
  return false;
}

function anyPattern(list: usize, s: usize, slen: i32, domain: bool): bool {
  const n = listCount(list);
  for (let i = 0; i < n; i++) {
    const p = PB + <usize>listItem(list, 2 * i);
    const plen = listItem(list, 2 * i + 1);
    if (domain ? domainMatch(p, plen, s, slen) : pathMatch(p, plen, s, slen)) return true;
  }
  return false;
}

/** §3.8. Emits the endpoint codes and returns the endpoint effect, or -1 when not triggered. */
function endpointEffect(rule: usize): i32 {
  const before = codeCount();
  const pathAllow = listAt(PB, word(rule, L.R_EP_PATH_ALLOW));
  const pathDeny = listAt(PB, word(rule, L.R_EP_PATH_DENY));
  const domainAllow = listAt(PB, word(rule, L.R_EP_DOMAIN_ALLOW));
  const domainDeny = listAt(PB, word(rule, L.R_EP_DOMAIN_DENY));
  const egress = listAt(PB, word(rule, L.R_EP_EGRESS));
  const netHttp = builtin(L.B_CLASS_NET_HTTP);
  const netDns = builtin(L.B_CLASS_NET_DNS);
  const nt = targetCount(subjTargets);
  for (let i = 0; i < nt; i++) {
    const t = targetAt(subjTargets, i);
    if (word(t, L.T_KIND) == builtin(L.B_KIND_PATH)) {
      const v = IB + <usize>word(t, L.T_VALUE_OFF);
      const vlen = word(t, L.T_VALUE_LEN);
      if (listCount(pathDeny) > 0 && anyPattern(pathDeny, v, vlen, false)) emitBoth(builtin(L.B_ENDPOINT_PATH_DENIED));
      if (listCount(pathAllow) > 0 && !anyPattern(pathAllow, v, vlen, false)) {
        emitBoth(builtin(L.B_ENDPOINT_PATH_NOT_ALLOWLISTED));
      }
    }
    const dlen = word(t, L.T_DOMAIN_LEN);
    if (dlen > 0) {
      const d = IB + <usize>word(t, L.T_DOMAIN_OFF);
      if (listCount(domainDeny) > 0 && anyPattern(domainDeny, d, dlen, true)) emitBoth(builtin(L.B_ENDPOINT_DOMAIN_DENIED));
      if (listCount(domainAllow) > 0 && !anyPattern(domainAllow, d, dlen, true)) {
        emitBoth(builtin(L.B_ENDPOINT_DOMAIN_NOT_ALLOWLISTED));
      }
    }
    const cls = word(t, L.T_CLASS);
    if ((cls == netHttp || cls == netDns) && listCount(egress) > 0 && !listHas(egress, cls)) {
      emitBoth(builtin(L.B_ENDPOINT_EGRESS_CLASS_NOT_ALLOWED));
    }
  }
  let effect = word(rule, L.R_EP_ACTION);
  const destructiveAction = word(rule, L.R_EP_DESTRUCTIVE_ACTION);
  if (destructiveAction != L.V_NONE && anyDestructive(subjTargets)) {
    effect = mostRestrictive(effect, destructiveAction);
    emit(builtin(L.B_ENDPOINT_DESTRUCTIVE_OPERATION), false);
    emit(builtin(L.B_DESTRUCTIVE_OPERATION), true);
  }
  if (codeCount() == before) return -1;
  emit(word(rule, L.R_EP_REASON_ID), false);
  emit(word(rule, L.R_EP_VIOLATION_ID), true);
  return effect;
}

/** §7.4 step 4: evidence only exists when a verified envelope was bound. */
function contextFails(rule: usize): bool {
  const flags = word(IB, L.I_FLAGS);
  const before = codeCount();
  if ((flags & L.IF_CONTEXT_DIGEST) == 0) {
    emit(builtin(L.B_CONTEXT_EVIDENCE_MISSING), false);
    emit(builtin(L.B_CONTEXT_SET_DIGEST_MISSING), false);
    emit(builtin(L.B_MISSING_CONTEXT_EVIDENCE), true);
  }
  if ((word(rule, L.R_FLAGS) & L.RF_CONTEXT_MODE_REQUIRED) != 0 && (flags & L.IF_CONTEXT_MODE_REQUIRED) == 0) {
    emit(builtin(L.B_CONTEXT_EVIDENCE_MODE_MISMATCH), false);
    emit(builtin(L.B_CONTEXT_EVIDENCE_MODE_VIOLATION), true);
  }
  const maxAge = load<i64>(rule + (<usize>L.R_MAX_CONTEXT_AGE_LO << 2));
  if (maxAge > 0) {
    const age = load<i64>(IB + (<usize>L.I_CONTEXT_AGE_LO << 2));
    if ((flags & L.IF_CONTEXT_AGE) == 0 || age > maxAge) {
      emit(builtin(L.B_CONTEXT_FRESHNESS_EXCEEDED), false);
      emit(builtin(L.B_CONTEXT_FRESHNESS_VIOLATION), true);
    }
  }
  return codeCount() != before;
}

/** Evaluates one matched rule; returns the address of its outcome record. */
export function evalRule(index: i32, rule: usize): usize {
  const rec = scratchAlloc(RR_WORDS);
  currentRecord = rec;
  if (outOfSpace) return rec;
  store<i32>(rec + (<usize>RR_RULE << 2), index);
  store<i32>(rec + (<usize>RR_DATAFLOW << 2), 0);
  store<i32>(rec + (<usize>RR_CODE_COUNT << 2), 0);
  const flags = word(rule, L.R_FLAGS);
  let effect = word(rule, L.R_EFFECT);

  const reasons = listAt(PB, word(rule, L.R_REASONS));
  for (let i = 0, n = listCount(reasons); i < n; i++) emit(listItem(reasons, i), false);
  const violations = listAt(PB, word(rule, L.R_VIOLATIONS));
  for (let i = 0, n = listCount(violations); i < n; i++) emit(listItem(violations, i), true);

  if ((flags & L.RF_DATAFLOW) != 0 && dataflowTriggers(rule)) {
    // The dataflow action replaces the effect (it can lower a block; policy.md §13 q1).
    effect = word(rule, L.R_DF_ACTION);
    emit(word(rule, L.R_DF_REASON_ID), false);
    emit(word(rule, L.R_DF_VIOLATION_ID), true);
    store<i32>(rec + (<usize>RR_DATAFLOW << 2), 1);
  }
  if ((flags & L.RF_ENDPOINT) != 0) {
    const ep = endpointEffect(rule);
    if (ep >= 0) effect = mostRestrictive(effect, ep);
  }
  if ((flags & L.RF_CONTEXT_CONSTRAINED) != 0 && contextFails(rule)) {
    effect = L.V_BLOCK;
  }
  if (anyDestructive(subjTargets)) {
    if ((word(IB, L.I_FLAGS) & L.IF_PHASE_PLAN) != 0) {
      effect = mostRestrictive(effect, L.V_DRY_RUN);
      emit(builtin(L.B_PLAN_PHASE_NON_DESTRUCTIVE), false);
    } else {
      effect = mostRestrictive(effect, L.V_REQUIRE_APPROVAL);
      emit(builtin(L.B_DESTRUCTIVE_APPLY_REQUIRES_APPROVAL), false);
    }
  }
  let minApprovals = word(rule, L.R_MIN_APPROVALS);
  if (effect == L.V_REQUIRE_APPROVAL && minApprovals == 0) minApprovals = 1;
  store<i32>(rec + (<usize>RR_EFFECT << 2), effect);
  store<i32>(rec + (<usize>RR_MIN_APPROVALS << 2), minApprovals);
  return rec;
}
