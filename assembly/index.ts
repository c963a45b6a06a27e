// gait-wasm core: the only evaluator. Pure and deterministic: no imports, no clock, no I/O.
//
// The host writes a compiled policy and an encoded intent into linear memory (formats in
// bindings/core/layout.ts), calls `evaluate` once, and reads integers back from the output
// buffer. Nothing is allocated on the managed heap, so memory stays flat for any number of calls.
import { setBuffers, IB, PB } from './context';
import { word, listCount, listItem, scratchReset, outOfSpace } from './memory';
import {
  evalTopLevel, evalScript, failClosedApplies, failClosedResult, intentInvalidResult,
  stepResults, compositeRisk,
  SR_VERDICT, SR_MIN_APPROVALS, SR_FLAGS, SR_RATE_RULE, SR_BUDGET_RULE, SR_REASONS, SR_VIOLATIONS,
  SR_MATCHED, SR_BROKER_REFS, SR_BROKER_SCOPES, SR_DELEGATION_SCOPES,
} from './evaluate';
import * as L from '../bindings/core/layout';

/** First free byte above the module's static data; the host places its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Layout version the host must agree with. */
export function abiVersion(): i32 {
  return L.POLICY_MAGIC;
}

/** The cheapest possible call across the boundary: the benchmark floor. */
export function noop(x: i32): i32 {
  return x;
}

let outTop: usize = 0;
let outEnd: usize = 0;
let outFull: bool = false;

function put(value: i32): void {
  if (outTop + 4 > outEnd) {
    outFull = true;
    return;
  }
  store<i32>(outTop, value);
  outTop += 4;
}

function putList(list: usize): void {
  const n = listCount(list);
  const bytes = <usize>(n + 1) << 2;
  if (outTop + bytes > outEnd) {
    outFull = true;
    return;
  }
  // count, then the items; a plain loop: lists are short and memory.copy is a call out of WASM
  for (let at: usize = 0; at < bytes; at += 4) store<i32>(outTop + at, load<i32>(list + at));
  outTop += bytes;
}

@inline function srField(rec: usize, field: i32): i32 {
  return load<i32>(rec + (<usize>field << 2));
}

function writeResult(out: usize, rec: usize, composite: i32, steps: usize): void {
  store<i32>(out + (<usize>L.O_STATUS << 2), L.ST_OK);
  store<i32>(out + (<usize>L.O_VERDICT << 2), srField(rec, SR_VERDICT));
  store<i32>(out + (<usize>L.O_FLAGS << 2), srField(rec, SR_FLAGS));
  store<i32>(out + (<usize>L.O_MIN_APPROVALS << 2), srField(rec, SR_MIN_APPROVALS));
  store<i32>(out + (<usize>L.O_RATE_RULE << 2), srField(rec, SR_RATE_RULE));
  store<i32>(out + (<usize>L.O_BUDGET_RULE << 2), srField(rec, SR_BUDGET_RULE));
  store<i32>(out + (<usize>L.O_COMPOSITE_RISK << 2), composite);
  const stepCount = steps != 0 ? listCount(steps) : 0;
  store<i32>(out + (<usize>L.O_STEP_COUNT << 2), stepCount);
  outTop = out + (<usize>L.O_LISTS << 2);
  putList(<usize>srField(rec, SR_REASONS));
  putList(<usize>srField(rec, SR_VIOLATIONS));
  putList(<usize>srField(rec, SR_MATCHED));
  putList(<usize>srField(rec, SR_BROKER_REFS));
  putList(<usize>srField(rec, SR_BROKER_SCOPES));
  putList(<usize>srField(rec, SR_DELEGATION_SCOPES));
  for (let i = 0; i < stepCount; i++) {
    const step = <usize>listItem(steps, i);
    put(srField(step, SR_VERDICT));
    putList(<usize>srField(step, SR_REASONS));
    putList(<usize>srField(step, SR_VIOLATIONS));
    putList(<usize>srField(step, SR_MATCHED));
  }
}

function status(out: usize, st: i32): i32 {
  store<i32>(out + (<usize>L.O_STATUS << 2), st);
  store<i32>(out + (<usize>L.O_VERDICT << 2), L.V_BLOCK);
  return st;
}

/**
 * Evaluates the encoded intent at `intent` against the compiled policy at `policy`.
 * `out..outLimit` receives the result; `scratch..scratchLimit` is working space, reset per call.
 * Returns the status (ST_*); on any status but ST_OK the verdict slot holds V_BLOCK.
 */
export function evaluate(
  policy: usize, intent: usize, out: usize, outLimit: usize, scratch: usize, scratchLimit: usize,
): i32 {
  if (outLimit < out + (<usize>L.O_LISTS << 2)) return L.ST_NO_SPACE;
  setBuffers(policy, intent);
  scratchReset(scratch, scratchLimit);
  outEnd = outLimit;
  outFull = false;
  if (word(PB, L.P_MAGIC) != L.POLICY_MAGIC) return status(out, L.ST_BAD_INPUT);

  const flags = word(IB, L.I_FLAGS);
  let rec: usize = 0;
  let steps: usize = 0;
  let composite: i32 = -1;
  if ((flags & L.IF_INVALID) != 0) {
    if (!failClosedApplies(word(IB, L.I_RISK_ID))) return status(out, L.ST_INTENT_INVALID);
    rec = intentInvalidResult();
  } else {
    if (failClosedApplies(word(IB, L.I_RISK_ID))) rec = failClosedResult();
    if (rec == 0) {
      if ((flags & L.IF_SCRIPT) != 0) {
        rec = evalScript();
        steps = stepResults;
        composite = compositeRisk;
      } else {
        rec = evalTopLevel();
      }
    }
  }
  if (outOfSpace) return status(out, L.ST_NO_SPACE);
  writeResult(out, rec, composite, steps);
  if (outFull) return status(out, L.ST_NO_SPACE);
  return L.ST_OK;
}
