// `gait mcp serve` against Gait v1.3.6 itself, beyond SERVE_EXPECTED.jsonl: the same requests
// (decoder corners, content types, methods and paths, body limits, auth, strict statuses, adapters)
// go to Gait's server and to ours, each started with the same flags in its own copy of the fixture
// folder. Status, content type, Cache-Control, Location and the body must match byte for byte after
// the fixture README's normalizations (latency removed, trace timestamps masked) and with Gait's
// `session_journal=` warning removed (session journals are not implemented, mcp.md §13).
// Runs only with the oracle (GAIT_ORACLE, or ../shared/oracle/gait beside the repo); skipped otherwise.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';
import { runMcpServe } from '../../bindings/cli/mcp-serve.js';
import type { NodeFetchServer } from '../../bindings/mcp/serve-node.js';
import { copyMcpFixtures } from './fixture-cases.js';
import { freePort } from '../runtimes/runtimes.mjs';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);

type Req = { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer };
const JSON_CT = { 'Content-Type': 'application/json' };
const post = (body: string | Buffer, headers: Record<string, string> = JSON_CT, p = '/v1/evaluate'): Req => ({ method: 'POST', path: p, headers, body });
const READ = '{"name":"tool.read","args":{"path":"/tmp/in.txt"},"targets":[{"kind":"path","value":"/tmp/in.txt","operation":"read"}]}';

