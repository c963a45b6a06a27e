/**
 * The runtime-agnostic engine: owns one instance of the core and its linear memory. Compiled
 * policies are copied into memory once; each evaluation copies one encoded intent in, makes one
 * call, and reads integers back. Loaders (node, deno, browser, workerd) only supply the module.
 */
import type { CompiledPolicy } from './compile.js';
import type { CoreDecision, CoreOutcome } from './outcome.js';
import type { EncodedIntent } from './encode.js';
import { decodeDecision, decodeOutcome } from './outcome.js';
import * as L from './layout.js';
import { GaitError } from '../errors.js';
import { Allocator } from './allocator.js';

interface CoreExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  abiVersion(): number;
  noop(x: number): number;
  evaluate(policy: number, intent: number, out: number, outLimit: number, scratch: number, scratchLimit: number): number;
}

/**
 * A compiled policy resident in engine memory: returned by `engine.load`, valid until
 * `engine.unload` (which `gate.dispose()` calls). After that the engine refuses to evaluate it.
 */
export class LoadedPolicy {
  /** @internal The engine holding it; undefined once unloaded (only `Engine.unload` writes it). */
  readonly owner: Engine | undefined;

  /** @internal Made by `Engine.load` only. */
  constructor(
    owner: Engine,
    readonly compiled: CompiledPolicy,
    /** Where it was in the engine's memory (after unloading, that memory may hold another policy). */
    readonly address: number,
  ) {
    this.owner = owner;
  }

  /** True until it is unloaded. */
  get loaded(): boolean {
    return this.owner !== undefined;
  }
}

const PAGE = 65536;
const MIN_WORK_BYTES = 256 * 1024;
const MAX_WORK_BYTES = 64 * 1024 * 1024;

export class EngineError extends GaitError {
  constructor(message: string) {
    super(message, 'internal_failure');
    this.name = 'EngineError';
  }
}

/** Thrown when the intent could not be normalized and fail-closed does not apply to it. */
export class IntentInvalidStatus extends Error {}

/**
 * One instance of the core and its linear memory. Memory is managed explicitly: `load` copies a
 * compiled policy in, `unload` frees it for reuse (a `Gate` does both: `new Gate` / `createGate`
 * loads, `gate.dispose()` unloads). One work area, shared by all evaluations, holds the intent,
 * the output and the core's scratch space; it grows (to at most 64 MiB) for large intents.
 * WASM memory never shrinks: `memoryBytes` is the high-water mark, reused after unloads.
 * Memory that cannot grow (the module's maximum, 1 GiB) makes `load` or a large evaluation
 * throw an EngineError and changes nothing else: loaded policies keep working.
 */
export class Engine {
  private readonly core: CoreExports;
  private readonly heap: Allocator;
  private work = { address: 0, bytes: 0 };
  private words: Int32Array;
  private bytes: Uint8Array;

  private constructor(instance: WebAssembly.Instance) {
    const core = instance.exports as unknown as CoreExports;
    if (typeof core.evaluate !== 'function' || !(core.memory instanceof WebAssembly.Memory)) {
      throw new EngineError('core.wasm does not export the gait-wasm core interface');
    }
    if (core.abiVersion() !== L.POLICY_MAGIC) {
      throw new EngineError('core.wasm was built for a different bindings version');
    }
    this.core = core;
    this.heap = new Allocator(core.heapBase(), (bytes) => this.ensure(bytes));
    this.words = new Int32Array(core.memory.buffer);
    this.bytes = new Uint8Array(core.memory.buffer);
  }

  /** Synchronous: for runtimes that allow compiling a module from bytes on this thread. */
  static fromModule(module: WebAssembly.Module): Engine {
    return new Engine(new WebAssembly.Instance(module, {}));
  }


  /** The floor of any call across the boundary (benchmarks). */
  noop(x: number): number {
    return this.core.noop(x);
  }

  /** Size of linear memory in bytes: its high-water mark (WASM memory never shrinks). */
  get memoryBytes(): number {
    return this.core.memory.buffer.byteLength;
  }

  /** Bytes of linear memory held now by loaded policies and the work area (for leak checks). */
  get residentBytes(): number {
    return this.heap.usedBytes;
  }

  /**
   * Copies a compiled policy into memory, reusing memory freed by `unload`. Throws EngineError
   * when memory is at its maximum (nothing else changes: loaded policies keep working).
   */
  load(compiled: CompiledPolicy): LoadedPolicy {
    if (this.work.bytes === 0) this.allocateWork(MIN_WORK_BYTES); // so loaded policies can always run
    const address = this.reserve(compiled.bytes.length, 'policy');
    this.bytes.set(compiled.bytes, address);
    return new LoadedPolicy(this, compiled, address);
  }

