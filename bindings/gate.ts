/**
 * The library API: a policy loaded once into the engine (decision-gate.ts evaluates it), plus the
 * whole gate pipeline on top: `enforce` (tokens, limits, broker, trace) and the tool-call boundary.
 */
import type { Policy } from './policy/model.js';
import type { Engine } from './core/engine.js';
import type { RawIntent } from './intent/decode.js';
import { compilePolicy, type CompiledPolicy } from './core/compile.js';
import { parsePolicyYaml } from './policy/parse.js';
import { policyDigest } from './policy/digest.js';
import { DecisionGate } from './decision-gate.js';
import type { IntentInput } from './intent/request.js';
import { enforce, enforceRaw, type EnforceOptions, type EnforceResult } from './enforce.js';
import { evaluateToolCall, type McpProxyOptions, type McpProxyResult } from './mcp/proxy.js';

export {
  DecisionGate, type WrkrEntry, type WrkrInventory, type EvaluateOptions, type GateResult, type GateVerdict, type StepVerdict,
  type GateEvaluation, type GateDecideOptions,
} from './decision-gate.js';

/** A compiled policy with its digest, as a compiled policy file carries them (bindings/compiled/). */
export interface PreparedPolicy {
  compiled: CompiledPolicy;
  policyDigest: string;
}

/**
 * A policy loaded into an engine's WASM memory, evaluated against intents.
 *
 * Memory: each gate holds its compiled policy (a few KB) in the engine's memory until
 * `gate.dispose()` frees it for the next gate to reuse. Gates are not freed by garbage collection:
 * a process that makes gates over and over (one per request, per reloaded policy) must dispose of
 * the ones it is done with, or the engine's memory grows to its 1 GiB maximum, after which
 * creating gates throws (existing gates keep working). After `dispose()` every evaluation method
 * throws a GaitError (an EngineError): a disposed gate never returns a verdict. Disposing twice
 * does nothing. Where the runtime has `Symbol.dispose`, `using gate = createGate(...)` disposes of
 * it at the end of the block. Gates made with `createGate(policy)` share the runtime entry's
 * default engine; disposing of one gate affects no other.
 * A compiled policy file (bindings/compiled/) gives the same gate without parsing or compiling:
 * `new Gate(engine, loadCompiledPolicy(bytes))`.
 */
export class Gate extends DecisionGate {
  constructor(engine: Engine, policy: Policy | PreparedPolicy) {
    const prepared = typeof policy === 'object' && policy !== null && 'compiled' in policy && 'policyDigest' in policy ? policy : undefined;
    if (prepared) super(engine, prepared.compiled, prepared.policyDigest);
    else {
      const p = policy as Policy;
      const digest = policyDigest(p); // first: it checks the argument is a Policy
      super(engine, compilePolicy(p), digest);
    }
  }

  static fromYaml(engine: Engine, yamlText: string): Gate {
    return new Gate(engine, parsePolicyYaml(yamlText));
  }

  /**
   * The whole gate (`gait gate eval`'s pipeline): evaluation, approved scripts, limits on a
   * limit store, delegation and approval tokens, the broker, simulate, a signed trace and audit
   * records, with I/O through the ports in `options` (enforce.ts). Resolves the result
   * `gait gate eval --json` prints and the artifacts; rejects with a GaitError on invalid input.
   */
  enforce(intent: IntentInput, options: EnforceOptions = {}): Promise<EnforceResult> {
    this.assertLive();
    return enforce(this, intent, options);
  }

  /** `enforce` for an intent already decoded with Go's JSON rules. */
  enforceRaw(raw: RawIntent, options: EnforceOptions = {}): Promise<EnforceResult> {
    this.assertLive();
    return enforceRaw(this, raw, options);
  }

  /**
   * An agent's tool call (MCP, OpenAI, Anthropic, Claude Code or LangChain format) through the
   * tool-call boundary, as `gait mcp proxy` evaluates it (mcp/proxy.ts). The framework
   * integrations call this method rather than importing the function, so a gate from any copy of
   * the package is evaluated by its own code.
   */
  evaluateToolCall(payload: string | Uint8Array | object, options: McpProxyOptions = {}): Promise<McpProxyResult> {
    this.assertLive();
    return evaluateToolCall(this, payload, options);
  }

}
