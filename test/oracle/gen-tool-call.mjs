// Tool-call generator for the `mcp` scenarios of the differential runner: turns a generated
// (policy, intent) case into what an agent framework would send (spec mcp.md §1–§3): an MCP
// ToolCall or an OpenAI / Anthropic / LangChain / Claude Code payload, with the odd shapes the
// adapters must refuse or normalize, plus an optional MCP trust setup (policy section, snapshot,
// server) and the proxy flags. Every draw comes from the given rng, so a case replays from its seed.

const SERVERS = ['github', 'GitHub', 'files', 'search', 'legacy', 'unknown-srv', ''];
const PUBLISHERS = ['acme', 'Acme', 'evilcorp', ''];
const STATUSES = ['trusted', 'allow', 'pass', 'revoked', 'TRUSTED', ''];
const UPDATED = ['2026-01-01T00:00:00Z', '2020-05-05T10:00:00+02:00', '1999-01-01T00:00:00Z', '', 'not-a-time'];
const CLAUDE_TOOLS = ['Read', 'Bash', 'Write', 'Edit', 'Task', 'WebFetch', 'WebSearch', 'Grep', 'Glob', 'NotebookEdit', 'MultiEdit', 'Web Search', 'Notebook-Edit', 'mcp__github.Create-Issue', 'Custom Action', 'my-tool_x', '  ', 'tool.custom.ACTION'];
const CLAUDE_KEYS = ['path', 'file_path', 'filepath', 'file', 'url', 'uri', 'command', 'cmd', 'script', 'task', 'prompt', 'description', 'notebook_path'];
const CLAUDE_VALUES = ['/tmp/out.txt', 'https://api.external.com/export', 'rm -rf /tmp/x', '  ', 7, { a: 1 }, 'deploy the app'];
const ADAPTER_SPELLINGS = { mcp: ['mcp', 'MCP', ''], openai: ['openai', ' OpenAI '], anthropic: ['anthropic'], langchain: ['langchain', 'LangChain'], claude_code: ['claude_code', 'claude-code', 'Claude-Code', 'claudecode'] };
const HINTS = [['read_only_hint', 'readOnlyHint'], ['destructive_hint', 'destructiveHint'], ['idempotent_hint', 'idempotentHint'], ['open_world_hint', 'openWorldHint']];