const COMMON: Array<[string, Req]> = [
  ['head_healthz', { method: 'HEAD', path: '/healthz' }],
  ['options_evaluate', { method: 'OPTIONS', path: '/v1/evaluate' }],
  ['put_sse', { method: 'PUT', path: '/v1/evaluate/sse' }],
  ['healthz_query', { method: 'GET', path: '/healthz?x=1' }],
  ['healthz_escaped', { method: 'GET', path: '/healt%68z' }],
  ['double_slash_get', { method: 'GET', path: '//healthz' }],
  ['double_slash_post', post('{}', JSON_CT, '//v1/evaluate?a=1')],
  ['dot_segment_redirect', { method: 'GET', path: '/v1/./healthz/' }],
  ['dot_dot_segment_redirect', { method: 'GET', path: '/v1/../healthz' }],
  ['slash_root', { method: 'GET', path: '/' }],
  ['number_body', post('123')],
  ['array_body', post('[]')],
  ['null_body', post('null')],
  ['string_body', post('"x"')],
  ['call_null', post('{"call":null}')],
  ['call_array', post('{"call":[]}')],
  ['run_id_number', post('{"run_id":5,"policy":1}')],
  ['unknown_then_type', post('{"call":{"name":"a"},"policy":1,"run_id":5}')],
  ['unknown_nested_ok', post('{"call":{"name":"tool.read","whatever":{"x":1}}}')],
  ['checkpoint_float', post('{"checkpoint_interval":1.5,"call":{"name":"a"}}')],
  ['checkpoint_string', post('{"checkpoint_interval":"1","call":{"name":"a"}}')],
  ['checkpoint_int', post('{"checkpoint_interval":3,"call":{"name":"tool.read"}}')],
  ['emit_runpack_no_dir', post('{"emit_runpack":true,"call":{"name":"tool.read"}}')],
  ['emit_pack_string', post('{"emit_pack":"yes","call":{"name":"a"}}')],
  ['huge_number', post('{"call":{"name":"a","x":{"y":1e400}}}')],
  ['dup_request_keys', post('{"run_id":"a","RUN_ID":"b","call":{"name":"tool.read"},"call":{"name":"tool.exec"}}')],
  ['case_variant_call_keys', post('{"call":{"name":"tool.read","NAME":"tool.exec","Args":{"a":1}}}')],
  ['trailing_object', post(`{"call":${READ}} {}`)],
  ['trailing_garbage', post(`{"call":${READ}}x`)],
  ['trailing_ws', post(`{"call":${READ}} \n\t `)],
  ['leading_ws', post(` \n{"call":${READ}}`)],
  ['bom', post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"call":${READ}}`)]))],
  ['invalid_utf8_in_string', post(Buffer.concat([Buffer.from('{"call":{"name":"tool.'), Buffer.from([0xff]), Buffer.from('x"}}')]))],
  ['escapes', post('{"call":{"name":"tool.r\\u0065ad","args":{"s":"<&>\\u2028\\ud800"}},"run_id":"\\u00e9t\\u00e9"}')],
  ['html_in_error', post('{"adapter":"<x>","call":{"name":"a"}}')],
  ['line_separator_name', post('{"call":{"name":"tool.a\\u2028b<c"}}')],
  ['line_separator_name_sse', post('{"call":{"name":"tool.a\\u2028b<c"}}', JSON_CT, '/v1/evaluate/sse')],
  ['html_sse', post('{"call":{"name":"tool.<b>&"}}', JSON_CT, '/v1/evaluate/sse')],
  ['sse_error', post('{"call":{}}', JSON_CT, '/v1/evaluate/sse')],
  ['stream_block', post('{"call":{"name":"tool.exec","args":{"command":"ls"}}}', JSON_CT, '/v1/evaluate/stream')],
  ['deep_args_100', post(`{"call":{"name":"tool.read","args":{"x":${'['.repeat(100)}${']'.repeat(100)}}}}`)],
  ['truncated', post('{"call":{"name":"x"')],
  ['truncated_string', post('{"call":{"name":"x')],
  ['empty', post('')],
  ['blank', post('  \n')],
  ['bad_literal', post('{"call":tru}')],
  ['ct_none_bytes', post(`{"call":${READ}}`, {})],
  ['ct_blank', post(`{"call":${READ}}`, { 'Content-Type': ' ' })],
  ['ct_upper_params', post(`{"call":${READ}}`, { 'Content-Type': 'APPLICATION/JSON ; Charset="utf-8"' })],
  ['ct_trailing_semicolon', post(`{"call":${READ}}`, { 'Content-Type': 'application/json;' })],
  ['ct_double_semicolon', post(`{"call":${READ}}`, { 'Content-Type': 'application/json;;' })],
  ['ct_param_no_value', post(`{"call":${READ}}`, { 'Content-Type': 'application/json; charset' })],
  ['ct_dup_same', post(`{"call":${READ}}`, { 'Content-Type': 'application/json; a=1; A=1' })],
  ['ct_dup_diff', post(`{"call":${READ}}`, { 'Content-Type': 'application/json; a=1; a=2' })],
  ['ct_quoted_open', post(`{"call":${READ}}`, { 'Content-Type': 'application/json; a="x' })],
  ['ct_quoted_escape', post(`{"call":${READ}}`, { 'Content-Type': 'application/json; a="x\\"y"' })],
  ['ct_rfc2231', post(`{"call":${READ}}`, { 'Content-Type': "application/json; a*=utf-8''x; a*0=y" })],
  ['ct_star', post(`{"call":${READ}}`, { 'Content-Type': 'application/*' })],
  ['ct_no_subtype', post(`{"call":${READ}}`, { 'Content-Type': 'application/' })],
  ['ct_bare', post(`{"call":${READ}}`, { 'Content-Type': 'json' })],
  ['ct_jsonx', post(`{"call":${READ}}`, { 'Content-Type': 'application/json+x' })],
  ['adapter_upper_openai', post('{"adapter":" OpenAI ","call":{"function":{"name":"tool.write","arguments":"{\\"path\\":\\"/tmp/o\\"}"}}}')],
  ['adapter_langchain', post('{"adapter":"langchain","call":{"tool":"tool.exec","tool_input":"{\\"cmd\\":\\"ls\\"}"}}')],
  ['adapter_claude_dash', post('{"adapter":"claude-code","call":{"tool_name":"Read","tool_input":{"file_path":"/etc/passwd"}}}')],
  ['adapter_mismatch', post('{"adapter":"openai","call":{"name":"tool.read"}}')],
  ['trace_path_blank', post(`{"call":${READ},"trace_path":"   "}`)],
  ['trace_path_set', post(`{"call":${READ},"trace_path":"out/x.json"}`)],
  ['runpack_out_blank', post(`{"call":${READ},"runpack_out":" "}`)],
  ['pack_then_bad_call', post('{"call":{"name":"a","created_at":"bad"},"pack_out":"p"}')],
  ['emit_pack', post(`{"call":${READ},"emit_pack":true}`)],
  ['journal_no_session', post(`{"call":${READ},"session_journal":"out/j.jsonl"}`)],
  ['journal_request_session', post(`{"call":${READ},"session_id":"s1","session_journal":"out/j.jsonl"}`)],
  ['request_session_id', post(`{"call":${READ},"session_id":"  a/b c  ","run_id":" R 2 "}`)],
  ['call_session_id', post('{"call":{"name":"tool.write","targets":[{"kind":"path","value":"/repo/x","operation":"write"}],"context":{"session_id":"s-2","identity":"i","workspace":"w"}}}')],
  ['job_id_missing_state', post('{"call":{"name":"tool.read","context":{"job_id":"job-1"}}}')],
  ['job_id_bad', post('{"call":{"name":"tool.read","context":{"job_id":"../x"}}}')],
  ['envelope_path_refused', post('{"call":{"name":"tool.read","context":{"context_envelope_path":"x.json"}}}')],
  ['script_call', post('{"call":{"name":"x","script":{"steps":[{"name":"tool.read"},{"name":"tool.deploy"}]}}}')],
  ['script_step_no_name', post('{"call":{"script":{"steps":[{"name":" "}]}}}')],
  ['planet_target', post('{"call":{"name":"tool.read","targets":[{"kind":"planet","value":"x"}]}}')],
  ['dry_run', post('{"call":{"name":"tool.deploy"}}')],
  ['url_target', post('{"call":{"name":"tool.fetch","target":"https://api.external.com/v1"}}')],
];

const STRICT: Array<[string, Req]> = [
  ['allow', post(`{"call":${READ}}`)],
  ['block', post('{"call":{"name":"tool.exec"}}')],
  ['approval_sse', post('{"call":{"name":"tool.write","targets":[{"kind":"path","value":"/a","operation":"write"}]}}', JSON_CT, '/v1/evaluate/sse')],
  ['dry_run_stream', post('{"call":{"name":"tool.deploy"}}', JSON_CT, '/v1/evaluate/stream')],
  ['error', post('{"call":{}}')],
];

const TOKEN: Array<[string, Req]> = [
  ['none', post(`{"call":${READ}}`)],
  ['lower_bearer', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'bearer tok-1' })],
  ['two_spaces', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'Bearer  tok-1 ' })],
  ['just_bearer', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'Bearer' })],
  ['prefix', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'Bearer tok-' })],
  ['longer', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'Bearer tok-12' })],
  ['ok_bad_ct', post('x', { 'Content-Type': 'text/plain', Authorization: 'Bearer tok-1' })],
  ['ok', post(`{"call":${READ}}`, { ...JSON_CT, Authorization: 'Bearer tok-1' })],
  ['get_no_auth', { method: 'GET', path: '/v1/evaluate' }],
];

// A 40-byte limit: bodies around it, in every shape.
const SMALL: Array<[string, Req]> = [
  ['fits', post('{"call":{"name":"tool.read"}}')],
  ['fits_ws', post('{"call":{"name":"tool.read"}}' + ' '.repeat(11))],
  ['ws_over', post('{"call":{"name":"tool.read"}}' + ' '.repeat(12))],
  ['object_over', post('{"call":{"name":"tool.read","args":{"a":1}}}')],
  ['syntax_before_limit', post('{"call":{"name":"tool.read"},x' + ' '.repeat(40))],
  ['unknown_after_limit', post('{"call":{"name":"tool.r"},"x":1,"zzzzzzzzzzzzzzzzzzzzz":1}')],
  ['number_at_limit', post(' '.repeat(37) + '123')],
  ['number_over', post(' '.repeat(38) + '123')],
  ['spaces_only_over', post(' '.repeat(60))],
  ['string_over', post(' '.repeat(38) + '"abc"')],
  ['trailing_over', post('{"call":{"name":"tool.read"}}' + ' '.repeat(5) + '{}' + ' '.repeat(20))],
  ['multibyte_over', post('{"call":{"name":"tool.' + 'é'.repeat(20) + '"}}')],
];

const TRUST_CALL = (id: string, risk: string) => `{"call":{"name":"tool.read","server":{"server_id":"${id}","publisher":"acme"},"context":{"identity":"a","workspace":"w","risk_class":"${risk}"}}}`;

const PATHS: Array<[string, Req]> = [
  ['trace_path_allowed', post(`{"call":${READ},"trace_path":" out/mine.json "}`)],
  ['trace_path_dotdot', post(`{"call":${READ},"trace_path":"../x.json"}`)],
  ['trace_path_root', post(`{"call":${READ},"trace_path":"/"}`)],
  ['trace_path_dir', post(`{"call":${READ},"trace_path":"out"}`)],
  ['envelope_path_missing', post('{"call":{"name":"tool.read","context":{"context_envelope_path":"out/none.json"}}}')],
  ['envelope_path_escapes', post('{"call":{"name":"tool.read","context":{"context_envelope_path":"../x.json"}}}')],
  ['journal_without_session', post(`{"call":${READ},"session_journal":"out/j.jsonl"}`)],
  ['journal_with_session', post(`{"call":${READ},"session_id":"s9","session_journal":"out/j.jsonl"}`)],
  ['trust_low_score_high', post(TRUST_CALL('lowscore', 'high'))],
  ['trust_github_high', post(TRUST_CALL('github', 'high'))],
  ['trust_unknown_low', post(TRUST_CALL('nobody', 'low'))],
  ['trust_unknown_no_risk', post('{"call":{"name":"tool.read","server":{"server_id":"nobody"}}}')],
];

const BAD_DEFAULTS: Array<[string, Req]> = [
  ['default_adapter', post(`{"call":${READ}}`)],
  ['adapter_given', post(`{"adapter":"mcp","call":${READ}}`)],
  ['decode_error_first', post('{"adapter":"mcp","call":{"args":{}}}')],
];

const OSS_PROD: Array<[string, Req]> = [
  ['no_identity', post(`{"call":${READ}}`)],
  ['full_context', post('{"call":{"name":"tool.read","context":{"identity":"i","workspace":"w","session_id":"s"}}}')],
];

const SERVERS: Array<[string, string[], Record<string, string>, Array<[string, Req]>]> = [
  ['common', ['--policy', 'policies/rules.yaml', '--trace-dir', 'out/t', '--session-dir', 'out/s', '--job-root', 'out/jobs'], {}, COMMON],
  ['strict', ['--policy', 'policies/rules.yaml', '--http-verdict-status', 'strict', '--trace-dir', 'out/st', '--session-dir', 'out/ss'], {}, STRICT],
  ['token', ['--policy', 'policies/allow.yaml', '--auth-mode', 'token', '--auth-token-env', 'GAIT_SERVE_ORACLE_TOKEN', '--trace-dir', 'out/tt', '--session-dir', 'out/ts'], { GAIT_SERVE_ORACLE_TOKEN: ' tok-1 ' }, TOKEN],
  ['small', ['--policy', 'policies/allow.yaml', '--max-request-bytes', '40', '--trace-dir', 'out/mt', '--session-dir', 'out/ms'], {}, SMALL],
  ['paths_trust_exports', ['--policy', 'policies/trust_block.yaml', '--allow-client-artifact-paths', '--trace-dir', 'out/pt', '--session-dir', 'out/ps', '--export-log-out', 'out/e/log.jsonl', '--export-otel-out', 'out/e/otel.jsonl'], {}, PATHS],
  ['bad_adapter', ['--policy', 'policies/allow.yaml', '--adapter', 'nope', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, BAD_DEFAULTS],
  ['bad_profile', ['--policy', 'policies/allow.yaml', '--profile', ' Loose ', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, BAD_DEFAULTS],
  ['missing_policy', ['--policy', 'policies/none.yaml', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, BAD_DEFAULTS],
  ['missing_policy_bad_profile', ['--policy', 'policies/none.yaml', '--profile', 'loose', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, BAD_DEFAULTS],
  ['missing_policy_oss_prod', ['--policy', 'policies/none.yaml', '--profile', 'oss-prod', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, [...BAD_DEFAULTS, ...OSS_PROD]],
  ['prod_key_missing', ['--policy', 'policies/allow.yaml', '--key-mode', 'prod', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, BAD_DEFAULTS],
  ['oss_prod_dev_key', ['--policy', 'policies/allow.yaml', '--profile', 'oss-prod', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, OSS_PROD],
  ['oss_prod_prod_key', ['--policy', 'policies/allow.yaml', '--profile', 'oss-prod', '--key-mode', 'prod', '--private-key', '../scenarios/keys/approval_private.key', '--trace-dir', 'out/bt', '--session-dir', 'out/bs'], {}, OSS_PROD],
];


interface Answer { status: number; type: string | undefined; cache: string | undefined; location: string | undefined; body: string }

function send(port: number, r: Req): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body);
    const headers = { ...(r.headers ?? {}), ...(body ? { 'Content-Length': String(body.length) } : {}) };
    const req = httpRequest({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        type: res.headers['content-type'],
        cache: res.headers['cache-control'] as string | undefined,
        location: res.headers['location'] as string | undefined,
        body: Buffer.concat(chunks).toString('utf8'),
      }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Expected difference: a fetch Request's URL has its dot segments resolved by the WHATWG URL
 * parser before any handler sees it, so where Gait's mux redirects `/v1/../healthz` (307) we serve
 * the resolved path directly: the answer Gait's client gets after following the redirect.
 */
const DOT_SEGMENTS = new Set(['dot_segment_redirect', 'dot_dot_segment_redirect']);

/**
 * Expected differences, each with its reason:
 * - trace_path_dir: both refuse a directory as the trace path (400 `write trace record: …`); Gait's
 *   text names a random temp file from its failed rename, ours says what the path is.
 * - journal_with_session: Gait writes the requested journal (200); journals are not implemented
 *   here, so the request is refused (400) rather than half-served.
 */
const DIFFERENT: Record<string, (gait: Answer, ours: Answer) => void> = {
  trace_path_dir: (gait, ours) => {
    expect([gait.status, ours.status]).toEqual([400, 400]);
    expect(gait.body).toMatch(/^\{"error":"write trace record: rename temp file: /);
    expect(ours.body).toBe('{"error":"write trace record: out is a directory, not a regular file; refusing to replace it","ok":false}\n');
  },
  journal_with_session: (gait, ours) => {
    expect(gait.status).toBe(200);
    expect(gait.body).toContain('"session_journal=out/j.jsonl sequence=1"');
    expect([ours.status, ours.body]).toEqual([400, '{"error":"request.session_journal is not supported by this server (session journals are not implemented)","ok":false}\n']);
  },
};

const normalize = (text: string) => text
  .replace(/"decision_latency_ms":\d+,/g, '')
  .replace(/\d{8}T\d{6}\.\d{9}/g, '<TS>')
  .replace(/,"session_journal=[^"]*"/g, '').replace(/"session_journal=[^"]*",?/g, '').replace(/"warnings":\[\],/g, '');

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`oracle exited ${child.exitCode}`);
    try {
      await send(port, { method: 'GET', path: '/healthz' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('oracle did not start');
}

describe.skipIf(!ORACLE)('mcp serve against the Gait oracle', () => {
  const cleanups: Array<() => void | Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const [name, flags, env, requests] of SERVERS) {
    it(`${name}: ${requests.length} requests answer alike`, async () => {
      const refDir = copyMcpFixtures();
      const ourDir = copyMcpFixtures();
      cleanups.push(() => rmSync(path.dirname(refDir), { recursive: true, force: true }), () => rmSync(path.dirname(ourDir), { recursive: true, force: true }));
      const refPort = await freePort();
      const ourPort = await freePort();
      const ref = spawn(ORACLE!, ['mcp', 'serve', ...flags, '--listen', `127.0.0.1:${refPort}`], { cwd: refDir, env: { ...process.env, ...env }, stdio: 'ignore' });
      cleanups.push(() => ref.kill('SIGKILL'));
      await waitForPort(refPort, ref);

      const prev = process.cwd();
      process.chdir(ourDir);
      const abort = new AbortController();
      let listening!: () => void;
      const ready = new Promise<void>((r) => (listening = r));
      const args = [...flags, '--listen', `127.0.0.1:${ourPort}`];
      const done = runMcpServe(
        { io: { stdout: () => undefined, stderr: () => undefined, cwd: ourDir, env: { ...process.env, ...env } }, argv: ['mcp', 'serve', ...args], json: false },
        args, { signal: abort.signal, onListening: listening as (s: NodeFetchServer) => void },
      );
      try {
        await Promise.race([ready, done.then((code) => { throw new Error(`our server exited ${code}`); })]);
        const differences: string[] = [];
        for (const [id, r] of requests) {
          let want = await send(refPort, r);
          if (DOT_SEGMENTS.has(id)) {
            expect(want.status, id).toBe(307);
            want = await send(refPort, { ...r, path: want.location! });
          }
          const got = await send(ourPort, r);
          if (DIFFERENT[id]) {
            DIFFERENT[id](want, got);
            continue;
          }
          const view = (a: Answer) => ({ status: a.status, type: a.type, cache: a.cache, location: a.location, body: normalize(a.body) });
          try {
            expect(view(got)).toEqual(view(want));
          } catch {
            differences.push(`${id}:\n  gait: ${JSON.stringify(view(want))}\n  ours: ${JSON.stringify(view(got))}`);
          }
        }
        expect(differences.join('\n')).toBe('');
      } finally {
        abort.abort();
        await done;
        process.chdir(prev);
      }
    }, 60_000);
  }
});
