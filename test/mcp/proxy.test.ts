// The tool-call boundary as a library: decoding (Go's messages, as the oracle prints them), the
// adapters, the ToolCall → intent mapping, and evaluateToolCall with its ports.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instantiateSync, Gate, GaitError, verifyTrace, type TraceRecord } from '../../bindings/index.js';
import { evaluateToolCall, STANDARD_PROFILE_WARNING, type McpExportTarget } from '../../bindings/mcp/proxy.js';
import { decodeToolCall, normalizeClaudeToolName } from '../../bindings/mcp/adapters.js';
import { toolCallIntent } from '../../bindings/mcp/call-intent.js';
import { normalizeRunId } from '../../bindings/mcp/run-id.js';
import { generateKeyPair } from '../../bindings/crypto/keys.js';
import { DEV_MODE_WARNING } from '../../bindings/crypto/keys.js';

const engine = instantiateSync(readFileSync(fileURLToPath(new URL('../../dist/core.wasm', import.meta.url))));
const RULES = readFileSync(fileURLToPath(new URL('../fixtures/gait/mcp/policies/rules.yaml', import.meta.url)), 'utf8');
const ALLOW = 'schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: allow\n';
const FAIL_CLOSED = readFileSync(fileURLToPath(new URL('../fixtures/gait/mcp/policies/fail_closed.yaml', import.meta.url)), 'utf8');
const rules = Gate.fromYaml(engine, RULES);
const allow = Gate.fromYaml(engine, ALLOW);

const FULL_CONTEXT = { identity: 'alice', workspace: '/repo', session_id: 's-1', risk_class: 'low' };

/** The error a call throws (GaitError), or fails the test. */
function thrown(fn: () => unknown): GaitError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    return err as GaitError;
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<GaitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    return err as GaitError;
  }
  throw new Error('expected a rejection');
}