export function generateToolCallCase(rng, base) {
  const chance = (p) => rng() < p;
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  let intent;
  try {
    intent = base.intent === null ? {} : JSON.parse(base.intent);
  } catch {
    intent = undefined;
  }
  const adapter = pick(['mcp', 'mcp', 'mcp', 'mcp', 'openai', 'anthropic', 'langchain', 'claude_code', 'claude_code']);
  const files = {};
  let policy = base.policy;
  const flags = ['--adapter', pick(ADAPTER_SPELLINGS[adapter])];
  if (chance(0.03)) flags[1] = pick(['nope', 'mcp2', ' ']);

  let call;
  if (intent === undefined || intent === null || typeof intent !== 'object' || Array.isArray(intent)) {
    call = chance(0.5) ? base.intent ?? '' : pick(['not json', '[]', '{"name":"tool.read"} {}', '', 'null', '{"name":"tool.read","args":"x"}']);
  } else if (adapter === 'mcp') {
    call = mcpCall(intent, { chance, pick });
  } else if (adapter === 'openai') {
    const args = intent.args ?? {};
    const form = pick(['string', 'string', 'object', 'blank', 'null', 'array', 'badjson', 'number-name', 'missing']);
    const fn = { name: intent.tool_name };
    if (form === 'string') fn.arguments = JSON.stringify(args);
    else if (form === 'object') fn.arguments = args;
    else if (form === 'blank') fn.arguments = '  ';
    else if (form === 'null') fn.arguments = null;
    else if (form === 'array') fn.arguments = [1];
    else if (form === 'badjson') fn.arguments = '{"a":';
    else if (form === 'number-name') fn.name = 42;
    call = form === 'missing' ? { id: 'call_1', type: 'function' } : { id: 'call_1', type: 'function', function: fn };
  } else if (adapter === 'anthropic') {
    call = { type: 'tool_use', id: 'toolu_1', name: chance(0.9) ? intent.tool_name : '', input: chance(0.85) ? intent.args ?? {} : pick([JSON.stringify(intent.args ?? {}), null, [1]]) };
  } else if (adapter === 'langchain') {
    call = { tool: chance(0.9) ? intent.tool_name : undefined, tool_input: pick([intent.args ?? {}, JSON.stringify(intent.args ?? {}), '', null, 'ls -la', '"null"', 5]) };
  } else {
    const input = {};
    const keys = CLAUDE_KEYS.filter(() => chance(0.3));
    for (const k of keys) input[k] = pick(CLAUDE_VALUES);
    call = {
      session_id: pick(['sess-1', '  sess 2 ', '', undefined]),
      hook_event_name: pick(['PreToolUse', '', undefined]),
      cwd: '/repo',
      [chance(0.85) ? 'tool_name' : 'name']: pick(CLAUDE_TOOLS),
      [chance(0.85) ? 'tool_input' : 'input']: chance(0.9) ? input : pick([JSON.stringify(input), [1], 'x']),
    };
  }

  // MCP trust: a policy section, a snapshot and a server on the call.
  const trust = adapter === 'mcp' && typeof call === 'object' && chance(0.35) && /default_verdict/.test(policy) && !/mcp_trust/.test(policy);
  if (trust) {
    policy = policy.trimStart().startsWith('{') ? policy : `${policy.replace(/\n*$/, '\n')}${trustSection({ chance, pick })}`;
    files['trust.json'] = trustSnapshot({ chance, pick });
    call.server = { server_id: pick(SERVERS), server_name: pick(['GitHub MCP', '', 'files']), publisher: pick(PUBLISHERS), source: pick(['registry', 'local', '']) };
    if (!call.context || typeof call.context !== 'object') call.context = {};
    if (chance(0.8)) call.context.risk_class = pick(['critical', 'high', 'medium', 'low', 'HIGH']);
  }

  if (chance(0.15)) flags.push('--run-id', pick(['  my run!! ', 'Nightly Build #7', 'run_zz', '___']));
  const prod = chance(0.6);
  if (chance(0.12)) flags.push('--profile', pick(['oss-prod', 'OSS-PROD', 'standard', 'bogus']));
  const exports = chance(0.3);
  if (exports) flags.push('--export-log-out', 'out/log.jsonl', '--export-otel-out', 'out/otel.jsonl');
  const text = typeof call === 'string' ? call : JSON.stringify(call, null, chance(0.5) ? 2 : 0);
  return { ...base, policy, adapter, call: text, files: { ...files, 'call.json': text }, flags, prod, exports, human: chance(0.05) };
}

function mcpCall(intent, { chance, pick }) {
  const call = {};
  const rename = (k) => (chance(0.05) ? k.toUpperCase() : k);
  if ('tool_name' in intent) call[rename('name')] = intent.tool_name;
  if ('args' in intent) call.args = intent.args;
  if (Array.isArray(intent.targets)) call.targets = intent.targets.map((t) => target(t, { chance, pick }));
  else if ('targets' in intent) call.targets = intent.targets;
  if (chance(0.15)) call.target = pick(['https://api.external.com/export', '/tmp/out.txt', 'api.internal.local', '  ', 'svc.example.com']);
  if (chance(0.25) && call.targets) delete call.targets;
  if ('arg_provenance' in intent) call.arg_provenance = intent.arg_provenance;
  if ('delegation' in intent) call.delegation = intent.delegation;
  if ('created_at' in intent) call.created_at = intent.created_at;
  if (intent.script && typeof intent.script === 'object' && Array.isArray(intent.script.steps)) {
    call.script = { steps: intent.script.steps.map((s) => (s && typeof s === 'object' ? { name: s.tool_name, args: s.args, targets: Array.isArray(s.targets) ? s.targets.map((t) => target(t, { chance, pick })) : s.targets, arg_provenance: s.arg_provenance } : s)) };
  } else if ('script' in intent) call.script = intent.script;
  if ('context' in intent) {
    const c = intent.context && typeof intent.context === 'object' && !Array.isArray(intent.context) ? { ...intent.context } : intent.context;
    if (c && typeof c === 'object') {
      if (chance(0.1)) c.run_id = pick(['Nightly Build #7', ' r1 ', '']);
      if (chance(0.05)) c.job_id = pick(['job-1', 'bad id!', '']);
      if (chance(0.08)) c.auth_mode = pick(['oauth', 'token', 'none', 'OAuth_DCR', 'kerberos']);
      if (chance(0.06)) c.oauth_evidence = { issuer: 'https://issuer', audience: ['api'], subject: 'u', client_id: 'c', token_type: 'bearer', scopes: ['read'], redirect_uri: chance(0.5) ? 'https://cb' : '', evidence_ref: 'ev', auth_time: pick(['2026-01-01T00:00:00Z', 'yesterday', '']) };
    }
    call.context = c;
  }
  return call;
}

