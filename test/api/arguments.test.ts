// Every public entry point checks the type of its arguments and rejects the wrong ones with a
// GaitError (invalid_input) saying what it expected and what it got: never a raw TypeError, never
// a silently empty policy (createGate(NaN) used to give an empty require_approval gate).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  instantiateSync, createGate, parsePolicyYaml, formatPolicy, policyDigest, normalizeIntent, intentDigest,
  parseWrkrInventory, policyWarnings, GaitError,
} from '../../bindings/index.js';
import * as node from '../../bindings/load/node.js';
import { fixturePolicyFiles, fixtureText } from '../policy/helpers.js';

const wasm = readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url)));
const engine = instantiateSync(wasm);

class Thing {
  default_verdict = 'block';
}
const cyclic: Record<string, unknown> = { default_verdict: 'block' };
cyclic['rules'] = [cyclic];

/** Values that are never a policy, an intent or a document, with how the error names them. */
const WRONG: Array<[string, unknown, string]> = [
  ['undefined', undefined, 'undefined'],
  ['null', null, 'null'],
  ['NaN', NaN, 'NaN'],
  ['a number', 42, 'a number (42)'],
  ['a boolean', true, 'a boolean (true)'],
  ['a bigint', 10n, 'a bigint'],
  ['a symbol', Symbol('s'), 'a symbol'],
  ['a function', () => 1, 'a function'],
  ['a RegExp', /x/, 'a RegExp'],
  ['a Date', new Date(0), 'a Date'],
  ['a Map', new Map(), 'a Map'],
  ['a Set', new Set(), 'a Set'],
  ['a Promise', Promise.resolve('default_verdict: allow\n'), 'a Promise'],
  ['an ArrayBuffer', new ArrayBuffer(4), 'an ArrayBuffer'],
  ['a Uint16Array', new Uint16Array(2), 'a Uint16Array'],
  ['a DataView', new DataView(new ArrayBuffer(2)), 'a DataView'],
  ['a class instance', new Thing(), 'an instance of Thing'],
  ['an Error', new Error('x'), 'an instance of Error'],
];
const ARRAY: [string, unknown, string] = ['an array', ['default_verdict: allow'], 'an array'];

function gaitError(fn: () => unknown): GaitError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a throw').toBeDefined();
  expect(caught).toBeInstanceOf(GaitError);
  expect((caught as GaitError).category).toBe('invalid_input');
  return caught as GaitError;
}

const POLICY_EXPECTED = 'a policy (YAML text, its UTF-8 bytes as a Uint8Array, a plain object with policy keys, or a Policy from parsePolicyYaml)';

