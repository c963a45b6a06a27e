import { describe, expect, test } from 'vitest';
import { decodeIntentBytes, decodeIntentJson, decodeIntentValue, emptyRawIntent } from '../../bindings/intent/decode.js';
import { normalizeIntent } from '../../bindings/intent/normalize.js';
import { expectInvalid, fixtureText, norm } from './helpers.js';

const valid = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ tool_name: 'tool.read', context: { identity: 'u', workspace: '/w', risk_class: 'low' }, ...extra });

describe('JSON syntax errors carry Go scanner messages', () => {
  test.each([
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['{', 'unexpected end of JSON input'],
    ['{"tool_name":"x"', 'unexpected end of JSON input'],
    ['{]', "invalid character ']' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a":[1,]}', "invalid character ']' looking for beginning of value"],
    ['{"a":[1 2]}', "invalid character '2' after array element"],
    ['{} x', "invalid character 'x' after top-level value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
    ['{"a":fals}', "invalid character '}' in literal false (expecting 'e')"],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":+1}', "invalid character '+' looking for beginning of value"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\\u12G4"}', "invalid character 'G' in \\u hexadecimal character escape"],
    ['{"a":"line\nbreak"}', "invalid character '\\n' in string literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['\ufeff{}', "invalid character 'ï' looking for beginning of value"],
    ['{"a":NaN}', "invalid character 'N' looking for beginning of value"],
  ])('%j', (text, message) => {
    expectInvalid(() => decodeIntentJson(text), `parse intent json: ${message}`);
  });
});