  /**
   * Frees a loaded policy's memory for reuse; evaluating it afterwards throws EngineError.
   * Unloading it again does nothing; unloading a policy another engine holds throws.
   */
  unload(policy: LoadedPolicy): void {
    const owner = policy.owner;
    if (owner === undefined) return;
    if (owner !== this) throw new EngineError('engine.unload: this policy is loaded into another engine');
    (policy as { owner: Engine | undefined }).owner = undefined;
    const size = this.heap.sizeOf(policy.address)!;
    this.heap.free(policy.address);
    this.bytes.fill(0, policy.address, policy.address + size); // nothing stale is left to read
  }

  /** Evaluates an encoded intent (encode.ts). */
  evaluate(policy: LoadedPolicy, intent: Uint8Array | EncodedIntent, stepTools: readonly string[]): CoreOutcome {
    const base = this.run(policy, intent); // first: it may grow memory and replace this.words
    return decodeOutcome(this.words, base, policy.compiled, stepTools);
  }

  /** Evaluates an encoded single intent and reads back the decision alone (no step results). */
  evaluateDecision(policy: LoadedPolicy, intent: EncodedIntent): CoreDecision {
    const base = this.run(policy, intent); // first: it may grow memory and replace this.words
    return decodeDecision(this.words, base, policy.compiled);
  }

  /** Copies the intent in, calls the core; returns the word index of the result. */
  private run(policy: LoadedPolicy, intent: Uint8Array | EncodedIntent): number {
    if (policy.owner !== this) throw notResident(policy);
    const length = intent.byteLength;
    const intentBytes = align(length, 16);
    const wanted = Math.max(MIN_WORK_BYTES, intentBytes * 8);
    if (this.work.bytes < wanted) this.allocateWork(wanted);
    for (;;) {
      // Work area: [intent][output: a quarter of the rest][scratch].
      const intentAt = this.work.address;
      const outAt = intentAt + intentBytes;
      const outBytes = align(Math.floor((this.work.bytes - intentBytes) / 4), 16);
      const scratchAt = outAt + outBytes;
      const scratchEnd = this.work.address + this.work.bytes;
      if (intent instanceof Uint8Array) {
        this.bytes.set(intent, intentAt);
      } else {
        // Word by word: cheaper than making views for the few hundred bytes of an intent.
        const from = intent.words;
        const to = this.words;
        const base = intentAt >> 2;
        const n = (length + 3) >> 2;
        for (let i = 0; i < n; i++) to[base + i] = from[i]!;
      }
      let status: number;
      try {
        status = this.core.evaluate(policy.address, intentAt, outAt, outAt + outBytes, scratchAt, scratchEnd);
      } catch (err) {
        throw new EngineError(`core evaluation trapped: ${(err as Error).message}`);
      }
      if (status === L.ST_OK) return outAt >> 2;
      if (status === L.ST_INTENT_INVALID) throw new IntentInvalidStatus();
      if (status === L.ST_NO_SPACE && this.work.bytes < MAX_WORK_BYTES) {
        this.allocateWork(Math.min(this.work.bytes * 4, MAX_WORK_BYTES));
        continue;
      }
      throw new EngineError(`core evaluation failed with status ${status}`);
    }
  }

  /** A fresh, larger work area; the old one is freed once the new one is had (else kept). */
  private allocateWork(bytes: number): void {
    const address = this.reserve(bytes, 'work area');
    if (this.work.bytes !== 0) this.heap.free(this.work.address);
    this.work = { address, bytes };
  }

  /** `size` bytes from the allocator; EngineError (and no change at all) when memory is full. */
  private reserve(size: number, what: string): number {
    const address = this.heap.allocate(size);
    if (address === undefined) {
      throw new EngineError(`core memory limit reached: no room for a ${size}-byte ${what} (memory is ${this.memoryBytes} bytes; unload policies or dispose gates to free some)`);
    }
    return address;
  }

  /** Grows memory to at least `bytes`; false, with nothing changed, when it cannot. */
  private ensure(bytes: number): boolean {
    const have = this.core.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try {
      this.core.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false;
    }
    this.words = new Int32Array(this.core.memory.buffer);
    this.bytes = new Uint8Array(this.core.memory.buffer);
    return true;
  }
}

/** Why a policy cannot be evaluated by this engine. */
function notResident(policy: LoadedPolicy): EngineError {
  return new EngineError(
    policy.owner === undefined
      ? 'this policy is unloaded (its gate was disposed, or engine.unload was called): load it again, e.g. with createGate'
      : 'this policy is loaded into another engine: evaluate it with the engine that loaded it',
  );
}

/** `n` rounded up to a multiple of `to` (a power of two). */
function align(n: number, to: number): number {
  return (n + to - 1) & -to;
}