function target(t, { chance, pick }) {
  if (!t || typeof t !== 'object' || Array.isArray(t)) return t;
  const out = { ...t };
  if (chance(0.3) && 'discovery_method' in out) {
    out.discoveryMethod = out.discovery_method;
    delete out.discovery_method;
  }
  for (const [snake, camel] of HINTS) if (chance(0.12)) out[chance(0.5) ? snake : camel] = chance(0.5);
  if (chance(0.15)) {
    out.annotations = {};
    for (const [snake, camel] of HINTS) if (chance(0.4)) out.annotations[chance(0.5) ? snake : camel] = pick([true, false, 'TRUE', ' false ', 'yes', 1]);
    if (chance(0.3)) out.annotations[pick(['discovery_method', 'discoveryMethod'])] = pick(['mcp', ' webmcp ', 5]);
  }
  return out;
}

function trustSection({ chance, pick }) {
  const lines = ['mcp_trust:', `  enabled: ${chance(0.9)}`, `  snapshot: ${pick(['trust.json', './trust.json', 'missing.json'])}`];
  if (chance(0.6)) lines.push(`  action: ${pick(['block', 'require_approval'])}`);
  if (chance(0.4)) lines.push(`  required_risk_classes: [${pick(['high', 'critical, high', 'low, medium', 'HIGH'])}]`);
  if (chance(0.5)) lines.push(`  min_score: ${pick(['0.5', '0.8', '0', '1'])}`);
  if (chance(0.5)) lines.push(`  max_age: ${pick(['876000h', '87600h', '720h'])}`);
  if (chance(0.3)) lines.push(`  publisher_allowlist: [${pick(['acme', 'ACME, other', 'evilcorp'])}]`);
  if (chance(0.25)) lines.push(`  require_registry: ${chance(0.7)}`);
  return lines.join('\n') + '\n';
}

