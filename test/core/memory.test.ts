// Engine memory: policies are unloaded and their memory reused; a failed grow changes nothing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePolicy, type CompiledPolicy } from '../../bindings/core/compile.js';
import { encodeIntent } from '../../bindings/core/encode.js';
import { Engine, EngineError } from '../../bindings/core/engine.js';
import { createEngineSync } from '../../bindings/load/node.js';
import { Gate } from '../../bindings/gate.js';
import { createGate } from '../../bindings/api.js';
import { GaitError } from '../../bindings/errors.js';
import { ToolAdapter, GateEvaluationError } from '../../bindings/adapter.js';
import { policy, rule, intent, target } from './builders.js';

const PAGE = 65536;
const wasm = readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url)));

/**
 * The core with its declared memory maximum rewritten to `pages` (test seam: production code is
 * untouched). The module declares one memory with a maximum as a 3-byte LEB128 (16384 pages);
 * it is rewritten in place, padded to the same 3 bytes, so no section size changes.
 */
function engineWithMaxPages(pages: number): Engine {
  const bytes = new Uint8Array(wasm);
  let p = 8;
  const leb = (): number => {
    let r = 0;
    let s = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      r |= (b & 0x7f) << s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    const body = p;
    if (id === 5) {
      expect(leb()).toBe(1); // one memory
      expect(bytes[p++]).toBe(1); // flags: has a maximum
      leb(); // initial
      const maxAt = p;
      expect(leb()).toBe(16384);
      expect(p - maxAt).toBe(3);
      bytes[maxAt] = 0x80 | (pages & 0x7f);
      bytes[maxAt + 1] = 0x80 | ((pages >> 7) & 0x7f);
      bytes[maxAt + 2] = pages >> 14;
      return Engine.fromModule(new WebAssembly.Module(bytes));
    }
    p = body + size;
  }
  throw new Error('core.wasm has no memory section');
}

const P = policy({
  default_verdict: 'block',
  fail_closed: { enabled: true, risk_classes: ['high'], required_fields: [] },
  rules: [rule('allow-write', { effect: 'allow', match: { tool_names: ['tool.write'] } })],
});
const compiled = compilePolicy(P);
const WRITE = encodeIntent(intent({ tool_name: 'tool.write' }), compiled).slice();
const OTHER = encodeIntent(intent({ tool_name: 'tool.other' }), compiled).slice();

/** An intent whose encoding needs a larger work area than the engine starts with. */
function largeIntent(): Uint8Array {
  const targets = [];
  for (let i = 0; i < 600; i++) targets.push(target({ kind: 'path', value: `/data/some/long/directory/name/file-${i}.txt` }));
  const bytes = encodeIntent(intent({ tool_name: 'tool.write', targets }), compiled).slice();
  expect(bytes.byteLength).toBeGreaterThan(40 * 1024);
  return bytes;
}

/** A stand-in compiled policy of `n` bytes: only its size matters to load(). */
function sized(n: number): CompiledPolicy {
  return { ...compiled, bytes: new Uint8Array(n) };
}

