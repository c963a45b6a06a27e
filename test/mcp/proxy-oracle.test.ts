// `gait mcp proxy` against Gait v1.3.6 itself, beyond the recorded fixtures: every call file of the
// fixture folder through every adapter, and hand-made payloads (Go decoding corners, hints, OAuth,
// scripts, delegation, run ids). Same exit code and same JSON, correlation_id and latency aside.
// Runs only with the oracle (GAIT_ORACLE, or ../shared/oracle/gait beside the repo); skipped otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';
import { copyMcpFixtures, runGaitIn } from './fixture-cases.js';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);

const ADAPTERS = ['mcp', 'openai', 'anthropic', 'claude_code', 'langchain'];

/** Hand-made payloads: [name, adapter, payload text, extra flags]. */
const PAYLOADS: [string, string, string, string[]][] = [
  ['hints_pairs', 'mcp', '{"name":"tool.write","targets":[{"kind":"path","value":"/a","operation":"write","read_only_hint":true,"readonlyhint":false,"annotations":{"discovery_method":5,"discoveryMethod":" dynamic_mcp ","idempotentHint":"True","open_world_hint":"nah","openWorldHint":false}}]}', []],
  ['oauth_mode_from_auth_context', 'mcp', '{"name":"tool.read","context":{"identity":"a","workspace":"w","session_id":"s","auth_context":{"oauth_mode":" OAUTH ","oauth_evidence":{"issuer":"i"}}}}', ['--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', '../scenarios/keys/approval_private.key']],
  ['oauth_full_bad_time', 'mcp', '{"name":"tool.read","context":{"identity":"a","workspace":"w","session_id":"s","auth_mode":"oauth","oauth_evidence":{"issuer":"i","audience":["x"],"subject":"s","client_id":"c","token_type":"bearer","scopes":["r"],"redirect_uri":"u","evidence_ref":"e","auth_time":"yesterday"}}}', ['--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', '../scenarios/keys/approval_private.key']],
  ['oauth_full_ok', 'mcp', '{"name":"tool.read","context":{"identity":"a","workspace":"w","session_id":"s","auth_mode":"oauth","oauth_evidence":{"issuer":"i","audience":["x"],"subject":"s","client_id":"c","token_type":"bearer","scopes":["r"],"redirect_uri":"u","evidence_ref":"e","auth_time":"2026-01-01T00:00:00Z"}}}', ['--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', '../scenarios/keys/approval_private.key']],
  ['auth_mode_token', 'mcp', '{"name":"tool.read","context":{"auth_mode":" Token ","auth_context":{"auth_mode":"x","k":[1,{"b":null}]},"credential_scopes":["b","a"],"environment_fingerprint":" fp ","request_id":" r ","phase":" PLAN "}}', []],
  ['script_with_targets', 'mcp', '{"name":"ignored","args":{"a":1},"targets":[{"kind":"host","value":"api.external.com"}],"script":{"steps":[{"name":"tool.read","args":{"path":"/x"},"targets":[{"kind":"path","value":"/x","operation":"read"}],"arg_provenance":[{"arg_path":" path ","source":" user "}]},{"name":"tool.write","targets":[{"kind":"path","value":"/y","operation":"write"}]}]}}', []],
  ['script_empty_steps', 'mcp', '{"name":"tool.read","script":{"steps":[]}}', []],
  ['delegation_untrimmed_refs', 'mcp', '{"name":"tool.read","context":{"session_id":"s"},"delegation":{"requester_identity":" r ","token_refs":[" t2 ","t1"],"chain":[{"delegator_identity":"a","delegate_identity":""},{"delegator_identity":"b","delegate_identity":"c","token_ref":"x"}]}}', ['--export-log-out', 'out/e.jsonl', '--export-otel-out', 'out/o.jsonl']],
  ['created_at_offset', 'mcp', '{"name":"tool.read","created_at":"2026-03-01T10:00:00.123456789+02:00"}', []],
  ['run_id_context', 'mcp', '{"name":"tool.read","context":{"run_id":" ctx/run #1 "}}', []],
  ['run_id_flag_blank', 'mcp', '{"name":"tool.read","context":{"run_id":"ctx"}}', ['--run-id', ' !! ']],
  ['duplicate_keys', 'mcp', '{"name":"a","Name":"tool.read","args":{"x":1},"args":{"y":2}}', []],
  ['null_everything', 'mcp', '{"name":"tool.read","args":null,"targets":null,"context":null,"delegation":null,"script":null,"server":null,"created_at":null}', []],
  ['args_huge_number', 'mcp', '{"name":"tool.read","args":{"n":1e400}}', []],
  ['deep_string_escape', 'mcp', '{"name":"tool.r\\u0065ad","args":{"s":"<&>\\u2028"}}', []],
  ['openai_args_object_string_mix', 'openai', '{"function":{"name":"Tool.Write","arguments":"{\\"path\\":\\"/tmp/x\\",\\"n\\":1.50}"},"type":"function"}', []],
  ['openai_function_string', 'openai', '{"function":"x"}', []],
  ['openai_args_false', 'openai', '{"function":{"name":"x","arguments":false}}', []],
  ['anthropic_input_null', 'anthropic', '{"name":"tool.exec","input":null}', []],
  ['claude_webfetch_uri_number_url', 'claude_code', '{"tool_name":"WebFetch","tool_input":{"url":5,"uri":" https://api.external.com/x "}}', []],
  ['claude_input_fallback_string', 'claude_code', '{"name":"Write","input":"{\\"file_path\\":\\"/tmp/w\\"}","session_id":"abc","hook_event_name":" PreToolUse "}', []],
  ['claude_notebook_path', 'claude_code', '{"tool_name":"NotebookEdit","tool_input":{"notebook_path":"/n.ipynb"}}', []],
  ['claude_task_prompt', 'claude_code', '{"tool_name":"task","tool_input":{"prompt":"do it"}}', []],
  ['langchain_tool_input_number', 'langchain', '{"tool":"tool.read","tool_input":5}', []],
  ['langchain_tool_input_null_string', 'langchain', '{"tool":"tool.read","tool_input":"null"}', []],
  ['adapter_mixed_case', ' LangChain ', '{"tool":"tool.read"}', []],
  ['claims_in_auth_context', 'mcp', '{"name":"tool.read","context":{"auth_context":{"context_age_seconds":5,"x":1}}}', []],
  ['job_id_bad', 'mcp', '{"name":"tool.read","context":{"job_id":"../x"}}', []],
  ['job_state_stopped', 'mcp', '{"name":"tool.read","context":{"job_id":"job-stopped"}}', []],
];