describe('Go struct decoding', () => {
  test('non-object top level values', () => {
    expectInvalid(() => decodeIntentJson('[]'), 'parse intent json: json: cannot unmarshal array into Go value of type gate.IntentRequest');
    expectInvalid(() => decodeIntentJson('"x"'), 'parse intent json: json: cannot unmarshal string into Go value of type gate.IntentRequest');
    expectInvalid(() => decodeIntentJson('42'), 'parse intent json: json: cannot unmarshal number into Go value of type gate.IntentRequest');
    expectInvalid(() => decodeIntentJson('true'), 'parse intent json: json: cannot unmarshal bool into Go value of type gate.IntentRequest');
    // null is a zero intent, which then fails normalization.
    expect(decodeIntentJson('null')).toEqual(emptyRawIntent());
    expectInvalid(() => normalizeIntent(decodeIntentJson('null')), 'tool_name is required');
    expectInvalid(() => normalizeIntent(decodeIntentJson('{}')), 'tool_name is required');
  });

  test.each([
    [{ args: [] }, 'array into Go struct field IntentRequest.args of type map[string]interface {}'],
    [{ args: 'x' }, 'string into Go struct field IntentRequest.args of type map[string]interface {}'],
    [{ targets: {} }, 'object into Go struct field IntentRequest.targets of type []gate.IntentTarget'],
    [{ targets: [1] }, 'number into Go struct field IntentRequest.targets of type gate.IntentTarget'],
    [{ tool_name: 7 }, 'number into Go struct field IntentRequest.tool_name of type string'],
    [{ tool_name: false }, 'bool into Go struct field IntentRequest.tool_name of type string'],
    [{ targets: [{ kind: 'path', value: '/x', destructive: 'yes' }] }, 'string into Go struct field IntentTarget.targets.destructive of type bool'],
    [{ targets: [{ kind: 'path', value: '/x', read_only_hint: 1 }] }, 'number into Go struct field IntentTarget.targets.read_only_hint of type bool'],
    [{ context: 'x' }, 'string into Go struct field IntentRequest.context of type gate.IntentContext'],
    [{ context: { identity: 'u', credential_scopes: [1] } }, 'number into Go struct field IntentContext.context.credential_scopes of type string'],
    [{ context: { identity: 'u', auth_context: [] } }, 'array into Go struct field IntentContext.context.auth_context of type map[string]interface {}'],
    [{ delegation: [] }, 'array into Go struct field IntentRequest.delegation of type gate.IntentDelegation'],
    [{ delegation: { chain: [{ delegate_identity: {} }] } }, 'object into Go struct field DelegationLink.delegation.chain.delegate_identity of type string'],
    [{ skill_provenance: 'acme' }, 'string into Go struct field IntentRequest.skill_provenance of type gate.SkillProvenance'],
    [{ script: { steps: [{ targets: [{ kind: 5 }] }] } }, 'number into Go struct field IntentTarget.script.steps.targets.kind of type string'],
    [{ script: { steps: {} } }, 'object into Go struct field IntentScript.script.steps of type []gate.IntentScriptStep'],
    [{ relationship: { edges: [{ from: 'a' }] } }, 'string into Go struct field RelationshipEdge.relationship.edges.from of type common.RelationshipNodeRef'],
  ])('type mismatch %j', (extra, message) => {
    expectInvalid(() => decodeIntentJson(valid(extra)), `parse intent json: json: cannot unmarshal ${message}`);
  });

  test('a float64 overflow in args is Go\'s number error', () => {
    expectInvalid(
      () => decodeIntentJson('{"args":{"n":[1e400]}}'),
      'parse intent json: json: cannot unmarshal number 1e400 into Go struct field IntentRequest.args of type float64',
    );
    expect(decodeIntentJson('{"args":{"n":1e-400}}').args!.get('n')).toBe(0);
  });

  test('the first mismatch is reported, but a time error wins (Go aborts on it)', () => {
    expectInvalid(() => decodeIntentJson('{"tool_name":1,"targets":{}}'), 'parse intent json: json: cannot unmarshal number into Go struct field IntentRequest.tool_name of type string');
    expectInvalid(
      () => decodeIntentJson('{"tool_name":1,"created_at":""}'),
      'parse intent json: parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"',
    );
  });

  test('times: RFC 3339 strings only; null and absence are the zero time', () => {
    expect(decodeIntentJson(valid({ created_at: null })).created_at).toBeNull();
    expect(decodeIntentJson(valid()).created_at).toBeNull();
    expect(decodeIntentJson(valid({ created_at: '2026-02-05T00:00:00+01:00' })).created_at).toBe('2026-02-05T00:00:00+01:00');
    expectInvalid(() => decodeIntentJson(valid({ created_at: 5 })), 'parse intent json: Time.UnmarshalJSON: input is not a JSON string');
    expectInvalid(() => decodeIntentJson(valid({ created_at: {} })), 'parse intent json: Time.UnmarshalJSON: input is not a JSON string');
    expectInvalid(
      () => decodeIntentJson(valid({ delegation: { requester_identity: 'a', expires_at: '2026-02-05' } })),
      'parse intent json: parsing time "2026-02-05" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    );
    expectInvalid(
      () => decodeIntentJson(valid({ delegation: { requester_identity: 'a', chain: [{ issued_at: 'soon' }] } })),
      'parse intent json: parsing time "soon" as "2006-01-02T15:04:05Z07:00": cannot parse "soon" as "2006"',
    );
    // Go hands the raw, still-escaped text to the time parser.
    expectInvalid(
      () => decodeIntentJson('{"created_at":"2026-02-05T00:00:00\\u005a"}'),
      'parse intent json: parsing time "2026-02-05T00:00:00\\\\u005a" as "2006-01-02T15:04:05Z07:00": cannot parse "\\\\u005a" as "Z07:00"',
    );
  });

  test('field names match case-insensitively; the later member wins', () => {
    const raw = decodeIntentJson('{"Tool_Name":"a","CONTEXT":{"Identity":"u","WORKSPACE":"/w","risk_CLASS":"low"}}');
    expect(raw.tool_name).toBe('a');
    expect(raw.context.identity).toBe('u');
    expect(raw.context.risk_class).toBe('low');
    expect(decodeIntentJson('{"tool_name":"a","TOOL_NAME":"b"}').tool_name).toBe('b');
    expect(decodeIntentJson('{"TOOL_NAME":"b","tool_name":"a"}').tool_name).toBe('a');
    expect(decodeIntentJson('{"tool_name":"a","tool_name":"c","TOOL_NAME":"b"}').tool_name).toBe('b');
    // Go's folding maps the Kelvin sign onto k and the long s onto s.
    expect(decodeIntentJson('{"targets":[{"\u212aind":"path"}]}').targets[0]!.kind).toBe('path');
    expect(decodeIntentJson('{"\u017fkill_provenance":{"skill_name":"x"}}').skill_provenance!.skill_name).toBe('x');
    expect(decodeIntentJson('{"tööl_name":"x"}').tool_name).toBe('');
  });

  test('null keeps strings and value structs, empties lists, maps and pointers', () => {
    expect(decodeIntentJson('{"tool_name":"a","tool_name":null}').tool_name).toBe('a');
    expect(decodeIntentJson('{"targets":[{"kind":"path"}],"targets":null}').targets).toEqual([]);
    expect(decodeIntentJson('{"args":{"a":1},"args":null}').args).toBeNull();
    expect(decodeIntentJson('{"delegation":{"requester_identity":"r"},"delegation":null}').delegation).toBeNull();
    expect(decodeIntentJson('{"context":{"identity":"u"},"context":null}').context.identity).toBe('u');
  });

  test('repeated objects merge, as Go decodes into the existing value', () => {
    const raw = decodeIntentJson('{"context":{"identity":"u"},"context":{"workspace":"/w"},"args":{"a":1},"args":{"b":2}}');
    expect(raw.context.identity).toBe('u');
    expect(raw.context.workspace).toBe('/w');
    expect([...raw.args!.keys()]).toEqual(['a', 'b']);
    const t = decodeIntentJson('{"targets":[{"kind":"path","value":"/a"}],"targets":[{"operation":"read"}]}').targets;
    expect(t).toHaveLength(1);
    expect([t[0]!.kind, t[0]!.value, t[0]!.operation]).toEqual(['path', '/a', 'read']);
  });

  test('unknown fields are dropped at every level; args keep every member', () => {
    const n = norm(valid({
      extra: 1,
      args_digest: 'f'.repeat(64),
      intent_digest: 'nope',
      targets: [{ kind: 'path', value: '/x', operation: 'read', bogus: true }],
      context: { identity: 'u', workspace: '/w', risk_class: 'low', agent_id: 'a1', sandbox: {} },
      args: { anything: { goes: [1, 'two', null] } },
    }));
    expect(n.args).toEqual({ anything: { goes: [1, 'two', null] } });
    expect(n.args_digest).not.toBe('f'.repeat(64));
    expect(Object.keys(n.targets[0]!)).not.toContain('bogus');
    expect(n.intent_digest).toBe(norm(valid({
      targets: [{ kind: 'path', value: '/x', operation: 'read' }],
      context: { identity: 'u', workspace: '/w', risk_class: 'low' },
      args: { anything: { goes: [1, 'two', null] } },
    })).intent_digest);
  });

  test('duplicate args members: the last one wins, at the place of its last occurrence', () => {
    expect(decodeIntentJson('{"args":{"a":1,"a":2}}').args!.get('a')).toBe(2);
    expect([...decodeIntentJson('{"args":{"a":1," a":2,"a":3}}').args!.keys()]).toEqual([' a', 'a']);
    const ctx = ',"tool_name":"t","context":{"identity":"i","workspace":"w","risk_class":"r"}';
    // After trimming, `a` (3) comes last in the input and wins over ` a` (2).
    expect(normalizeIntent(decodeIntentJson(`{"args":{"a":1," a":2,"a":3}${ctx}}`)).args).toEqual({ a: 3 });
    expect(normalizeIntent(decodeIntentJson(`{"args":{"n":{"b":1," b":2,"b":3}}${ctx}}`)).args).toEqual({ n: { b: 3 } });
  });

  test('lone surrogates become U+FFFD', () => {
    const raw = decodeIntentJson('{"tool_name":"t\\ud800","args":{"k\\udc00":"\\ud83d\\ude00 \\ud83d"}}');
    expect(raw.tool_name).toBe('t\ufffd');
    expect([...raw.args!.entries()]).toEqual([['k\ufffd', '\u{1f600} \ufffd']]);
  });
});

describe('limits and bad input', () => {
  test('size: 1 MiB of UTF-8 is the maximum', () => {
    const doc = valid();
    const atLimit = doc + ' '.repeat(1048576 - doc.length);
    expect(decodeIntentJson(atLimit).tool_name).toBe('tool.read');
    expectInvalid(() => decodeIntentJson(atLimit + ' '), 'intent exceeds maximum size of 1048576 bytes');
    // Counted in UTF-8 bytes, not UTF-16 units.
    const wide = valid({ args: { s: 'é'.repeat(600000) } });
    expect(wide.length).toBeLessThan(1048576);
    expectInvalid(() => decodeIntentJson(wide), 'intent exceeds maximum size of 1048576 bytes');
    expectInvalid(() => decodeIntentBytes(new TextEncoder().encode(atLimit + ' ')), 'intent exceeds maximum size of 1048576 bytes');
  });

  test('depth: 64 levels allowed, 65 rejected, deep input never crashes', () => {
    const nest = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    // The document itself is level 1 and args level 2.
    expect(decodeIntentJson(`{"args":${nest(63)}}`).args).toBeInstanceOf(Map);
    expectInvalid(() => decodeIntentJson(`{"args":${nest(64)}}`), 'intent exceeds maximum nesting depth of 64');
    expectInvalid(() => decodeIntentJson('['.repeat(200000)), 'intent exceeds maximum nesting depth of 64');
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 100; i++) cur = (cur.a = {}) as Record<string, unknown>;
    expectInvalid(() => decodeIntentValue({ args: deep }), 'intent exceeds maximum nesting depth of 64');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectInvalid(() => decodeIntentValue({ args: cyclic }), 'intent exceeds maximum nesting depth of 64');
  });

  test('bytes: invalid UTF-8 is refused with its offset', () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    expectInvalid(() => decodeIntentBytes(bytes(0x7b, 0xff, 0x7d)), 'intent is not valid UTF-8 (invalid byte at offset 1)');
    expectInvalid(() => decodeIntentBytes(bytes(0x7b, 0x22, 0xc0, 0xaf, 0x22)), 'intent is not valid UTF-8 (invalid byte at offset 2)');
    expectInvalid(() => decodeIntentBytes(bytes(0x22, 0xed, 0xa0, 0x80, 0x22)), 'intent is not valid UTF-8 (invalid byte at offset 1)');
    expectInvalid(() => decodeIntentBytes(bytes(0x22, 0xe2, 0x82)), 'intent is not valid UTF-8 (invalid byte at offset 1)');
    expectInvalid(() => decodeIntentBytes(bytes(0xef, 0xbb, 0xbf, 0x7b, 0x7d)), "parse intent json: invalid character 'ï' looking for beginning of value");
    const ok = decodeIntentBytes(new TextEncoder().encode('{"tool_name":"tööl.😀"}'));
    expect(ok.tool_name).toBe('tööl.😀');
  });
});