describe('decodeToolCall: Go decoding with Gait\'s messages (observed on the v1.3.6 binary)', () => {
  const cases: [string, string, string][] = [
    ['mcp', '{"name":"x","script":5}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field ToolCall.script of type mcp.ScriptCall'],
    ['mcp', '{"name":"x","script":{"steps":[{"name":"a","targets":[{"kind":5}]}]}}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field Target.script.steps.targets.kind of type string'],
    ['mcp', '{"name":"x","arg_provenance":5}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field ToolCall.arg_provenance of type []mcp.ArgProvenance'],
    ['mcp', '{"name":"x","server":{"endpoint":5}}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field ServerInfo.server.endpoint of type string'],
    ['mcp', '{"name":"x","context":{"oauth_evidence":{"audience":"a"}}}', 'parse mcp tool call: json: cannot unmarshal string into Go struct field OAuthEvidence.context.oauth_evidence.audience of type []string'],
    ['mcp', '{"name":"x","delegation":{"token_refs":[5]}}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field Delegation.delegation.token_refs of type string'],
    ['mcp', '{"name":"x","delegation":{"chain":[{"token_ref":5}]}}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field DelegationLink.delegation.chain.token_ref of type string'],
    ['mcp', '{"name":"x","targets":[{"annotations":5}]}', 'parse mcp tool call: json: cannot unmarshal number into Go struct field Target.targets.annotations of type map[string]interface {}'],
    ['mcp', '{"name":"x","created_at":5}', 'parse mcp tool call: Time.UnmarshalJSON: input is not a JSON string'],
    ['mcp', '{"name":"x","created_at":""}', 'parse mcp tool call: parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006"'],
    ['mcp', '5', 'parse mcp tool call: json: cannot unmarshal number into Go value of type mcp.ToolCall'],
    ['mcp', '{"name":"x","args":{"a":1e999}}', 'parse mcp tool call: json: cannot unmarshal number 1e999 into Go struct field ToolCall.args of type float64'],
    ['mcp', '', 'parse mcp tool call: unexpected end of JSON input'],
    ['mcp', '{} {}', "parse mcp tool call: invalid character '{' after top-level value"],
    ['openai', '[]', 'parse openai tool call: json: cannot unmarshal array into Go value of type struct { Function struct { Name string "json:\\"name\\""; Arguments json.RawMessage "json:\\"arguments\\"" } "json:\\"function\\"" }'],
    ['openai', '{"function":{"name":"x","arguments":5}}', 'decode openai arguments: json: cannot unmarshal number into Go value of type map[string]interface {}'],
    ['openai', '{"function":{"name":"x","arguments":"\\"{}\\""}}', 'decode openai arguments: json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['openai', '{"function":{"name":"x","arguments":{"a":1e999}}}', 'decode openai arguments: json: cannot unmarshal number 1e999 into Go value of type float64'],
    ['openai', 'not', "parse openai tool call: invalid character 'o' in literal null (expecting 'u')"],
    ['anthropic', '5', 'parse anthropic tool call: json: cannot unmarshal number into Go value of type struct { Type string "json:\\"type\\""; Name string "json:\\"name\\""; Input map[string]interface {} "json:\\"input\\"" }'],
    ['anthropic', '{"name":"x","type":5}', 'parse anthropic tool call: json: cannot unmarshal number into Go struct field .type of type string'],
    ['anthropic', '{"name":"x","input":[1]}', 'parse anthropic tool call: json: cannot unmarshal array into Go struct field .input of type map[string]interface {}'],
    ['claude_code', '[]', 'parse claude code tool call: json: cannot unmarshal array into Go value of type struct { Type string "json:\\"type\\""; Name string "json:\\"name\\""; Input interface {} "json:\\"input\\""; SessionID string "json:\\"session_id\\""; ToolName string "json:\\"tool_name\\""; ToolInput interface {} "json:\\"tool_input\\""; HookEventName string "json:\\"hook_event_name\\"" }'],
    ['claude_code', '{"tool_name":"x","tool_input":"[1]"}', 'decode claude code tool_input: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['claude_code', '{"tool_name":"x","hook_event_name":5}', 'parse claude code tool call: json: cannot unmarshal number into Go struct field .hook_event_name of type string'],
    ['claude_code', '{"tool_name":"x","tool_input":"{\\"a\\":1} x"}', "decode claude code tool_input: invalid character 'x' after top-level value"],
    ['langchain', '{"tool":5}', 'parse langchain tool call: json: cannot unmarshal number into Go struct field .tool of type string'],
    ['langchain', '{"tool":"x","tool_input":"{\\"a\\":1e999}"}', 'decode langchain tool_input: json: cannot unmarshal number 1e999 into Go value of type float64'],
    ['Nope ', '{}', 'unsupported adapter: Nope '],
  ];
  for (const [adapter, payload, message] of cases) {
    it(`${adapter} ${payload}`, () => {
      const err = thrown(() => decodeToolCall(payload, adapter));
      expect(err.message).toBe(message);
      expect(err.category).toBe('invalid_input');
    });
  }

  it('matches keys case-insensitively, last duplicate wins, and reads bytes and objects alike', () => {
    expect(decodeToolCall('{"NAME":"a","name":"b"}').name).toBe('b');
    expect(decodeToolCall(new TextEncoder().encode('{"Name":"tool.x"}')).name).toBe('tool.x');
    // An object is read as Go's HTTP service re-encodes it: keys sorted ("NAME" < "name").
    expect(decodeToolCall({ name: 'b', NAME: 'a' }).name).toBe('b');
    expect(thrown(() => decodeToolCall(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toBe('parse mcp tool call: payload is not valid UTF-8');
  });

  it('openai: string, blank, null and object arguments', () => {
    const args = (a: unknown) => Object.fromEntries(decodeToolCall({ function: { name: 'f', arguments: a } }, 'openai').args!);
    expect(args('{"p":1}')).toEqual({ p: 1 });
    expect(args('  ')).toEqual({});
    expect(args('null')).toEqual({});
    expect(args(null)).toEqual({});
    expect(args({ q: 'x' })).toEqual({ q: 'x' });
  });

  it('claude_code: tool_name before name, tool_input before input, session and hook context, inferred targets', () => {
    const call = decodeToolCall({ tool_name: ' ', name: 'Read', input: { file_path: ' /a ', url: 'https://x.test/' }, session_id: ' s ', hook_event_name: 'PreToolUse' }, 'Claude-Code');
    expect(call.name).toBe('tool.read');
    expect(call.context.session_id).toBe('s');
    expect(Object.fromEntries(call.context.auth_context!)).toEqual({ adapter: 'claude_code', hook_event_name: 'PreToolUse' });
    expect(call.targets.map((t) => [t.kind, t.value, t.operation])).toEqual([['path', '/a', 'read'], ['url', 'https://x.test/', 'read']]);
    expect(decodeToolCall({ tool_name: 'Bash', tool_input: { command: 7, cmd: 'ls' } }, 'claudecode').targets[0]).toMatchObject({ kind: 'other', value: 'ls', operation: 'execute' });
    expect(thrown(() => decodeToolCall({ tool_name: '  ' }, 'claude_code')).message).toBe('claude code tool call name is required');
  });

  it('claude_code: tool-name normalization (mcp.md §2.6)', () => {
    const names: [string, string][] = [
      ['Bash', 'tool.exec'], ['Web Search', 'tool.read'], ['Notebook-Edit', 'tool.write'], ['Task', 'tool.delegate'],
      ['mcp__github.Create-Issue', 'mcp__github.create-issue'], ['tool.custom.ACTION', 'tool.custom.action'],
      ['Custom Action', 'tool.custom_action'], ['my-tool_x', 'tool.my_tool_x'], ['MultiEdit', 'tool.multiedit'], ['a\tb', 'tool.a\tb'],
    ];
    for (const [raw, want] of names) expect(normalizeClaudeToolName(raw)).toBe(want);
  });
});

describe('decodeToolCall: a `null` payload is Go\'s zero value (differential run, seed 20261204 cases 822, 924)', () => {
  // Observed on the binary: every adapter reports the missing name, exit 6; never an internal error.
  it.each([
    ['mcp', 'tool call name is required'],
    ['openai', 'tool call name is required'],
    ['anthropic', 'tool call name is required'],
    ['langchain', 'tool call name is required'],
    ['claude_code', 'claude code tool call name is required'],
  ])('%s', async (adapter, message) => {
    for (const payload of ['null', ' null\n']) {
      const err = await evaluateToolCall(allow, payload, { adapter }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(GaitError);
      expect((err as GaitError).message).toBe(message);
      expect((err as GaitError).category).toBe('invalid_input');
    }
  });
});

describe('the trace\'s delegation_ref at the boundary (differential run, seed 1796321362 case 1773)', () => {
  it('carries no reason codes, even when the verdict\'s codes start with delegation_ (observed on the binary)', async () => {
    const policy = Gate.fromYaml(engine, 'default_verdict: allow\nrules:\n  - name: r\n    effect: require_approval\n    match:\n      tool_names: [tool.read]\n    reason_codes: [delegation_scopes_matched, other_code]\n');
    const call = { name: 'tool.read', delegation: { requester_identity: 'a', scope_class: 'read', token_refs: ['t1'], chain: [{ delegator_identity: 'x', delegate_identity: 'a' }] } };
    const { trace, output } = await evaluateToolCall(policy, call);
    expect(output.reason_codes).toEqual(['delegation_scopes_matched', 'other_code']);
    expect(trace.delegation_ref).toEqual({
      delegation_token_ref: 't1', requester_identity: 'a', delegation_depth: 1, scope_class: 'read',
      chain_digest: '34e3f2f37c08a197980a7f18cdc2ea4858db9bbbd391801e79d0c35cc5f37e92',
    });
  });
});

describe('toolCallIntent: the mapping (mcp.md §3)', () => {
  it('fills the context defaults and keeps a script\'s steps (dropping the call args)', () => {
    const raw = toolCallIntent(decodeToolCall({ name: ' n ', args: { a: 1 }, script: { steps: [{ name: 'tool.read' }] } }));
    expect(raw.tool_name).toBe('script');
    expect(raw.args!.size).toBe(0);
    expect(raw.script!.steps[0]!.tool_name).toBe('tool.read');
    expect(raw.context).toMatchObject({ identity: 'mcp-proxy', workspace: '.', risk_class: 'high' });
    expect(thrown(() => toolCallIntent(decodeToolCall({ script: { steps: [{ name: 'a' }, { name: ' ' }] } }))).message).toBe('script.steps[1].name is required');
    expect(thrown(() => toolCallIntent(decodeToolCall({ name: ' ' }))).message).toBe('tool call name is required');
  });

  it('legacy target kinds, hint pairs OR-ed and annotation overrides', () => {
    const kind = (target: string) => toolCallIntent(decodeToolCall({ name: 'x', target })).targets[0]?.kind;
    expect([kind('https://a.test/x'), kind('/tmp/a'), kind('api.example.com'), kind('  ')]).toEqual(['url', 'path', 'host', undefined]);
    const t = toolCallIntent(decodeToolCall({
      name: 'x',
      targets: [{ kind: 'path', value: '/a', readOnlyHint: true, destructive_hint: false, annotations: { readOnlyHint: 'false', destructiveHint: ' TRUE ', open_world_hint: 'maybe', openWorldHint: true, discoveryMethod: ' webmcp ' } }],
    })).targets[0]!;
    expect(t).toMatchObject({ read_only_hint: false, destructive_hint: true, open_world_hint: true, idempotent_hint: false, discovery_method: 'webmcp' });
  });

  it('oss-prod requires identity, workspace and session id, in that order', () => {
    const msg = (context: object) => thrown(() => toolCallIntent(decodeToolCall({ name: 'x', context }), 'oss-prod')).message;
    expect(msg({})).toBe('context.identity is required in strict profile');
    expect(msg({ identity: 'a' })).toBe('context.workspace is required in strict profile');
    expect(msg({ identity: 'a', workspace: 'w' })).toBe('context.session_id is required in strict profile');
  });

  it('auth_mode and OAuth evidence go into auth_context', () => {
    const raw = toolCallIntent(decodeToolCall({ name: 'x', context: { auth_mode: ' oauth ', auth_context: { auth_mode: 'old', k: 1 }, oauth_evidence: { issuer: 'i', scopes: [], audience: ['a'] } } }));
    const auth = raw.context.auth_context!;
    expect(auth.get('auth_mode')).toBe('oauth');
    expect(auth.get('k')).toBe(1);
    expect(Object.fromEntries(auth.get('oauth_evidence') as Map<string, unknown>)).toEqual({ issuer: 'i', audience: ['a'] });
  });
});

describe('normalizeRunId (mcp.md §8.2)', () => {
  it('cleans, trims and prefixes', () => {
    expect(normalizeRunId('  my run!! ')).toBe('run_my_run');
    expect(normalizeRunId('Nightly Build #7')).toBe('run_Nightly_Build_7');
    expect(normalizeRunId('run_zz')).toBe('run_zz');
    expect(normalizeRunId(' !! ')).toBe('');
  });
});

describe('evaluateToolCall', () => {
  it('evaluates each adapter\'s payload through the gate (never executing the tool)', async () => {
    const payloads: [string, unknown, string, number][] = [
      ['mcp', { name: 'tool.exec', context: FULL_CONTEXT }, 'block', 3],
      ['openai', { function: { name: 'tool.write', arguments: '{"path":"/tmp/x"}' } }, 'require_approval', 4],
      ['anthropic', { type: 'tool_use', name: 'tool.read', input: { path: '/tmp/a' } }, 'allow', 0],
      ['claude_code', { tool_name: 'Bash', tool_input: { command: 'ls' } }, 'block', 3],
      ['langchain', { tool: 'tool.deploy', tool_input: '' }, 'dry_run', 0],
    ];
    for (const [adapter, payload, verdict, exit] of payloads) {
      const r = await evaluateToolCall(rules, payload as object, { adapter });
      expect(r.output).toMatchObject({ ok: true, executed: false, adapter, verdict });
      expect(r.exit_code).toBe(exit);
      expect(r.trace.verdict).toBe(verdict);
      expect(r.output.trace_id).toBe(r.trace.trace_id);
      expect(r.output.trace_path).toBeUndefined(); // no sink: nothing kept
    }
  });

  it('prints the HTTP key order of mcp.md §10.5', async () => {
    const r = await evaluateToolCall(allow, { name: 'tool.read', context: { ...FULL_CONTEXT, job_id: 'j1' } }, { traceSink: () => 'mem://t', readJobState: async () => ({ status: 'running', stop_reason: '' }) });
    const order = ['ok', 'executed', 'adapter', 'run_id', 'job_id', 'phase', 'session_id', 'tool_name', 'verdict', 'reason_codes', 'violations', 'policy_digest', 'policy_id', 'policy_version', 'matched_rule_ids', 'intent_digest', 'decision_latency_ms', 'trace_id', 'trace_path', 'log_export', 'otel_export', 'mcp_trust', 'warnings', 'relationship'];
    const keys = Object.keys(r.output);
    expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    expect(r.output.trace_path).toBe('mem://t');
    expect(r.output.warnings).toEqual([DEV_MODE_WARNING]);
    expect(Object.keys(r.output.relationship!)).toEqual(['parent_ref', 'entity_refs', 'policy_ref', 'agent_chain', 'edges', 'related_entity_ids']);
  });

  it('signs with the given key (no dev warning) and hands the trace to the sink before answering', async () => {
    const keys = generateKeyPair();
    let kept: TraceRecord | undefined;
    const r = await evaluateToolCall(allow, '{"name":"tool.read"}', { signingKey: keys.privateKey, traceSink: (t) => void (kept = t) });
    expect(kept).toBe(r.trace);
    expect((await verifyTrace(r.trace, keys.publicKey)).ok).toBe(true);
    expect(r.output.warnings).toEqual([STANDARD_PROFILE_WARNING]);
  });

  it('never answers when the trace cannot be kept, nor for bad input', async () => {
    const sinkFails = evaluateToolCall(allow, { name: 'tool.read' }, { traceSink: () => { throw new GaitError('disk full', 'io_failure'); } });
    expect((await rejected(sinkFails)).message).toBe('disk full');
    let sunk = false;
    const bad = await rejected(evaluateToolCall(allow, '{"name":5}', { traceSink: () => void (sunk = true) }));
    expect(bad.message).toBe('parse mcp tool call: json: cannot unmarshal number into Go struct field ToolCall.name of type string');
    expect(sunk).toBe(false);
    expect((await rejected(evaluateToolCall(allow, { name: 'x' }, { profile: 'oss-prod' }))).message).toBe('oss-prod profile requires --key-mode prod');
    expect((await rejected(evaluateToolCall(allow, { name: 'x' }, { profile: 'weird' }))).message).toBe('unsupported --profile value "weird" (expected standard or oss-prod)');
    expect((await rejected(evaluateToolCall(allow, { name: 'x', context: { auth_mode: 'basic' } }))).message).toBe('context.auth_mode must be one of off|none|token|oauth|oauth_dcr');
  });

  it('blocks a fail-closed call whose intent cannot be normalized (decision 2)', async () => {
    const gate = Gate.fromYaml(engine, FAIL_CLOSED);
    const r = await evaluateToolCall(gate, { name: 'tool.read', targets: [{ kind: 'planet', value: 'x' }] });
    expect(r.output.verdict).toBe('block');
    expect(r.exit_code).toBe(3);
    expect(r.output.reason_codes).toContain('fail_closed_intent_invalid');
    expect(r.output.run_id).toBe(`run_mcp_${r.output.trace_id!.slice(0, 12)}`);
    // Outside fail-closed it is invalid input, as in Gait.
    expect((await rejected(evaluateToolCall(allow, { name: 'tool.read', targets: [{ kind: 'planet', value: 'x' }] }))).message).toBe('normalize intent: unsupported target kind: planet');
  });

  it('the call\'s own context envelope path: refused without a loader, and when the boundary has one', async () => {
    const call = { name: 'x', context: { context_envelope_path: 'env.json' } };
    expect((await rejected(evaluateToolCall(allow, call))).message).toBe('call.context.context_envelope_path is not supported; use --context-envelope at the boundary');
    const loader = async () => { throw new Error('not reached'); };
    expect((await rejected(evaluateToolCall(allow, call, { callEnvelopePath: loader, contextEnvelope: '{}' }))).message)
      .toBe('context envelope is already configured at the boundary; remove call.context.context_envelope_path');
  });

  describe('emergency stop (job state port)', () => {
    const call = { name: 'tool.read', context: { ...FULL_CONTEXT, job_id: 'job-1' } };
    it('no port: blocked as unavailable', async () => {
      const r = await evaluateToolCall(allow, call);
      expect(r.output).toMatchObject({ verdict: 'block', reason_codes: ['default_allow', 'emergency_stop_state_unavailable'], violations: ['emergency_stop_active'] });
      expect(r.output.warnings).toContain('job_status_unavailable=job state unavailable');
      expect(r.trace.verdict).toBe('block');
    });
    it('a port that fails, or a bad job id: blocked with the reason', async () => {
      const r = await evaluateToolCall(allow, call, { readJobState: () => Promise.reject(new Error('job not found')) });
      expect(r.output.warnings).toContain('job_status_unavailable=job not found');
      const bad = await evaluateToolCall(allow, { ...call, context: { ...call.context, job_id: '../x' } }, { readJobState: async () => ({ status: 'running', stop_reason: '' }) });
      expect(bad.output.verdict).toBe('block');
      expect(bad.output.warnings).toContain('job_status_unavailable=job_id must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$');
    });
    it('an emergency-stopped job preempts; a running one does not', async () => {
      const stopped = await evaluateToolCall(allow, call, { readJobState: async () => ({ status: 'emergency_stopped', stop_reason: 'emergency_stopped' }) });
      expect(stopped.output).toMatchObject({ verdict: 'block', reason_codes: ['default_allow', 'emergency_stop_preempted'], violations: ['emergency_stop_active'] });
      const running = await evaluateToolCall(allow, call, { readJobState: async () => ({ status: 'running', stop_reason: '' }) });
      expect(running.output.verdict).toBe('allow');
    });
  });

  it('exports one log line and one OTel line through the ports, after the trace', async () => {
    const lines: Record<string, string[]> = { log: [], otel: [] };
    const target = (name: string, kind: 'log' | 'otel'): McpExportTarget => ({ name, append: (l) => void lines[kind]!.push(l) });
    const r = await evaluateToolCall(rules, { name: 'tool.read', context: FULL_CONTEXT, delegation: { requester_identity: 'alice', token_refs: ['d1'], chain: [{ delegator_identity: 'lead', delegate_identity: 'alice' }] } }, {
      traceSink: () => 'out/t.json',
      exports: { log: target('events.jsonl', 'log'), otel: target('otel.jsonl', 'otel') },
    });
    expect(r.output.log_export).toBe('events.jsonl');
    expect(r.output.otel_export).toBe('otel.jsonl');
    const log = JSON.parse(lines['log']![0]!);
    expect(log).toMatchObject({ trace_id: r.output.trace_id, trace_path: 'out/t.json', run_id: r.output.run_id, delegation_ref: 'd1', delegation_depth: 1, verdict: 'allow' });
    expect(JSON.parse(lines['otel']![0]!)).toMatchObject({ trace_id: r.output.trace_id, body: 'gait.mcp.proxy.decision' });
    // An export that fails fails the call.
    const failing: McpExportTarget = { name: 'x', append: () => { throw new GaitError('append export file: nope', 'io_failure'); } };
    expect((await rejected(evaluateToolCall(allow, { name: 'tool.read' }, { exports: { log: failing } }))).message).toBe('append export file: nope');
  });

  it('run id: override, then the call\'s context.run_id, then the intent digest', async () => {
    const r1 = await evaluateToolCall(allow, { name: 'tool.read', context: { run_id: 'ctx run' } }, { runId: ' my run!! ' });
    expect(r1.output.run_id).toBe('run_my_run');
    const r2 = await evaluateToolCall(allow, { name: 'tool.read', context: { run_id: 'ctx run' } });
    expect(r2.output.run_id).toBe('run_ctx_run');
    const r3 = await evaluateToolCall(allow, { name: 'tool.read' });
    expect(r3.output.run_id).toBe(`run_mcp_${r3.output.intent_digest!.slice(0, 12)}`);
    // From the call's own intent, before the gate strips the unverified claim (Gait v1.3.6's value).
    const r4 = await evaluateToolCall(allow, { name: 'tool.read', context: { auth_context: { context_age_seconds: 5, x: 1 } } });
    expect(r4.output.run_id).toBe('run_mcp_ff6870a592d8');
    expect(r4.output.intent_digest!.slice(0, 12)).toBe('19341872921b');
  });
});
