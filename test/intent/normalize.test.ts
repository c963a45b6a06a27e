import { describe, expect, test } from 'vitest';
import { decodeIntentJson, decodeIntentValue } from '../../bindings/intent/decode.js';
import { normalizeIntent, rawRiskClass, stripContextClaims, withAuthContextKeys } from '../../bindings/intent/normalize.js';
import { intentProjection, delegationProjection } from '../../bindings/intent/digest.js';
import { inferEndpointDomain } from '../../bindings/intent/targets.js';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { baseIntent, expectInvalid, norm } from './helpers.js';

const ctx = { identity: 'alice', workspace: '/repo/gait', risk_class: 'low' };
const intent = (extra: Record<string, unknown>): Record<string, unknown> => ({ ...baseIntent(), ...extra });
const step = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ tool_name: 'tool.read', args: {}, ...extra });

describe('§1.11 validation errors, exact text', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['empty script', intent({ script: { steps: [] } }), 'script.steps must not be empty'],
    ['script {}', intent({ script: {} }), 'script.steps must not be empty'],
    ['65 steps', intent({ script: { steps: Array.from({ length: 65 }, () => step()) } }), 'script.steps exceeds max supported steps (64)'],
    ['step tool_name', intent({ script: { steps: [step(), step({ tool_name: ' ' })] } }), 'script.steps[1].tool_name is required'],
    ['step args key', intent({ script: { steps: [step({ args: { ok: { ' ': 1 } } })] } }), 'normalize script.steps[0].args: args contains empty key'],
    ['step target', intent({ script: { steps: [step({ targets: [{ kind: 'path' }] })] } }), 'normalize script.steps[0].targets: targets require kind and value'],
    ['step provenance', intent({ script: { steps: [step({ arg_provenance: [{ arg_path: 'a', source: 'bad' }] })] } }), 'normalize script.steps[0].arg_provenance: unsupported provenance source: bad'],
    ['tool_name', intent({ tool_name: ' \t ' }), 'tool_name is required'],
    ['args key', intent({ args: { ' ': 1 } }), 'normalize args: args contains empty key'],
    ['nested args key', intent({ args: { a: [{ b: { '\u3000': 1 } }] } }), 'normalize args: args contains empty key'],
    ['target kind/value', intent({ targets: [{ kind: 'path', value: '  ' }] }), 'targets require kind and value'],
    ['target kind', intent({ targets: [{ kind: 'File', value: '/x' }] }), 'unsupported target kind: file'],
    ['endpoint class', intent({ targets: [{ kind: 'path', value: '/x', endpoint_class: ' FS.Bogus ' }] }), 'unsupported endpoint class: fs.bogus'],
    ['discovery method', intent({ targets: [{ kind: 'path', value: '/x', discovery_method: 'Unsupported' }] }), 'unsupported discovery method: unsupported'],
    ['provenance required', intent({ arg_provenance: [{ arg_path: ' ', source: 'user' }] }), 'arg provenance requires arg_path and source'],
    ['provenance source', intent({ arg_provenance: [{ arg_path: 'a', source: 'Bad' }] }), 'unsupported provenance source: bad'],
    ['provenance digest', intent({ arg_provenance: [{ arg_path: 'a', source: 'user', integrity_digest: 'XYZ' }] }), 'invalid provenance integrity_digest: xyz'],
    ['skill required', intent({ skill_provenance: { skill_name: 's', source: 'registry' } }), 'skill provenance requires skill_name, source, and publisher'],
    ['skill empty object', intent({ skill_provenance: {} }), 'skill provenance requires skill_name, source, and publisher'],
    ['skill digest', intent({ skill_provenance: { skill_name: 's', source: 'r', publisher: 'p', digest: 'BAD' } }), 'invalid skill provenance digest: bad'],
    ['identity', intent({ context: { ...ctx, identity: '' } }), 'context.identity is required'],
    ['no context', { tool_name: 'x' }, 'context.identity is required'],
    ['workspace', intent({ context: { ...ctx, workspace: ' ' } }), 'context.workspace is required'],
    ['risk class', intent({ context: { ...ctx, risk_class: '' } }), 'context.risk_class is required'],
    ['auth_context key', intent({ context: { ...ctx, auth_context: { ' ': 'x' } } }), 'normalize context.auth_context: args contains empty key'],
    ['context_set_digest', intent({ context: { ...ctx, context_set_digest: 'abc' } }), 'context.context_set_digest must be sha256 hex'],
    ['evidence mode', intent({ context: { ...ctx, context_evidence_mode: 'strict' } }), 'context.context_evidence_mode must be best_effort or required'],
    ['phase', intent({ context: { ...ctx, phase: 'dry' } }), 'context.phase must be plan or apply'],
    ['requester', intent({ delegation: { requester_identity: ' ' } }), 'delegation.requester_identity is required'],
    ['link identities', intent({ delegation: { requester_identity: 'r', chain: [{ delegator_identity: 'a' }] } }), 'delegation.chain[0] requires delegator_identity and delegate_identity'],
    ['continuity', intent({ delegation: { requester_identity: 'c', chain: [{ delegator_identity: 'a', delegate_identity: 'b' }, { delegator_identity: 'x', delegate_identity: 'c' }] } }),
      'delegation.chain[1] delegator_identity must match delegation.chain[0].delegate_identity'],
    ['link times', intent({ delegation: { requester_identity: 'b', chain: [{ delegator_identity: 'a', delegate_identity: 'b', issued_at: '2026-01-02T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' }] } }),
      'delegation.chain[0] expires_at must be after issued_at'],
    ['block times equal', intent({ delegation: { requester_identity: 'b', issued_at: '2026-01-01T01:00:00+01:00', expires_at: '2026-01-01T00:00:00Z' } }),
      'delegation.expires_at must be after issued_at'],
    ['last delegate', intent({ delegation: { requester_identity: 'z', chain: [{ delegator_identity: 'a', delegate_identity: 'b' }] } }),
      'delegation.chain last delegate_identity must match delegation.requester_identity'],
  ])('%s', (_name, input, message) => {
    expectInvalid(() => norm(input), message);
  });

  test('check order follows §1.11', () => {
    const everythingWrong = {
      tool_name: '',
      args: { ' ': 1 },
      targets: [{ kind: 'bogus', value: 'x' }],
      arg_provenance: [{ arg_path: '', source: '' }],
      skill_provenance: {},
      context: {},
      delegation: {},
    };
    expectInvalid(() => norm({ ...everythingWrong, script: { steps: [] } }), 'script.steps must not be empty');
    expectInvalid(() => norm(everythingWrong), 'tool_name is required');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't' }), 'normalize args: args contains empty key');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't', args: {} }), 'unsupported target kind: bogus');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't', args: {}, targets: [] }), 'arg provenance requires arg_path and source');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't', args: {}, targets: [], arg_provenance: [] }), 'skill provenance requires skill_name, source, and publisher');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't', args: {}, targets: [], arg_provenance: [], skill_provenance: null }), 'context.identity is required');
    expectInvalid(() => norm({ ...everythingWrong, tool_name: 't', args: {}, targets: [], arg_provenance: [], skill_provenance: null, context: ctx }), 'delegation.requester_identity is required');
    // Within a target: kind/value, kind, class, discovery method.
    expectInvalid(() => norm(intent({ targets: [{ kind: 'bogus', value: '', endpoint_class: 'x', discovery_method: 'y' }] })), 'targets require kind and value');
    expectInvalid(() => norm(intent({ targets: [{ kind: 'bogus', value: 'v', endpoint_class: 'x', discovery_method: 'y' }] })), 'unsupported target kind: bogus');
    expectInvalid(() => norm(intent({ targets: [{ kind: 'path', value: 'v', endpoint_class: 'x', discovery_method: 'y' }] })), 'unsupported endpoint class: x');
    // Targets are checked in input order, before sorting.
    expectInvalid(() => norm(intent({ targets: [{ kind: 'url', value: 'u', discovery_method: 'y' }, { kind: 'bogus', value: 'v' }] })), 'unsupported discovery method: y');
    // Context: required fields, then auth_context, digest, mode, phase.
    expectInvalid(() => norm(intent({ context: { ...ctx, phase: 'x', context_evidence_mode: 'x', context_set_digest: 'x', auth_context: { '': 1 } } })), 'normalize context.auth_context: args contains empty key');
    expectInvalid(() => norm(intent({ context: { ...ctx, phase: 'x', context_evidence_mode: 'x', context_set_digest: 'x' } })), 'context.context_set_digest must be sha256 hex');
    expectInvalid(() => norm(intent({ context: { ...ctx, phase: 'x', context_evidence_mode: 'x' } })), 'context.context_evidence_mode must be best_effort or required');
    // Script steps are checked one after the other, each completely.
    expectInvalid(() => norm(intent({ script: { steps: [step({ targets: [{ kind: 'x', value: 'y' }] }), step({ tool_name: '' })] } })), 'normalize script.steps[0].targets: unsupported target kind: x');
    // A chain link is checked completely before the next link.
    expectInvalid(() => norm(intent({ delegation: { requester_identity: 'c', chain: [
      { delegator_identity: 'a', delegate_identity: 'b', issued_at: '2026-01-02T00:00:00Z', expires_at: '2026-01-01T00:00:00Z' },
      { delegator_identity: '', delegate_identity: 'c' },
    ] } })), 'delegation.chain[0] expires_at must be after issued_at');
  });

  test('errors are GaitError invalid_input for every kind of bad input', () => {
    for (const bad of ['', '[', '{"args":[]}', '{"tool_name":"x"}', '{}', 'null', '"s"', '{"a":' + '['.repeat(100)]) {
      expect(() => normalizeIntent(decodeIntentJson(bad))).toThrowError(expect.objectContaining({ name: 'GaitError', category: 'invalid_input' }));
    }
  });
});