describe('createGate(policy)', () => {
  const entries: Array<[string, (x: unknown) => unknown]> = [
    ['createGate(engine, policy)', (x) => createGate(engine, x as string)],
    ['runtime createGate(policy)', (x) => node.createGate(x as string)],
    ['runtime createGate(engine, policy)', (x) => node.createGate(engine, x as string)],
  ];
  describe.each(entries)('%s', (_, call) => {
    it.each([...WRONG, ARRAY])('rejects %s', (_name, value, described) => {
      expect(gaitError(() => call(value)).message).toBe(`createGate: expected ${POLICY_EXPECTED}, got ${described}`);
    });

    it('accepts text, bytes (Buffer and Uint8Array), plain objects and Policy objects, all alike', () => {
      const text = 'default_verdict: block\nrules:\n  - name: r\n    effect: allow\n    match: { tool_names: [tool.read] }\n';
      const digest = (createGate(engine, text)).policyDigest;
      const inputs: unknown[] = [
        text,
        Buffer.from(text),
        new TextEncoder().encode(text),
        { default_verdict: 'block', rules: [{ name: 'r', effect: 'allow', match: { tool_names: ['tool.read'] } }] },
        Object.assign(Object.create(null), { default_verdict: 'block', rules: [{ name: 'r', effect: 'allow', match: { tool_names: ['tool.read'] } }] }),
        parsePolicyYaml(text),
      ];
      for (const input of inputs) expect((call(input) as { policyDigest: string }).policyDigest).toBe(digest);
    });
  });

  it('a Policy from parsePolicyYaml keeps its digest through createGate, for every fixture policy', () => {
    for (const file of fixturePolicyFiles()) {
      let policy;
      try {
        policy = parsePolicyYaml(fixtureText(file));
      } catch {
        continue; // fixtures that are meant to fail
      }
      expect(createGate(engine, policy).policyDigest, file).toBe(policyDigest(policy));
    }
  });

  it('a large Policy from parsePolicyYaml loads although its normalized JSON form is over 4 MiB', () => {
    const rules = Array.from({ length: 4000 }, (_, i) => `  - name: r${i}\n    effect: block\n    match: { tool_names: [tool.t${i}] }\n`);
    const policy = parsePolicyYaml(`default_verdict: allow\nrules:\n${rules.join('')}`);
    expect(JSON.stringify(policy).length).toBeGreaterThan(4 * 1024 * 1024);
    expect(createGate(engine, policy).policyDigest).toBe(policyDigest(policy));
    // Policy-shaped, broken inside: a GaitError, not a TypeError.
    const broken = { ...parsePolicyYaml('rules:\n  - name: r\n    effect: block\n'), rules: [{ name: 'r' }] };
    expect(gaitError(() => createGate(engine, broken)).message).toMatch(/^createGate: expected a Policy \(from parsePolicyYaml\): /);
  });

  it('rejects values inside a policy object that JSON would silently change', () => {
    const cases: Array<[unknown, string]> = [
      [{ default_verdict: NaN }, 'default_verdict: NaN'],
      [{ scripts: { max_steps: Infinity } }, 'scripts.max_steps: a number (Infinity)'],
      [{ rules: [{ name: 'r', effect: 'block', match: { tool_names: [/tool/] } }] }, 'rules[0].match.tool_names[0]: a RegExp'],
      [{ rules: [{ name: 'r', effect: 'block', priority: 1n }] }, 'rules[0].priority: a bigint'],
      [{ rules: [{ name: () => 'r' }] }, 'rules[0].name: a function'],
      [{ rules: [undefined] }, 'rules[0]: undefined'],
      [{ default_verdict: new Date(0) }, 'default_verdict: a Date'],
      [cyclic, 'rules[0]: a cycle'],
      [{ rules: [new Thing()] }, 'rules[0]: an instance of Thing'],
    ];
    for (const [value, where] of cases) {
      expect(gaitError(() => createGate(engine, value as Record<string, unknown>)).message)
        .toBe(`createGate: the policy object holds a value JSON cannot carry at ${where}`);
    }
    // An undefined property is an absent key, as in JSON.
    expect(createGate(engine, { default_verdict: 'block', rules: undefined }).policy.default_verdict).toBe('block');
  });

  it('rejects an empty object (a stray options object would otherwise be an empty require_approval policy)', () => {
    for (const empty of [{}, { rules: undefined }, Object.create(null)]) {
      expect(gaitError(() => createGate(engine, empty)).message)
        .toBe("createGate: the policy object has no policy keys (for the empty policy pass { default_verdict: 'require_approval' })");
    }
    expect(createGate(engine, { default_verdict: 'require_approval' }).policy.rules).toEqual([]);
  });

  it('policy bytes must be UTF-8', () => {
    expect(gaitError(() => createGate(engine, new Uint8Array([0x64, 0xff]) as unknown as string)).message).toMatch(/not valid UTF-8/);
  });

  it('rejects an engine that is not an Engine', () => {
    expect(gaitError(() => createGate({} as never, 'default_verdict: allow\n')).message)
      .toBe('createGate: expected an Engine (from instantiate, instantiateSync or init), got a plain object');
    expect(gaitError(() => node.createGate('default_verdict: allow\n' as never, 'default_verdict: block\n')).message)
      .toBe('createGate: expected an Engine (from instantiate, instantiateSync or init), got a string');
  });
});

describe('parsePolicyYaml(text)', () => {
  it.each([...WRONG, ARRAY, ['a plain object', { default_verdict: 'allow' }, 'a plain object']])('rejects %s', (_name, value, described) => {
    expect(gaitError(() => parsePolicyYaml(value as string)).message)
      .toBe(`parsePolicyYaml: expected policy YAML text (a string, or its UTF-8 bytes as a Uint8Array), got ${described}`);
  });
  it('accepts bytes', () => {
    expect(parsePolicyYaml(Buffer.from('default_verdict: block\n')).default_verdict).toBe('block');
  });
});

describe.each([
  ['formatPolicy', (x: unknown) => formatPolicy(x as never)],
  ['policyDigest', (x: unknown) => policyDigest(x as never)],
  ['policyWarnings', (x: unknown) => policyWarnings(x as never)],
] as const)('%s(policy)', (name, call) => {
  it.each([...WRONG, ARRAY, ['a string', 'default_verdict: allow\n', 'a string'], ['a plain object', { default_verdict: 'allow' }, 'a plain object']])(
    'rejects %s', (_name, value, described) => {
      expect(gaitError(() => call(value)).message).toBe(`${name}: expected a Policy (from parsePolicyYaml), got ${described}`);
    });
  it('rejects a Policy-shaped object with broken insides', () => {
    const broken = { ...parsePolicyYaml('rules:\n  - name: r\n    effect: block\n'), rules: [{ name: 'r' }] };
    expect(gaitError(() => call(broken)).message).toMatch(new RegExp(`^${name}: expected a Policy \\(from parsePolicyYaml\\): `));
  });
});

