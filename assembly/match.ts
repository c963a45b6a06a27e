// Rule selectors (policy.md §3.9-§3.11): a rule matches iff every non-empty selector matches.
// Lists are any-of; target selectors need some target (different selectors may use different
// targets); an empty selector places no constraint.
import {
  PB, IB, subjTool, subjTargets, subjProvenance, subjCtxTool, subjCtxData, subjCtxEndpoint, subjCtxAutonomy,
} from './context';
import { word, listAt, listCount, listItem, listHas } from './memory';
import { hasPrefix } from './patterns';
import * as L from '../bindings/core/layout';

@inline export function targetCount(targets: usize): i32 {
  return load<i32>(targets);
}

@inline export function targetAt(targets: usize, i: i32): usize {
  return targets + 4 + <usize>(i * L.TARGET_WORDS) * 4;
}

@inline function ruleList(rule: usize, field: i32): usize {
  return listAt(PB, word(rule, field));
}

/** Some target's field is in the (non-empty) list. */
function anyTargetIn(targets: usize, field: i32, list: usize): bool {
  const n = targetCount(targets);
  for (let i = 0; i < n; i++) {
    if (listHas(list, word(targetAt(targets, i), field))) return true;
  }
  return false;
}

function anyTargetHint(targets: usize, flag: i32, want: i32): bool {
  const n = targetCount(targets);
  for (let i = 0; i < n; i++) {
    const has: i32 = (word(targetAt(targets, i), L.T_FLAGS) & flag) != 0 ? 1 : 0;
    if (has == want) return true;
  }
  return false;
}

@inline function idSelector(rule: usize, field: i32, id: i32): bool {
  const list = ruleList(rule, field);
  return listCount(list) == 0 || listHas(list, id);
}

@inline function targetSelector(rule: usize, field: i32, targets: usize, targetField: i32): bool {
  const list = ruleList(rule, field);
  return listCount(list) == 0 || anyTargetIn(targets, targetField, list);
}

function workspaceMatches(rule: usize): bool {
  const list = ruleList(rule, L.R_M_WORKSPACE_PREFIXES);
  const n = listCount(list);
  if (n == 0) return true;
  const ws = IB + <usize>word(IB, L.I_WORKSPACE_OFF);
  const wsLen = word(IB, L.I_WORKSPACE_LEN);
  for (let i = 0; i < n; i++) {
    const off = listItem(list, 2 * i);
    const len = listItem(list, 2 * i + 1);
    if (hasPrefix(ws, wsLen, PB + <usize>off, len)) return true;
  }
  return false;
}

function annotationsMatch(rule: usize, targets: usize): bool {
  const ro = word(rule, L.R_M_ANNOT_READ_ONLY);
  if (ro >= 0 && !anyTargetHint(targets, L.TF_READ_ONLY, ro)) return false;
  const de = word(rule, L.R_M_ANNOT_DESTRUCTIVE);
  if (de >= 0 && !anyTargetHint(targets, L.TF_DESTRUCTIVE_HINT, de)) return false;
  const id = word(rule, L.R_M_ANNOT_IDEMPOTENT);
  if (id >= 0 && !anyTargetHint(targets, L.TF_IDEMPOTENT, id)) return false;
  const ow = word(rule, L.R_M_ANNOT_OPEN_WORLD);
  if (ow >= 0 && !anyTargetHint(targets, L.TF_OPEN_WORLD, ow)) return false;
  return true;
}

function skillMatches(rule: usize): bool {
  const publishers = ruleList(rule, L.R_M_SKILL_PUBLISHERS);
  const sources = ruleList(rule, L.R_M_SKILL_SOURCES);
  if (listCount(publishers) == 0 && listCount(sources) == 0) return true;
  if ((word(IB, L.I_FLAGS) & L.IF_SKILL) == 0) return false;
  if (listCount(publishers) > 0 && !listHas(publishers, word(IB, L.I_SKILL_PUBLISHER))) return false;
  if (listCount(sources) > 0 && !listHas(sources, word(IB, L.I_SKILL_SOURCE))) return false;
  return true;
}