describe('§2.3.1 endpoint class inference', () => {
  const targetOf = (tool: string, target: Record<string, unknown>) => norm(intent({ tool_name: tool, targets: [target] })).targets[0]!;

  test('surprising substring hints', () => {
    for (const tool of ['tool.format', 'acl.permission']) {
      const t = targetOf(tool, { kind: 'path', value: '/x' });
      expect([t.endpoint_class, t.destructive], tool).toEqual(['fs.delete', true]);
    }
    const trunc = targetOf('db.truncate', { kind: 'other', value: 'table' });
    expect([trunc.endpoint_class, trunc.destructive]).toEqual(['proc.exec', true]);
    expect(targetOf('tool.thread', { kind: 'path', value: '/x' }).endpoint_class).toBe('fs.read');
  });

  test('operations win over hints; hints use the last / segment', () => {
    expect(targetOf('tool.delete', { kind: 'path', value: '/x', operation: 'Stat' }).endpoint_class).toBe('fs.read');
    expect(targetOf('tool.read', { kind: 'path', value: '/x', operation: 'rename' }).endpoint_class).toBe('fs.write');
    expect(targetOf('tool.read', { kind: 'path', value: '/x', operation: 'rmdir' }).endpoint_class).toBe('fs.delete');
    expect(targetOf('mcp/server/tool.search', { kind: 'path', value: '/x' }).endpoint_class).toBe('fs.read');
    expect(targetOf('read/tool.x', { kind: 'path', value: '/x' }).endpoint_class).toBe('other');
    expect(targetOf('tool.save', { kind: 'path', value: '/x', operation: 'frobnicate' }).endpoint_class).toBe('fs.write');
    expect(targetOf('tool.x', { kind: 'other', value: 'v', operation: 'command' }).endpoint_class).toBe('proc.exec');
    expect(targetOf('tool.x', { kind: 'host', value: 'h', operation: 'lookup' }).endpoint_class).toBe('net.dns');
    expect(targetOf('tool.x', { kind: 'url', value: 'u', operation: 'get' }).endpoint_class).toBe('net.http');
    for (const kind of ['repo', 'bucket', 'table', 'queue', 'topic']) expect(targetOf('tool.exec', { kind, value: 'v', operation: 'exec' }).endpoint_class).toBe('other');
    expect(targetOf('tool.x', { kind: 'path', value: '/x', endpoint_class: 'UI.Click' }).endpoint_class).toBe('ui.click');
  });

  test('destructive flag can only be raised', () => {
    const del = targetOf('tool.x', { kind: 'url', value: 'https://a.b/c', operation: 'delete', destructive: false, read_only_hint: true });
    expect([del.endpoint_class, del.destructive, del.read_only_hint]).toEqual(['net.http', true, true]);
    expect(targetOf('tool.read', { kind: 'path', value: '/x', operation: 'exec' }).destructive).toBe(true);
    expect(targetOf('tool.read', { kind: 'path', value: '/x', destructive_hint: true }).destructive).toBe(true);
    expect(targetOf('tool.read', { kind: 'path', value: '/x', destructive: true }).destructive).toBe(true);
    expect(targetOf('tool.read', { kind: 'path', value: '/x' }).destructive).toBe(false);
  });

  test('discovery methods', () => {
    expect(targetOf('t', { kind: 'path', value: '/x', discovery_method: ' WebMCP ' }).discovery_method).toBe('webmcp');
    expect(targetOf('t', { kind: 'path', value: '/x', discovery_method: 'Dynamic-MCP' }).discovery_method).toBe('dynamic_mcp');
    expect(targetOf('t', { kind: 'path', value: '/x', discovery_method: 'static mcp' }).discovery_method).toBe('static_mcp');
    expect(targetOf('t', { kind: 'path', value: '/x' }).discovery_method).toBe('unknown');
  });
});