const INTENT = { tool_name: 'tool.write', args: { path: '/tmp/x' }, targets: [{ kind: 'path', value: '/tmp/x', operation: 'write' }], context: { identity: 'alice', workspace: '/w', risk_class: 'low' } };

describe('normalizeIntent(intent) and intentDigest(normalized)', () => {
  it.each([...WRONG, ARRAY])('normalizeIntent rejects %s', (_name, value, described) => {
    expect(gaitError(() => normalizeIntent(value as never)).message)
      .toBe(`normalizeIntent: expected an intent (JSON text, its UTF-8 bytes as a Uint8Array, or a plain object), got ${described}`);
  });

  it('normalizeIntent takes JSON text, bytes or a plain object, all alike', () => {
    const text = JSON.stringify(INTENT);
    const digest = normalizeIntent(text).intent_digest;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizeIntent(INTENT).intent_digest).toBe(digest);
    expect(normalizeIntent(Buffer.from(text)).intent_digest).toBe(digest);
    expect(intentDigest(normalizeIntent(INTENT))).toBe(digest);
    expect(gaitError(() => normalizeIntent({ args: {} })).message).toBe('tool_name is required');
  });

  it.each([...WRONG, ARRAY, ['a string', '{}', 'a string'], ['a plain intent', INTENT, 'a plain object']])('intentDigest rejects %s', (_name, value, described) => {
    expect(gaitError(() => intentDigest(value as never)).message)
      .toBe(`intentDigest: expected a normalized intent (from normalizeIntent), got ${described}`);
  });
});

describe('parseWrkrInventory(text)', () => {
  it.each([...WRONG, ARRAY, ['a plain object', { items: [] }, 'a plain object']])('rejects %s', (_name, value, described) => {
    expect(gaitError(() => parseWrkrInventory(value as string)).message)
      .toBe(`parseWrkrInventory: expected Wrkr inventory JSON text (a string, or its UTF-8 bytes as a Uint8Array), got ${described}`);
  });
  it('accepts text and bytes', () => {
    expect(parseWrkrInventory('{"items":[]}').size).toBe(0);
    expect(parseWrkrInventory(Buffer.from('{"items":[]}')).size).toBe(0);
  });
});

describe('Gate methods taking an intent', () => {
  const gate = createGate(engine, 'default_verdict: allow\n');
  const methods: Array<[string, (x: unknown) => unknown]> = [
    ['evaluate', (x) => gate.evaluate(x)],
    ['verdict', (x) => gate.verdict(x)],
    ['check', (x) => gate.check(x)],
    ['decide', (x) => gate.decide(x)],
  ];
  // One message for every method: gate.verdict must say what gate.evaluate says (core/verdict-agreement.ts).
  describe.each(methods)('Gate.%s', (_method, call) => {
    it.each([...WRONG, ARRAY])('rejects %s', (_name, value, described) => {
      expect(gaitError(() => call(value)).message)
        .toBe(`Gate: expected an intent (JSON text, its UTF-8 bytes as a Uint8Array, or a plain object), got ${described}`);
    });
    it('accepts text, bytes and plain objects alike', () => {
      const text = JSON.stringify(INTENT);
      const want = gate.verdict(INTENT).verdict;
      for (const input of [text, Buffer.from(text), INTENT, Object.assign(Object.create(null), INTENT)]) {
        const out = call(input) as { verdict?: string; result?: { verdict: string } };
        expect(out.verdict ?? out.result!.verdict).toBe(want);
      }
    });
  });
});

describe('plain objects from another realm (an iframe, a vm context, an edge runtime sandbox)', () => {
  it('are plain data: the same decision as this realm\'s objects; class instances there are still refused', async () => {
    const { runInNewContext } = await import('node:vm');
    const gate = createGate(engine, 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\nrules:\n  - name: no-delete\n    effect: block\n    match:\n      tool_names: [tool.delete]\n');
    const source = '({ tool_name: "tool.delete", args: { path: "/x" }, targets: [{ kind: "path", value: "/x", operation: "delete" }], context: { identity: "a", workspace: "/w", risk_class: "high" } })';
    const foreign = runInNewContext(source) as Record<string, unknown>;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    const local = JSON.parse(JSON.stringify(foreign));
    expect(gate.check(foreign)).toEqual(gate.check(local));
    expect(gate.verdict(foreign)).toEqual(gate.verdict(local));
    expect(createGate(engine, runInNewContext('({ schema_id: "gait.gate.policy", schema_version: "1.0.0", default_verdict: "block" })')).check(local).verdict).toBe('block');
    const instance = runInNewContext('new (class Thing { constructor() { this.tool_name = "tool.delete"; } })()');
    expect(() => gate.check(instance)).toThrow(/an instance of Thing/);
  });
});