/** policy.md §3.10. */
function delegationMatches(rule: usize): bool {
  if ((word(rule, L.R_FLAGS) & L.RF_DELEGATION_CONSTRAINED) == 0) return true;
  if ((word(IB, L.I_FLAGS) & L.IF_DELEGATION) == 0) return false;
  const chain = listAt(IB, word(IB, L.I_CHAIN));
  const links = listCount(chain);
  const maxDepth = word(rule, L.R_M_MAX_DEPTH);
  if (maxDepth >= 0 && links > maxDepth) return false;
  const delegators = ruleList(rule, L.R_M_DELEGATORS);
  if (listCount(delegators) > 0) {
    let ok = false;
    for (let i = 0; i < links && !ok; i++) ok = listHas(delegators, listItem(chain, 3 * i));
    if (!ok) return false;
  }
  const delegates = ruleList(rule, L.R_M_DELEGATES);
  if (listCount(delegates) > 0) {
    let ok = listHas(delegates, word(IB, L.I_DELEG_REQUESTER));
    for (let i = 0; i < links && !ok; i++) ok = listHas(delegates, listItem(chain, 3 * i + 1));
    if (!ok) return false;
  }
  const scopes = listAt(PB, word(rule, L.R_DELEGATION_SCOPES));
  if (listCount(scopes) > 0) {
    let ok = listHas(scopes, word(IB, L.I_DELEG_SCOPE));
    for (let i = 0; i < links && !ok; i++) ok = listHas(scopes, listItem(chain, 3 * i + 2));
    if (!ok) return false;
  }
  return true;
}

export function ruleMatches(rule: usize): bool {
  const t = subjTargets;
  if (!idSelector(rule, L.R_M_TOOL_NAMES, subjTool)) return false;
  if (!idSelector(rule, L.R_M_RISK_CLASSES, word(IB, L.I_RISK_ID))) return false;
  if (!idSelector(rule, L.R_M_IDENTITIES, word(IB, L.I_IDENTITY_ID))) return false;
  if (!workspaceMatches(rule)) return false;
  if (!idSelector(rule, L.R_M_CTX_TOOL, subjCtxTool)) return false;
  if (!idSelector(rule, L.R_M_CTX_DATA, subjCtxData)) return false;
  if (!idSelector(rule, L.R_M_CTX_ENDPOINT, subjCtxEndpoint)) return false;
  if (!idSelector(rule, L.R_M_CTX_AUTONOMY, subjCtxAutonomy)) return false;
  if (!targetSelector(rule, L.R_M_TARGET_KINDS, t, L.T_KIND)) return false;
  if (!targetSelector(rule, L.R_M_TARGET_VALUES, t, L.T_VALUE_ID)) return false;
  if (!targetSelector(rule, L.R_M_ENDPOINT_CLASSES, t, L.T_CLASS)) return false;
  if (!targetSelector(rule, L.R_M_DISCOVERY, t, L.T_DISCOVERY)) return false;
  if (!annotationsMatch(rule, t)) return false;
  if (!skillMatches(rule)) return false;
  if (!targetSelector(rule, L.R_M_DATA_CLASSES, t, L.T_SENSITIVITY)) return false;
  if (!targetSelector(rule, L.R_M_DEST_KINDS, t, L.T_KIND)) return false;
  if (!targetSelector(rule, L.R_M_DEST_VALUES, t, L.T_VALUE_ID)) return false;
  if (!targetSelector(rule, L.R_M_DEST_OPS, t, L.T_OPERATION)) return false;
  const prov = ruleList(rule, L.R_M_PROV_SOURCES);
  if (listCount(prov) > 0) {
    let ok = false;
    const n = listCount(subjProvenance);
    for (let i = 0; i < n && !ok; i++) ok = listHas(prov, listItem(subjProvenance, i));
    if (!ok) return false;
  }
  return delegationMatches(rule);
}