describe('§2.3.2 endpoint domain inference', () => {
  test.each([
    ['host', 'api.internal', 'api.internal'],
    ['host', ' https://X.Y:8443/p ', 'x.y'],
    ['host', 'http://a.example/b:c', 'a.example'],
    ['host', 'HTTPS://x.y', 'https'],
    ['host', 'API.Internal:443', 'api.internal'],
    ['host', '::1', ''],
    ['url', 'https://example.com/path', 'example.com'],
    ['url', 'HTTPS://User:pw@Example.COM:8443/p?q=1#frag', 'example.com'],
    ['url', 'api.example.com/x', ''],
    ['url', 'api.example.com:8080/x', ''],
    ['url', '//cdn.example.com/x', 'cdn.example.com'],
    ['url', 'https://[::1]:8080/', '::1'],
    ['url', 'http://[fe80::1%25en0]/', 'fe80::1%en0'],
    ['url', 'https://ex%C3%A4mple.com/', 'exämple.com'],
    ['url', 'https://exämple.com/', 'exämple.com'],
    ['url', 'mailto:a@b.c', ''],
    ['url', 'ftp://files.example:21', 'files.example'],
    ['url', 'https://exa mple.com/', ''],
    ['url', 'https://ex%41mple.com/', ''],
    ['url', 'https://host:abc/', ''],
    ['url', 'https://host/%zz', ''],
    ['url', 'https://host/#%zz', ''],
    ['url', 'https://[::1/', ''],
    ['url', ':no-scheme', ''],
    ['path', 'https://example.com', ''],
  ])('%s %j -> %j', (kind, value, domain) => {
    expect(inferEndpointDomain(kind, value)).toBe(domain);
    expect(norm(intent({ targets: [{ kind, value }] })).targets[0]!.endpoint_domain).toBe(domain);
  });

  test('an explicit domain is kept for any kind', () => {
    expect(norm(intent({ targets: [{ kind: 'path', value: '/x', endpoint_domain: ' Files.Example ' }] })).targets[0]!.endpoint_domain).toBe('files.example');
  });
});