const fixtureDir = ORACLE ? copyMcpFixtures() : '';
afterAll(() => {
  if (fixtureDir) rmSync(path.dirname(fixtureDir), { recursive: true, force: true });
});

function oracle(args: string[]): { exit: number; stdout: string } {
  const r = spawnSync(ORACLE!, args, { cwd: fixtureDir, encoding: 'utf8' });
  return { exit: r.status ?? -1, stdout: r.stdout };
}

function comparable(stdout: string): unknown {
  try {
    const v = JSON.parse(stdout) as Record<string, unknown>;
    delete v['correlation_id'];
    delete v['decision_latency_ms'];
    return v;
  } catch {
    return stdout;
  }
}

async function compare(label: string, args: string[]): Promise<void> {
  const outDir = path.join(fixtureDir, 'out');
  rmSync(outDir, { recursive: true, force: true });
  const want = oracle(args);
  expect(want.stdout, label).not.toBe('');
  rmSync(outDir, { recursive: true, force: true });
  const got = await runGaitIn(fixtureDir, args);
  expect(comparable(got.stdout), label).toEqual(comparable(want.stdout));
  expect(got.exit, label).toBe(want.exit);
}

describe.skipIf(!ORACLE)('mcp proxy against the Gait oracle', () => {
  it('every fixture call file through every adapter', async () => {
    for (const adapter of ADAPTERS) {
      for (const sub of readdirSync(path.join(fixtureDir, 'calls'))) {
        for (const file of readdirSync(path.join(fixtureDir, 'calls', sub))) {
          const call = `calls/${sub}/${file}`;
          if (call === 'calls/mcp/context_envelope_path.json' && adapter !== 'mcp') continue;
          await compare(`${adapter} ${call}`, ['mcp', 'proxy', '--policy', 'policies/rules.yaml', '--call', call, '--adapter', adapter, '--trace-out', 'out/t.json', '--json']);
        }
      }
    }
  }, 600_000);

  it('hand-made payloads', async () => {
    // An emergency-stopped job in the job root (Gait's runtime state file).
    mkdirSync(path.join(fixtureDir, 'jobs', 'job-stopped'), { recursive: true });
    writeFileSync(path.join(fixtureDir, 'jobs', 'job-stopped', 'state.json'), JSON.stringify({ job_id: 'job-stopped', status: 'emergency_stopped', stop_reason: 'emergency_stopped' }));
    for (const [name, adapter, payload, extra] of PAYLOADS) {
      writeFileSync(path.join(fixtureDir, 'payload.json'), payload);
      for (const policy of ['policies/allow.yaml', 'policies/rules.yaml']) {
        await compare(`${name} ${policy}`, ['mcp', 'proxy', '--policy', policy, '--call', 'payload.json', '--adapter', adapter, '--job-root', 'jobs', '--trace-out', 'out/t.json', ...extra, '--json']);
      }
    }
  }, 600_000);

  it('a boundary context envelope (--context-envelope) binds like gate eval', async () => {
    const policy = 'default_verdict: block\nrules:\n  - name: allow-with-context-proof\n    priority: 10\n    effect: allow\n    require_context_evidence: true\n    max_context_age_seconds: 30\n    match:\n      tool_names: [tool.write]\n';
    writeFileSync(path.join(fixtureDir, 'ctx.yaml'), policy);
    writeFileSync(path.join(fixtureDir, 'ctx_fail_closed.yaml'), policy.replace('rules:', 'fail_closed:\n  enabled: true\n  risk_classes: [high]\nrules:'));
    // Retrieved in the future: age 0 on both sides, so digests compare.
    const rec = (ref: string) => ({ ref_id: ref, source_type: 'doc', source_locator: 'file:///a', query_digest: 'a'.repeat(64), content_digest: 'b'.repeat(64), retrieved_at: '2099-01-01T00:00:00Z', redaction_mode: 'none' });
    writeFileSync(path.join(fixtureDir, 'envelope.json'), JSON.stringify({ context_set_id: 'set-1', evidence_mode: 'required', records: [rec('r2'), rec('r1')] }));
    writeFileSync(path.join(fixtureDir, 'bad_envelope.json'), '{"context_set_id":');
    const call = (context: Record<string, unknown>) => JSON.stringify({ name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }], context: { identity: 'alice', workspace: '/repo', risk_class: 'high', ...context } });
    const calls: [string, string][] = [['plain', call({})], ['claims_disagree', call({ auth_context: { context_set_digest: 'f'.repeat(64) } })]];
    for (const [name, payload] of calls) {
      writeFileSync(path.join(fixtureDir, 'payload.json'), payload);
      for (const pol of ['ctx.yaml', 'ctx_fail_closed.yaml']) {
        for (const env of [[], ['--context-envelope', 'envelope.json'], ['--context-envelope', 'bad_envelope.json']]) {
          await compare(`${name} ${pol} ${env.join(' ')}`, ['mcp', 'proxy', '--policy', pol, '--call', 'payload.json', ...env, '--trace-out', 'out/t.json', '--json']);
        }
      }
    }
  }, 600_000);
});