describe('engine memory: unload', () => {
  it('an unloaded policy throws instead of evaluating; unloading twice is harmless', () => {
    const engine = createEngineSync();
    const loaded = engine.load(compiled);
    expect(engine.evaluate(loaded, WRITE, []).verdict).toBe('allow');
    engine.unload(loaded);
    expect(() => engine.evaluate(loaded, WRITE, [])).toThrow(EngineError);
    expect(() => engine.evaluate(loaded, WRITE, [])).toThrow(/unloaded/);
    engine.unload(loaded);
    // Its memory is reused by the next load; the old handle still refuses to evaluate.
    const other = engine.load(compilePolicy(policy({ default_verdict: 'allow' })));
    expect(other.address).toBe(loaded.address);
    expect(() => engine.evaluate(loaded, OTHER, [])).toThrow(EngineError);
    expect(engine.evaluate(other, OTHER, []).verdict).toBe('allow');
  });

  it('a ToolAdapter over a disposed gate never runs the tool', async () => {
    const gate = createGate(createEngineSync(), P);
    const adapter = new ToolAdapter(gate);
    const intentObject = { schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z', producer_version: 't', tool_name: 'tool.write', args: {}, targets: [], context: { identity: 'u', workspace: '/w', risk_class: 'low' } };
    let runs = 0;
    const executor = () => ++runs;
    expect((await adapter.execute({ intent: intentObject, executor })).executed).toBe(true);
    gate.dispose();
    await expect(adapter.execute({ intent: intentObject, executor })).rejects.toThrow(GateEvaluationError);
    expect(runs).toBe(1);
  });

  it('refuses a policy loaded into another engine', () => {
    const a = createEngineSync();
    const b = createEngineSync();
    const loaded = a.load(compiled);
    expect(() => b.evaluate(loaded, WRITE, [])).toThrow(EngineError);
    expect(() => b.unload(loaded)).toThrow(EngineError);
    expect(a.evaluate(loaded, WRITE, []).verdict).toBe('allow');
  });

  it('a disposed gate throws a GaitError from every entry point, never a verdict', () => {
    const engine = createEngineSync();
    const gate = createGate(engine, P);
    const object = { schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z', producer_version: 't', tool_name: 'tool.write', args: {}, targets: [], context: { identity: 'u', workspace: '/w', risk_class: 'low' } };
    expect(gate.verdict(object).verdict).toBe('allow');
    const invalid = { ...object, tool_name: '', context: { ...object.context, risk_class: 'high' } };
    expect(gate.evaluateRaw(invalid).result.verdict).toBe('block'); // the fail-closed path
    expect(gate.disposed).toBe(false);
    gate.dispose();
    expect(gate.disposed).toBe(true);
    for (const call of [
      () => gate.verdict(object),
      () => gate.verdict(JSON.stringify(object)),
      () => gate.evaluate(object),
      () => gate.check(object),
      () => gate.decide(object),
      () => gate.evaluate({ tool_name: 42 }), // invalid input
      () => gate.evaluateRaw(invalid), // fail-closed path
    ]) {
      expect(call).toThrow(GaitError);
      expect(call).toThrow(/disposed/);
    }
    gate.dispose(); // harmless
    const sym = (Symbol as { dispose?: symbol }).dispose;
    if (sym) {
      (gate as unknown as Record<symbol, () => void>)[sym]!(); // harmless too
      const scoped = createGate(engine, P); // what `using scoped = createGate(...)` does at block end
      (scoped as unknown as Record<symbol, () => void>)[sym]!();
      expect(scoped.disposed).toBe(true);
      expect(() => scoped.verdict(object)).toThrow(/disposed/);
    }
    // Other gates on the same engine are untouched.
    const again = new Gate(engine, P);
    expect(again.verdict(object).verdict).toBe('allow');
  });
});

describe('engine memory: reuse', () => {
  it('stays flat over 100,000 load/unload cycles of one compiled policy', () => {
    const engine = createEngineSync();
    const keep = engine.load(compiled);
    engine.evaluate(keep, WRITE, []);
    for (let i = 0; i < 3; i++) engine.unload(engine.load(compiled));
    const before = engine.memoryBytes;
    for (let i = 0; i < 100_000; i++) engine.unload(engine.load(compiled));
    expect(engine.memoryBytes).toBe(before);
    expect(engine.evaluate(keep, WRITE, []).verdict).toBe('allow');
  });

  it('stays flat over gate create/dispose cycles', () => {
    const engine = createEngineSync();
    for (let i = 0; i < 3; i++) new Gate(engine, P).dispose();
    const before = engine.memoryBytes;
    for (let i = 0; i < 2_000; i++) new Gate(engine, P).dispose();
    expect(engine.memoryBytes).toBe(before);
  });

  it('coalesces freed neighbours so a larger policy fits where smaller ones were', () => {
    const engine = createEngineSync();
    engine.evaluate(engine.load(compiled), WRITE, []); // the work area, below what follows
    const small = [engine.load(sized(1000)), engine.load(sized(1000)), engine.load(sized(1000))];
    const fence = engine.load(sized(16)); // keeps the freed run from merging into the top
    const before = engine.memoryBytes;
    for (const s of small) engine.unload(s);
    const big = engine.load(sized(2900));
    expect(big.address).toBe(small[0]!.address);
    expect(engine.memoryBytes).toBe(before);
    engine.unload(fence);
  });
});

describe('engine memory: at the cap (a core with a 1 MiB maximum)', () => {
  it('a load that cannot grow memory changes nothing: smaller loads still fit', () => {
    const engine = engineWithMaxPages(16);
    const gate = engine.load(compiled);
    expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
    const before = engine.memoryBytes;
    expect(() => engine.load(sized(2 * 1024 * 1024))).toThrow(EngineError);
    expect(engine.memoryBytes).toBe(before);
    const more = engine.load(compiled); // with a bump pointer, `top` had moved past the cap
    expect(engine.evaluate(more, OTHER, []).verdict).toBe('block');
    expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
  });

  it('loaded gates keep working once memory is full, and unloading makes room again', () => {
    const engine = engineWithMaxPages(16);
    const gate = engine.load(compiled);
    expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
    const fillers = [];
    for (;;) {
      try {
        fillers.push(engine.load(compiled));
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError);
        expect((err as Error).message).toMatch(/memory limit/);
        break;
      }
      if (fillers.length > 100_000) throw new Error('never reached the cap');
    }
    expect(engine.memoryBytes).toBe(16 * PAGE);
    expect(() => engine.load(compiled)).toThrow(EngineError);
    // The loaded gate still evaluates, over and over.
    for (let i = 0; i < 100; i++) {
      expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
      expect(engine.evaluate(gate, OTHER, []).verdict).toBe('block');
    }
    // An intent needing a larger work area fails closed (throws), and leaves the gate working.
    const large = largeIntent();
    expect(() => engine.evaluate(gate, large, [])).toThrow(EngineError);
    expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
    // Unloading one policy makes room for another.
    engine.unload(fillers.pop()!);
    const again = engine.load(compiled);
    expect(engine.evaluate(again, OTHER, []).verdict).toBe('block');
    // Unloading them all makes room for the larger work area too.
    engine.unload(again);
    for (const f of fillers) engine.unload(f);
    expect(engine.evaluate(gate, large, []).verdict).toBe('allow');
    expect(engine.evaluate(gate, WRITE, []).verdict).toBe('allow');
  });
});