describe('normalization details', () => {
  test("Go's whitespace: U+0085 is trimmed, U+FEFF is not", () => {
    const n = norm(intent({ tool_name: '\u0085Tool.Read\u00a0', args: { '\u2003k\u0085': '\u0085v\u205f' } }));
    expect(n.tool_name).toBe('tool.read');
    expect(n.args).toEqual({ k: 'v' });
    const bom = norm(intent({ tool_name: '\ufefftool.read', context: { ...ctx, identity: '\ufeffalice' } }));
    expect(bom.tool_name).toBe('\ufefftool.read');
    expect(bom.context.identity).toBe('\ufeffalice');
    expect(norm(intent({ tool_name: 'TOOL.İ' })).tool_name).toBe('tool.i');
  });

  test('targets and provenance are de-duplicated and sorted byte-wise', () => {
    const n = norm(intent({
      targets: [
        { kind: 'path', value: '/\u{1f600}' },
        { kind: 'path', value: '/\ue000' },
        { kind: 'path', value: '/\ue000', destructive: false },
        { kind: 'path', value: '/a', destructive: true },
        { kind: 'path', value: '/a' },
      ],
      arg_provenance: [
        { arg_path: 'b', source: 'user' },
        { arg_path: 'a', source: 'system', source_ref: 'r' },
        { arg_path: 'a', source: 'system' },
        { arg_path: 'b', source: 'USER' },
      ],
    }));
    expect(n.targets.map((t) => `${t.value}:${t.destructive}`)).toEqual(['/a:false', '/a:true', '/\ue000:false', '/\u{1f600}:false']);
    expect(n.arg_provenance.map((p) => `${p.arg_path}/${p.source}/${p.source_ref}`)).toEqual(['a/system/', 'a/system/r', 'b/user/']);
    expect(norm(intent({ targets: [] })).targets).toEqual([]);
    expect(canonicalize(intentProjection(norm(intent({}))))).toContain('"targets":[]');
  });

  test('trimmed args keys that collide: the last in input order wins', () => {
    expect(norm(intent({ args: { ' a ': 1, a: 2 } })).args).toEqual({ a: 2 });
    expect(norm(intent({ args: { a: 2, ' a ': 1 } })).args).toEqual({ a: 1 });
    expect(norm('{"tool_name":"t","context":{"identity":"i","workspace":"w","risk_class":"r"},"args":{"1":"x"," 1":"y"}}').args).toEqual({ 1: 'y' });
    expect(norm('{"tool_name":"t","context":{"identity":"i","workspace":"w","risk_class":"r"},"args":{" 1":"y","1":"x"}}').args).toEqual({ 1: 'x' });
  });

  test('args keep structure; strings trimmed at every depth; __proto__ is data', () => {
    const n = norm('{"tool_name":"t","context":{"identity":"i","workspace":"w","risk_class":"r"},"args":{"__proto__":{"x":" 1 "},"list":[" a ",{" b ":[" c "]},1.5,true,null]}}');
    expect(Object.keys(n.args)).toEqual(['__proto__', 'list']);
    expect(canonicalize(n.args)).toBe('{"__proto__":{"x":"1"},"list":["a",{"b":["c"]},1.5,true,null]}');
    expect(Object.getPrototypeOf(n.args)).toBe(Object.prototype);
  });

  test('context normalization', () => {
    const n = norm(intent({ context: {
      identity: ' Alice ', workspace: ' C:\\repo\\gait ', risk_class: ' Critical ', phase: ' PLAN ', job_id: ' j ',
      auth_context: {}, credential_scopes: ['B', ' a ', '', 'B'], context_refs: [' r2', 'r1', 'r1 ', ' '],
      context_set_digest: 'AB'.repeat(32), context_evidence_mode: ' Best_Effort ',
    } }));
    expect(n.context).toEqual({
      identity: 'Alice', workspace: 'C:/repo/gait', risk_class: 'critical', phase: 'plan', job_id: 'j', session_id: '', request_id: '',
      auth_context: undefined, credential_scopes: ['B', 'a'], environment_fingerprint: '', context_set_digest: 'ab'.repeat(32),
      context_evidence_mode: 'best_effort', context_refs: ['r1', 'r2'],
    });
    expect(norm(intent({})).context.phase).toBe('apply');
  });

  test('times: UTC, zero time is unset', () => {
    const n = norm(intent({
      created_at: '2026-02-05T01:00:00.250+01:00',
      delegation: { requester_identity: 'b', issued_at: '0001-01-01T00:00:00Z', expires_at: '2026-03-01T00:00:00-05:00',
        chain: [{ delegator_identity: 'a', delegate_identity: 'b', issued_at: '2026-02-01T00:00:00Z' }] },
    }));
    expect(n.created_at).toBe('2026-02-05T00:00:00.25Z');
    expect(n.delegation!.issued_at).toBe('');
    expect(n.delegation!.expires_at).toBe('2026-03-01T05:00:00Z');
    expect(canonicalize(delegationProjection(n.delegation!))).toBe(
      '{"chain":[{"delegate_identity":"b","delegator_identity":"a","expires_at":"0001-01-01T00:00:00Z","issued_at":"2026-02-01T00:00:00Z"}],"expires_at":"2026-03-01T05:00:00Z","issued_at":"0001-01-01T00:00:00Z","requester_identity":"b"}',
    );
    expect(norm(intent({})).created_at).toBe('');
    // created_at is not digested.
    expect(norm(intent({ created_at: '2030-01-01T00:00:00Z' })).intent_digest).toBe(norm(intent({})).intent_digest);
  });

  test('scripts: step hints, aggregation, given top-level targets', () => {
    const steps = [
      step({ tool_name: 'Tool.Delete', targets: [{ kind: 'path', value: '/a' }], arg_provenance: [{ arg_path: 'p', source: 'user' }] }),
      step({ tool_name: 'tool.write', targets: [{ kind: 'path', value: '/a' }], arg_provenance: [{ arg_path: 'p', source: 'user' }] }),
    ];
    const agg = norm(intent({ tool_name: '', script: { steps } }));
    expect(agg.tool_name).toBe('script');
    expect(agg.script!.steps.map((s) => s.targets[0]!.endpoint_class)).toEqual(['fs.delete', 'fs.write']);
    expect(agg.targets.map((t) => t.endpoint_class)).toEqual(['fs.delete', 'fs.write']);
    expect(agg.arg_provenance).toHaveLength(1);
    const given = norm(intent({ script: { steps }, targets: [{ kind: 'path', value: '/top' }], arg_provenance: [{ arg_path: 'q', source: 'system' }] }));
    expect(given.targets.map((t) => `${t.value}:${t.endpoint_class}`)).toEqual(['/top:other']);
    expect(given.arg_provenance.map((p) => p.arg_path)).toEqual(['q']);
    expect(given.args).toEqual({ x: 'y' });
    expect(given.script_hash).toBe(agg.script_hash);
    const reversed = norm(intent({ script: { steps: [...steps].reverse() } }));
    expect(reversed.script_hash).not.toBe(agg.script_hash);
    expect(norm(intent({ script: { steps: Array.from({ length: 64 }, () => step()) } })).script!.steps).toHaveLength(64);
  });

  test('relationship: normalized pass-through, never digested', () => {
    const n = norm(intent({ relationship: {
      parent_ref: { kind: ' SESSION ', id: ' s1 ' },
      entity_refs: [{ kind: 'tool', id: 'b' }, { kind: 'Tool', id: ' b ' }, { kind: 'bogus', id: 'x' }, { kind: 'agent', id: 'a' }],
      agent_chain: [{ identity: 'x', role: 'boss' }, { identity: 'y', role: 'Requester' }],
      edges: [{ kind: 'calls', from: { kind: 'agent', id: 'a' }, to: { kind: 'tool', id: 'b' } }, { kind: 'likes', from: { kind: 'a', id: 'b' }, to: { kind: 'c', id: 'd' } }],
      policy_ref: { policy_digest: ' ABC ' },
      agent_lineage: [{ agent_id: '' }],
    } }));
    expect(n.relationship).toEqual({
      parent_ref: { kind: 'session', id: 's1' },
      entity_refs: [{ kind: 'agent', id: 'a' }, { kind: 'tool', id: 'b' }],
      policy_ref: { policy_digest: 'abc' },
      agent_chain: [{ identity: 'y', role: 'requester' }],
      edges: [{ kind: 'calls', from: { kind: 'agent', id: 'a' }, to: { kind: 'tool', id: 'b' } }],
      related_entity_ids: ['a', 'b'],
    });
    expect(n.intent_digest).toBe(norm(intent({})).intent_digest);
    expect(norm(intent({ relationship: { parent_ref: { kind: 'bogus', id: 'x' }, agent_chain: [{ identity: '', role: 'requester' }] } })).relationship).toBeUndefined();
    expect(norm(intent({ relationship: null })).relationship).toBeUndefined();
  });

  test('normalizeIntent does not modify its input and is repeatable', () => {
    const raw = decodeIntentValue(intent({ args: { ' k ': ' v ' }, targets: [{ kind: ' PATH ', value: '/x' }] }));
    const before = JSON.stringify(raw, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    const a = normalizeIntent(raw);
    const b = normalizeIntent(raw);
    expect(a).toEqual(b);
    expect(JSON.stringify(raw, (_k, v: unknown) => (v instanceof Map ? [...v] : v))).toBe(before);
  });
});

describe('prepared-intent helpers', () => {
  test('rawRiskClass', () => {
    expect(rawRiskClass(decodeIntentJson('{"context":{"risk_class":" HIGH "}}'))).toBe('high');
    expect(rawRiskClass(decodeIntentJson('{}'))).toBe('');
  });

  test('stripContextClaims removes the evidence claims only', () => {
    const n = norm(intent({ context: { ...ctx, context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', context_refs: ['r'],
      auth_context: { context_age_seconds: 5, tenant: 'acme' } } }));
    const s = stripContextClaims(n);
    expect(s.context.context_set_digest).toBe('');
    expect(s.context.context_evidence_mode).toBe('');
    expect(s.context.context_refs).toEqual([]);
    expect(s.context.auth_context).toEqual({ tenant: 'acme' });
    expect(s.intent_digest).toBe(norm(intent({ context: { ...ctx, auth_context: { tenant: 'acme' } } })).intent_digest);
    expect(n.context.context_refs).toEqual(['r']); // the input is untouched
    const only = stripContextClaims(norm(intent({ context: { ...ctx, auth_context: { context_age_seconds: 5 } } })));
    expect(only.context.auth_context).toBeUndefined();
    expect(only.intent_digest).toBe(norm(intent({})).intent_digest);
  });

  test('withAuthContextKeys overwrites and recomputes', () => {
    const n = norm(intent({ context: { ...ctx, auth_context: { 'wrkr.data_class': 'public', other: 1 } } }));
    const e = withAuthContextKeys(n, { 'wrkr.data_class': 'secret' });
    expect(e.context.auth_context).toEqual({ 'wrkr.data_class': 'secret', other: 1 });
    expect(n.context.auth_context).toEqual({ 'wrkr.data_class': 'public', other: 1 });
    expect(e.intent_digest).toBe(norm(intent({ context: { ...ctx, auth_context: { other: 1, 'wrkr.data_class': 'secret' } } })).intent_digest);
    expect(e.args_digest).toBe(n.args_digest);
  });
});
