// An argument whose getter, Proxy trap or toJSON throws: the caller gets a GaitError, never the
// raw exception and never a verdict (issue 9: only GaitError escapes the library).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { instantiateSync, createGate, normalizeIntent, GaitError } from '../../bindings/index.js';

const engine = instantiateSync(readFileSync(new URL('../../dist/core.wasm', import.meta.url)));
const gate = createGate(engine, 'default_verdict: allow\n');
const base = () => ({ tool_name: 'tool.read', context: { identity: 'alice', workspace: '/w', risk_class: 'low' } });

const throwing: Array<[string, () => unknown]> = [
  ['a getter', () => ({ ...base(), get targets() { throw new Error('hostile getter'); } })],
  ['a nested getter', () => ({ ...base(), context: { identity: 'a', get workspace() { throw new RangeError('nested'); } } })],
  ['toJSON', () => ({ ...base(), toJSON() { throw new Error('hostile toJSON'); } })],
  ['a Proxy get trap', () => new Proxy(base(), { get() { throw new Error('trap'); } })],
  ['a Proxy ownKeys trap', () => new Proxy(base(), { ownKeys() { throw new Error('keys'); } })],
  ['a thrown non-Error', () => ({ ...base(), get args() { throw 'a string'; } })],
];

function expectGaitError(f: () => unknown): void {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GaitError);
}

describe.each(throwing)('an intent whose %s throws', (_name, make) => {
  it('gate.verdict, evaluate, check and decide throw a GaitError', () => {
    expectGaitError(() => gate.verdict(make()));
    expectGaitError(() => gate.evaluate(make()));
    expectGaitError(() => gate.check(make()));
    expectGaitError(() => gate.decide(make()));
  });

  it('normalizeIntent throws a GaitError', () => {
    expectGaitError(() => normalizeIntent(make() as Record<string, unknown>));
  });
});

describe('a policy object whose getter throws', () => {
  it('createGate throws a GaitError', () => {
    expectGaitError(() => createGate(engine, { get default_verdict(): string { throw new Error('hostile'); } }));
    expectGaitError(() => createGate(engine, new Proxy({ default_verdict: 'allow' }, { get() { throw new Error('trap'); } })));
  });
});