function trustSnapshot({ chance, pick }) {
  if (chance(0.05)) return pick(['{"entries":[', '{"schema_version":"2.0.0","entries":[]}', '{"schema_id":"other"}', '[]']);
  const entries = [];
  const n = Math.floor(rng01(chance) * 4) + 1;
  const used = new Set();
  for (let i = 0; i < n; i++) {
    const id = pick(SERVERS.filter(Boolean));
    if (used.has(id.toLowerCase()) && chance(0.8)) continue;
    used.add(id.toLowerCase());
    const e = { server_id: chance(0.85) ? id : '', server_name: chance(0.5) ? id : pick(['GitHub MCP', '']), publisher: pick(PUBLISHERS), source: pick(['registry', 'local']), status: pick(STATUSES), updated_at: pick(UPDATED), score: pick([0.9, 0.5, 0.79, 1, 0]) };
    if (e.updated_at === '') delete e.updated_at;
    if (chance(0.4)) e.evidence_path = pick(['evidence/github.json', '  ']);
    if (chance(0.5)) e.registry_verification = { pin_present: chance(0.5), pin_verified: chance(0.5), signature_verified: chance(0.8), publisher_allowed: chance(0.8) };
    entries.push(e);
  }
  return JSON.stringify({ schema_id: chance(0.9) ? 'gait.mcp.trust_snapshot' : '', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z', entries }, null, 2);
}

/** A uniform draw from `chance` alone (the snapshot helpers get no rng of their own). */
function rng01(chance) {
  let x = 0;
  for (let b = 0; b < 8; b++) x = x * 2 + (chance(0.5) ? 1 : 0);
  return x / 256;
}

/** A server description and risk class for `gait mcp verify`, on a trust policy and snapshot. */
export function generateVerifyCase(rng, base) {
  const chance = (p) => rng() < p;
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const withTrust = chance(0.85);
  const policy = withTrust ? `default_verdict: ${pick(['allow', 'block'])}\n${trustSection({ chance, pick })}` : base.policy;
  const server = chance(0.92)
    ? JSON.stringify({ server_id: pick(SERVERS), server_name: pick(['GitHub MCP', '', 'files']), publisher: pick(PUBLISHERS), source: 'registry', endpoint: 'https://x' })
    : pick(['{"server_id":5}', 'nope', '{}', '[]']);
  const flags = chance(0.5) ? ['--risk-class', pick(['low', ' HIGH ', 'critical', 'medium', 'weird'])] : [];
  return { ...base, policy, server, flags, files: { 'trust.json': trustSnapshot({ chance, pick }), 'server.json': server }, human: chance(0.05) };
}

const ENDPOINTS = ['/v1/evaluate', '/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream'];
const ADAPTER_OF = { mcp: 'mcp', openai: 'openai', anthropic: 'anthropic', langchain: 'langchain', claude_code: 'claude_code' };

/**
 * A `gait mcp serve` configuration and a sequence of HTTP requests for it: generated calls of
 * every adapter on the case's policy, and the bad requests the service must refuse (method,
 * bearer token, content type, body size, strict decoding, unknown adapter, missing call).
 */
export function generateServeCase(rng, makeCall) {
  const chance = (p) => rng() < p;
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const first = makeCall(0);
  const token = chance(0.3);
  const limit = chance(0.15) ? pick(['64', '300', '2048']) : undefined;
  const argv = ['mcp', 'serve', '--listen', '127.0.0.1:<PORT>', '--policy', 'policy.yaml', '--trace-dir', 'traces', '--json'];
  if (token) argv.push('--auth-mode', 'token', '--auth-token-env', 'GAIT_SERVE_TOKEN');
  if (limit) argv.push('--max-request-bytes', limit);
  if (chance(0.4)) argv.push('--http-verdict-status', pick(['strict', 'compat', ' STRICT ']));
  if (chance(0.2)) argv.push('--adapter', pick(['openai', 'claude_code', 'langchain']));
  if (chance(0.1)) argv.push('--profile', pick(['oss-prod', 'bogus']));
  if (chance(0.15)) argv.push('--trace-max-count', pick(['1', '2']));
  const auth = token ? { authorization: 'Bearer s3cret' } : {};
  const json = { 'content-type': 'application/json', ...auth };
  const requests = [];
  const files = { 'policy.yaml': first.policy, ...first.files };
  const n = 2 + Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) {
    const c = i === 0 ? first : makeCall(i);
    let call;
    try {
      call = JSON.parse(c.call);
    } catch {
      call = undefined;
    }
    const body = { call: call ?? {} };
    if (chance(0.8)) body.adapter = ADAPTER_OF[c.adapter];
    if (chance(0.1)) body.run_id = pick(['Nightly Build #7', 'r1']);
    requests.push({ method: 'POST', path: pick(ENDPOINTS), headers: json, body: JSON.stringify(body) });
  }
  const bad = [
    { method: 'GET', path: '/v1/evaluate', headers: auth },
    { method: 'GET', path: '/healthz' },
    { method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'application/json' }, body: '{"call":{"name":"tool.read"}}' },
    { method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: '{"call":{"name":"tool.read"}}' },
    { method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth }, body: 'a=b' },
    { method: 'POST', path: '/v1/evaluate', headers: { 'content-type': 'text/plain; charset=utf-8', ...auth }, body: '{}' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '{"call":{"name":"tool.read"},"policy":"x"}' },
    { method: 'POST', path: '/v1/evaluate/stream', headers: json, body: '{"call":{"name":"tool.read"}} {}' },
    { method: 'POST', path: '/v1/evaluate/sse', headers: json, body: '{"call":{}}' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '{"adapter":"nope","call":{"name":"x"}}' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '{"call":' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: JSON.stringify({ call: { name: 'tool.read', args: { blob: 'x'.repeat(400) } } }) },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '{"call":{"name":"tool.read"},"trace_path":"x.json"}' },
    { method: 'POST', path: '/v1/evaluate', headers: json, body: '{"call":"x"}' },
    { method: 'PUT', path: '/v1/evaluate/sse', headers: json, body: '{}' },
    { method: 'GET', path: '/v1/evaluate/' },
  ];
  for (const r of bad) if (chance(0.3)) requests.splice(Math.floor(rng() * (requests.length + 1)), 0, r);
  return { ...first, argv, env: token ? { GAIT_SERVE_TOKEN: chance(0.9) ? ' s3cret ' : '  ' } : {}, requests, files };
}
