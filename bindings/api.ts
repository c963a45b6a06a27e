/**
 * The portable library API, shared by every runtime entry point: instantiate the engine from
 * whatever the runtime can give (core/instantiate.ts), load a policy once, and decide on intents
 * synchronously. Runtime loaders (bindings/load/*) only supply the module.
 */
import { Engine } from './core/engine.js';
import { Gate } from './gate.js';
import { parsePolicyYaml } from './policy/parse.js';
import type { Policy } from './policy/model.js';
import { notAnEngine, asGaitError, policyInput } from './arguments.js';
import { isLoadedCompiledPolicy, type LoadedCompiledPolicy } from './compiled/load.js';
import { loadCompiledPolicy } from './compiled/load-sync.js';
import { isCompiledPolicyBytes } from './compiled/format.js';

export { instantiate, instantiateSync, type CoreSource } from './core/instantiate.js';

/** A policy as createGate takes it: YAML text or bytes, a plain object, a Policy, or a compiled policy. */
export type GatePolicy = string | Uint8Array | Record<string, unknown> | Policy | LoadedCompiledPolicy;

/**
 * createGate's policy argument made into a gate: checked first (a wrong argument is the caller's
 * error, reported before the engine is looked for), then loaded into `engine()`. A compiled policy
 * (bytes from compilePolicy, or loadCompiledPolicy's result) is loaded without the YAML parser.
 */
export function openGate(policy: unknown, engine: () => Engine): Gate {
  let compiled: LoadedCompiledPolicy | undefined;
  let input: string | Policy | undefined;
  try {
    if (isLoadedCompiledPolicy(policy)) compiled = policy;
    else if (isCompiledPolicyBytes(policy)) compiled = loadCompiledPolicy(policy);
    else input = policyInput('createGate', policy);
  } catch (err) {
    throw asGaitError('createGate', err);
  }
  const e = engine();
  if (compiled) return new Gate(e, compiled);
  return new Gate(e, typeof input === 'string' ? parsePolicyYaml(input) : input!);
}

/**
 * Loads a policy into a gate: YAML text (strictly parsed like Gait), its UTF-8 bytes, a plain
 * object with the same keys, or a Policy from parsePolicyYaml (objects are validated the same
 * way: JSON is YAML, so one strict parser reads every form), or a compiled policy (the bytes of a
 * `.gaitc` file, checked like loadCompiledPolicy does; a signed one through loadCompiledPolicy
 * with its public key). Anything else is a GaitError.
 * The gate holds engine memory until `gate.dispose()`: see `Gate`.
 */
export function createGate(engine: Engine, policy: GatePolicy): Gate {
  if (!(engine instanceof Engine)) throw notAnEngine('createGate', engine);
  return openGate(policy, () => engine);
}