describe('decodeIntentValue', () => {
  test('same result as the JSON text', () => {
    const text = fixtureText('policy/intents/intent_tainted_egress.json');
    expect(normalizeIntent(decodeIntentValue(JSON.parse(text))).intent_digest).toBe(normalizeIntent(decodeIntentJson(text)).intent_digest);
  });

  test('a decoded RawIntent decodes to itself', () => {
    const raw = decodeIntentJson(fixtureText('policy/intents/intent_delegated_egress_valid.json'));
    expect(decodeIntentValue(raw)).toEqual(raw);
  });

  test('a NormalizedIntent decodes and re-normalizes to itself (unset times are empty strings)', () => {
    for (const file of ['policy/intents/intent_delegated_egress_valid.json', 'policy/endpoint/fixtures/intent_allow.json']) {
      const n = normalizeIntent(decodeIntentJson(fixtureText(file)));
      expect(n.delegation?.issued_at ?? '').toBe('');
      expect(normalizeIntent(decodeIntentValue(n))).toEqual(n);
    }
    const script = normalizeIntent(decodeIntentValue({
      tool_name: 'script', context: { identity: 'i', workspace: 'w', risk_class: 'r' },
      script: { steps: [{ tool_name: 'tool.read', targets: [{ kind: 'host', value: 'https://A.example:1/x' }, { kind: 'url', value: 'x.example/y' }] }] },
    }));
    expect(normalizeIntent(decodeIntentValue(script))).toEqual(script);
    // Text input keeps Go's rule: "" is not a time.
    expectInvalid(() => decodeIntentJson('{"created_at":""}'), 'parse intent json: parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"');
    expect(decodeIntentValue({ created_at: '' }).created_at).toBeNull();
  });

  test('JSON.stringify rules: toJSON, undefined members dropped, null in arrays', () => {
    const raw = decodeIntentValue({
      tool_name: 'x', skipped: undefined,
      args: { when: new Date(Date.UTC(2026, 0, 2)), gone: undefined, list: [undefined, () => 1] },
    });
    expect(raw.args!.get('when')).toBe('2026-01-02T00:00:00.000Z');
    expect(raw.args!.has('gone')).toBe(false);
    expect(raw.args!.get('list')).toEqual([null, null]);
  });

  test('values JSON cannot carry are invalid input', () => {
    expectInvalid(() => decodeIntentValue({ args: { n: NaN } }), 'parse intent json: json: unsupported value: NaN');
    expectInvalid(() => decodeIntentValue({ args: { n: -Infinity } }), 'parse intent json: json: unsupported value: -Inf');
    expectInvalid(() => decodeIntentValue({ args: { n: 10n } }), 'parse intent json: json: unsupported type: bigint');
    expectInvalid(() => decodeIntentValue(undefined), 'parse intent json: unexpected end of JSON input');
    expectInvalid(() => decodeIntentValue('{}'), 'parse intent json: json: cannot unmarshal string into Go value of type gate.IntentRequest');
    expectInvalid(() => decodeIntentValue([1]), 'parse intent json: json: cannot unmarshal array into Go value of type gate.IntentRequest');
  });
});
