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

interface CoreExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  abiVersion(): number;
  noop(x: number): number;
  evaluate(policy: number, intent: number, out: number, outLimit: number, scratch: number, scratchLimit: number): number;
}

/** A compiled policy resident in engine memory. */
export interface LoadedPolicy {
  readonly compiled: CompiledPolicy;
  readonly address: number;
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

export class Engine {
  private readonly core: CoreExports;
  private top: number;
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
    this.top = align(core.heapBase(), 16);
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

  /** Bytes of linear memory currently in use. */
  get memoryBytes(): number {
    return this.core.memory.buffer.byteLength;
  }

  load(compiled: CompiledPolicy): LoadedPolicy {
    const address = this.reserve(compiled.bytes.length);
    this.bytes.set(compiled.bytes, address);
    return { compiled, address };
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

  /** A fresh, larger work area (the old one is abandoned: growth is geometric and bounded). */
  private allocateWork(bytes: number): void {
    this.work = { address: this.reserve(bytes), bytes };
  }

  /** Bump-allocates `size` bytes of linear memory, growing it when needed. */
  private reserve(size: number): number {
    const address = this.top;
    this.top = align(address + size, 16);
    const have = this.core.memory.buffer.byteLength;
    if (this.top > have) {
      try {
        this.core.memory.grow(Math.ceil((this.top - have) / PAGE));
      } catch {
        throw new EngineError(`core memory limit reached (${this.top} bytes requested)`);
      }
      this.words = new Int32Array(this.core.memory.buffer);
      this.bytes = new Uint8Array(this.core.memory.buffer);
    }
    return address;
  }
}

/** `n` rounded up to a multiple of `to` (a power of two). */
function align(n: number, to: number): number {
  return (n + to - 1) & -to;
}
