/**
 * What every decide-only entry (`gait-wasm/compiled`) offers: compiled policies in, decisions out.
 * No YAML parser, no policy compiler, no enforcement pipeline: see entry-*.ts.
 */
import type { Engine } from '../core/engine.js';
import { DecisionGate } from '../decision-gate.js';
import { invalidInput } from '../errors.js';
import { readCompiledPolicy, isLoadedCompiledPolicy, type LoadedCompiledPolicy } from './load.js';

export { instantiate, instantiateSync, type CoreSource } from '../core/instantiate.js';
export { Engine, EngineError } from '../core/engine.js';
export { GaitError, type ErrorCategory } from '../errors.js';
export {
  DecisionGate, type GateEvaluation, type GateResult, type GateVerdict, type StepVerdict, type EvaluateOptions, type GateDecideOptions,
  type WrkrInventory, type WrkrEntry,
} from '../decision-gate.js';
export { decisionPayload, verdictExitCode, type Decision, type DecisionPayload, type DecideOptions } from '../decision.js';
export { isLoadedCompiledPolicy, type LoadCompiledPolicyOptions, type LoadedCompiledPolicy } from './load.js';
export { verifyCompiledPolicy } from './verify.js';
export { CompiledPolicyError, FORMAT_VERSION as COMPILED_POLICY_FORMAT_VERSION, type CompiledPolicyErrorCode } from './format.js';
export type { InitSource, InitSyncSource } from '../load/runtime.js';
export { VERSION } from '../version.js';

/** A policy as the decide-only createGate takes it: the bytes of an unsigned `.gaitc` file, or verifyCompiledPolicy's result. */
export type CompiledPolicyInput = Uint8Array | ArrayBuffer | LoadedCompiledPolicy;

/** The decide-only createGate's opener (load/runtime.ts): compiled policies only. */
export function openCompiledGate(policy: unknown, engine: () => Engine): DecisionGate {
  let loaded: LoadedCompiledPolicy;
  if (isLoadedCompiledPolicy(policy)) loaded = policy; // a WeakSet lookup: no trap of the argument runs
  else if (typeof policy === 'string') {
    throw invalidInput('createGate: the decide-only build (gait-wasm/compiled) takes compiled policies, not YAML text: compile it with `gait policy compile policy.yaml --out policy.gaitc`, or use the main gait-wasm entry');
  } else {
    // Unsigned files only: a signed one says to verify it first (verifyCompiledPolicy + its key).
    loaded = readCompiledPolicy('createGate', policy).finish();
  }
  return new DecisionGate(engine(), loaded.compiled, loaded.policyDigest);
}
