// The seeded (policy, intent) generator shared by the conformance corpus (generate.mjs, fixed
// seed) and the differential runner against the real Gait (test/oracle/, a seed per case).
// Everything random draws from one mulberry32 stream, so a seed fixes every case.
import YAML from 'yaml';

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator: its own random stream, value pools and case families. */
export function createGenerator(seed) {
  const rng = mulberry32(seed);
  const chance = (p) => rng() < p;
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  function some(xs, lo = 1, hi = 2) {
    const n = Math.min(xs.length, int(lo, hi));
    const pool = [...xs];
    const out = [];
    while (out.length < n) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]);
    return out;
  }

  /** Policy text: block YAML most of the time, sometimes JSON (which is YAML too). */
  function policyText(policy) {
    return chance(0.2) ? JSON.stringify(policy, null, chance(0.5) ? 2 : 0) + '\n' : YAML.stringify(policy);
  }
  function intentText(intent) {
    return JSON.stringify(intent, null, chance(0.6) ? 2 : 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Value pools (policy selectors draw from the same pools so rules match often).

  const TOOLS = ['tool.read', 'tool.write', 'tool.delete', 'tool.exec', 'tool.http', 'tool.query'];
  const IDENTITIES = ['alice', 'bob', 'agent.lead', 'agent.specialist', 'Alice'];
  const WORKSPACES = ['/repo/gait', '/repo/other', '/repository', 'C:\\repo\\gait', '/srv/app'];
  const WORKSPACE_PREFIXES = ['/repo', '/repo/gait', 'C:/repo', '/srv', '/nope'];
  const RISKS = ['low', 'medium', 'high', 'critical'];
  const KINDS = ['path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other'];
  const VALUES = {
    path: ['/tmp/out.txt', '/tmp/safe/file.txt', '/tmp/safe/blocked/file.txt', '/etc/hosts', '/var/data/report.csv', 'C:\\tmp\\x.txt'],
    url: ['https://api.internal.local/v1', 'https://api.external.com/export', 'http://svc.example.com/a', 'https://api.dev.example.com/x'],
    host: ['api.internal.local', 'api.external.com', 'svc.example.com', 'API.INTERNAL.LOCAL'],
    repo: ['github.com/acme/app'],
    bucket: ['s3://logs', 'gs://exports'],
    table: ['users', 'orders'],
    queue: ['jobs'],
    topic: ['events'],
    other: ['shell', 'printer'],
  };
  const OPERATIONS = ['', 'read', 'write', 'delete', 'exec', 'dns', 'READ', 'Write'];
  const ENDPOINT_CLASSES = ['fs.read', 'fs.write', 'fs.delete', 'proc.exec', 'net.http', 'net.dns', 'ui.click', 'ui.type', 'ui.navigate', 'other'];
  const SENSITIVITY = ['public', 'confidential', 'pii', 'secret', 'PII'];
  const DISCOVERY_POLICY = ['webmcp', 'dynamic_mcp', 'a2a', 'mcp', 'static_mcp', 'manual', 'unknown'];
  const DISCOVERY_INTENT = ['mcp', 'webmcp', 'Dynamic-MCP', 'static mcp', 'a2a', 'manual', 'unknown', 'MCP'];
  const SOURCES = ['user', 'tool_output', 'external', 'system'];
  const PUBLISHERS = ['acme', 'Acme', 'evilcorp'];
  const SKILL_SOURCES = ['registry', 'git', 'local', 'Registry'];
  const SCOPES = ['write', 'read', 'admin', 'WRITE'];
  const WRKR_TOOLS = ['tool.read', 'tool.write'];
  const WRKR_DATA = ['public', 'pii', 'secret'];
  const WRKR_ENDPOINTS = ['fs.read', 'fs.write', 'net.http'];
  const WRKR_AUTONOMY = ['assist', 'autonomous', 'human'];
  const VERDICTS = ['allow', 'block', 'dry_run', 'require_approval'];

  function target(kind = pick(KINDS)) {
    const t = { kind, value: pick(VALUES[kind]) };
    const op = pick(OPERATIONS);
    if (op) t.operation = op;
    if (chance(0.35)) t.endpoint_class = pick(ENDPOINT_CLASSES);
    if (chance(0.3)) t.sensitivity = pick(SENSITIVITY);
    if (chance(0.3)) t.discovery_method = pick(DISCOVERY_INTENT);
    if (chance(0.1)) t.destructive = true;
    if (chance(0.15)) t.endpoint_domain = pick(VALUES.host);
    for (const hint of ['read_only_hint', 'destructive_hint', 'idempotent_hint', 'open_world_hint']) if (chance(0.15)) t[hint] = chance(0.5);
    if (chance(0.1)) t.kind = kind.toUpperCase();
    return t;
  }

  function delegation() {
    const depth = int(0, 3);
    const people = ['agent.root', 'agent.lead', 'agent.manager', 'agent.specialist'];
    const start = int(0, people.length - 1 - depth);
    const chain = [];
    for (let i = 0; i < depth; i++) {
      const link = { delegator_identity: people[start + i], delegate_identity: people[start + i + 1] };
      if (chance(0.6)) link.scope_class = pick(SCOPES);
      chain.push(link);
    }
    const d = { requester_identity: people[start + depth] };
    if (chance(0.7)) d.scope_class = pick(SCOPES);
    if (chain.length) d.chain = chain;
    if (chance(0.3)) d.token_refs = ['tok_b', 'tok_a'];
    return d;
  }

  function wrkrContext() {
    const a = {};
    if (chance(0.7)) a['wrkr.tool_name'] = pick(WRKR_TOOLS);
    if (chance(0.7)) a['wrkr.data_class'] = pick(WRKR_DATA);
    if (chance(0.7)) a['wrkr.endpoint_class'] = pick(WRKR_ENDPOINTS);
    if (chance(0.7)) a['wrkr.autonomy_level'] = pick(WRKR_AUTONOMY);
    return a;
  }

  /** A valid single-step intent with random contents. */
  function intent(overrides = {}) {
    const i = {
      schema_id: 'gait.gate.intent_request',
      schema_version: '1.0.0',
      created_at: pick(['2026-02-05T00:00:00Z', '2026-03-01T12:30:00.123456789+02:00', undefined]),
      producer_version: 'conformance',
      tool_name: pick(TOOLS),
      args: pick([{}, { path: '/tmp/out.txt' }, { query: 'select 1', limit: 10 }, { nested: { a: [1, 2, { b: ' x ' }] } }]),
      targets: Array.from({ length: int(0, 3) }, () => target()),
      context: {
        identity: pick(IDENTITIES),
        workspace: pick(WORKSPACES),
        risk_class: pick(RISKS),
      },
    };
    if (chance(0.5)) i.arg_provenance = Array.from({ length: int(1, 2) }, (_, n) => ({ arg_path: `args.a${n}`, source: pick(SOURCES) }));
    if (chance(0.25)) i.skill_provenance = { skill_name: 'safe-curl', skill_version: '1.0.0', source: pick(SKILL_SOURCES), publisher: pick(PUBLISHERS) };
    if (chance(0.2)) i.delegation = delegation();
    if (chance(0.2)) i.context.auth_context = wrkrContext();
    if (chance(0.2)) i.context.phase = pick(['plan', 'apply', 'PLAN']);
    if (chance(0.1)) i.context.session_id = 's1';
    const context = i.context;
    Object.assign(i, overrides);
    if (overrides.context) i.context = { ...context, ...overrides.context };
    if (i.created_at === undefined) delete i.created_at;
    return i;
  }

  function rule(name, extra = {}) {
    return { name, effect: pick(VERDICTS), ...extra };
  }


  /** Every `match` selector: how to draw policy values, and how to make an intent satisfy them. */
  const SELECTORS = {
    tool_name: [() => pick(TOOLS).replace('tool.', pick(['tool.', 'Tool.', ' tool.'])), (i, v) => { i.tool_name = v.trim(); }],
    tool_names: [() => some(TOOLS, 1, 3), (i, v) => { i.tool_name = pick(v); }],
    risk_classes: [() => some(RISKS, 1, 2), (i, v) => { i.context.risk_class = pick(v).toUpperCase(); }],
    identities: [() => some(IDENTITIES, 1, 2), (i, v) => { i.context.identity = pick(v); }],
    workspace_prefixes: [() => some(WORKSPACE_PREFIXES, 1, 2), (i, v) => { i.context.workspace = pick(v) + '/sub'; }],
    context_tool_names: [() => some(WRKR_TOOLS, 1, 1), (i, v) => { i.context.auth_context = { ...i.context.auth_context, 'wrkr.tool_name': pick(v) }; }],
    context_data_classes: [() => some(WRKR_DATA, 1, 2), (i, v) => { i.context.auth_context = { ...i.context.auth_context, 'wrkr.data_class': pick(v).toUpperCase() }; }],
    context_endpoint_classes: [() => some(WRKR_ENDPOINTS, 1, 2), (i, v) => { i.context.auth_context = { ...i.context.auth_context, 'wrkr.endpoint_class': pick(v) }; }],
    context_autonomy_levels: [() => some(WRKR_AUTONOMY, 1, 2), (i, v) => { i.context.auth_context = { ...i.context.auth_context, 'wrkr.autonomy_level': pick(v) }; }],
    target_kinds: [() => some(KINDS, 1, 3), (i, v) => { i.targets.push(target(pick(v))); }],
    target_values: [() => [pick(VALUES[pick(['path', 'host', 'url'])])], (i, v) => { const t = target(pick(['path', 'host', 'url', 'other'])); t.value = pick(v); i.targets.push(t); }],
    endpoint_class: [() => some(ENDPOINT_CLASSES, 1, 2), (i, v) => { const t = target(); t.endpoint_class = pick(v); i.targets.push(t); }],
    endpoint_classes: [() => some(ENDPOINT_CLASSES, 1, 3), (i, v) => { const t = target(); t.endpoint_class = pick(v).toUpperCase(); i.targets.push(t); }],
    discovery_method: [() => some(DISCOVERY_POLICY, 1, 2), (i, v) => { const t = target(); const m = pick(v); t.discovery_method = m === 'dynamic_mcp' ? 'Dynamic-MCP' : m; i.targets.push(t); }],
    tool_annotations: [() => { const a = {}; for (const k of some(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'], 1, 2)) a[k] = chance(0.6); return a; },
      (i, v) => { const t = target(); const map = { readOnlyHint: 'read_only_hint', destructiveHint: 'destructive_hint', idempotentHint: 'idempotent_hint', openWorldHint: 'open_world_hint' }; for (const [k, b] of Object.entries(v)) t[map[k]] = b; i.targets.push(t); }],
    skill_publishers: [() => some(['acme', 'evilcorp'], 1, 1), (i, v) => { i.skill_provenance = { skill_name: 'skill', source: pick(SKILL_SOURCES), publisher: pick(v) === 'acme' ? pick(['acme', 'Acme']) : 'evilcorp' }; }],
    skill_sources: [() => some(['registry', 'git', 'local'], 1, 2), (i, v) => { i.skill_provenance = { skill_name: 'skill', source: pick(v).toUpperCase(), publisher: pick(PUBLISHERS) }; }],
    data_classes: [() => some(['public', 'confidential', 'pii', 'secret'], 1, 2), (i, v) => { const t = target(); t.sensitivity = pick(v); i.targets.push(t); }],
    destination_kinds: [() => some(KINDS, 1, 2), (i, v) => { i.targets.push(target(pick(v))); }],
    destination_values: [() => [pick(VALUES.host)], (i, v) => { const t = target('host'); t.value = pick(v); i.targets.push(t); }],
    destination_operations: [() => some(['read', 'write', 'delete', 'exec'], 1, 2), (i, v) => { const t = target(); t.operation = pick(v).toUpperCase(); i.targets.push(t); }],
    provenance_sources: [() => some(SOURCES, 1, 2), (i, v) => { i.arg_provenance = [...(i.arg_provenance ?? []), { arg_path: 'args.x', source: pick(v) }]; }],
    require_delegation: [() => true, (i) => { i.delegation = delegation(); }],
    allowed_delegator_identities: [() => some(['agent.root', 'agent.lead', 'agent.manager'], 1, 2), (i) => { i.delegation = delegation(); }],
    allowed_delegate_identities: [() => some(['agent.lead', 'agent.manager', 'agent.specialist'], 1, 2), (i) => { i.delegation = delegation(); }],
    delegation_scopes: [() => some(['write', 'read', 'admin'], 1, 2), (i) => { i.delegation = delegation(); }],
    max_delegation_depth: [() => int(0, 2), (i) => { i.delegation = delegation(); }],
  };

  // Case families, in corpus order: `section(name, count, body)`; `body(n, add)` makes the n-th
  // draw of the family (one case, or for the fixed lists all of them) and hands each case to
  // `add(group, policy, intent, extra)`. Policies and intents may be values or text.
  const SECTIONS = [];
  const section = (name, count, body) => SECTIONS.push({ name, count, body });
  const SELECTOR_NAMES = Object.keys(SELECTORS);
  {

    // Every selector alone (plus sometimes a second selector and a competing rule), with intents
    // that satisfy it about half the time.
    section('selector', SELECTOR_NAMES.length * 7, (m, add) => {
      {
        const selector = SELECTOR_NAMES[Math.floor(m / 7)];
        const [draw, satisfy] = SELECTORS[selector];
        const n = m % 7;
        const value = draw();
        const match = { [selector]: value };
        if (chance(0.3)) match.tool_names = some(TOOLS, 2, 4);
        const name = `sel-${selector.replace(/_/g, '-')}`;
        const rules = [rule(name, { priority: int(0, 3), match, ...(chance(0.5) ? { reason_codes: [`${selector}_matched`] } : {}) })];
        if (chance(0.3)) rules.push(rule('competing', { priority: int(0, 3), match: { tool_names: some(TOOLS, 1, 3) } }));
        let i = intent();
        // An intent no selector matches (n = 1), intents made to satisfy it (even n), random ones.
        if (n === 1) i = { tool_name: 'tool.unlisted', args: {}, targets: [], context: { identity: 'mallory', workspace: '/elsewhere', risk_class: 'unknown' } };
        else if (n % 2 === 0 || chance(0.3)) {
          satisfy(i, value);
          if (match.tool_names) i.tool_name = pick(match.tool_names);
        }
        add(`selector/${selector}`, { default_verdict: pick(VERDICTS), rules }, i, { covers: selector, rule: name });
      }
    });

    // Default verdicts: default_verdict, its default_action alias, and the implicit default.
    section('default', VERDICTS.length, (n, add) => {
      const v = VERDICTS[n];
      add('default', { default_verdict: v }, intent());
      add('default', { default_action: v.toUpperCase() }, intent());
      add('default', { default_verdict: ` ${v} `, rules: [rule('never', { match: { tool_names: ['tool.never'] } })] }, intent());
    });
    section('default-empty', 1, (n, add) => {
      add('default', '', intent());
      add('default', '# only a comment\n', intent());
    });

    // Tiers: several rules for one tool at random priorities and effects.
    section('tiers', 30, (n, add) => {
      const tool = pick(TOOLS);
      const rules = Array.from({ length: int(2, 5) }, (_, k) => rule(`tier-${k}`, {
        priority: int(0, 2),
        match: chance(0.8) ? { tool_names: [tool] } : { risk_classes: some(RISKS, 1, 3) },
        ...(chance(0.5) ? { reason_codes: [`code_${k}`] } : {}),
        ...(chance(0.3) ? { violations: [`violation_${k}`] } : {}),
        ...(chance(0.3) ? { min_approvals: int(0, 3) } : {}),
        ...(chance(0.2) ? { require_broker_credential: true, broker_reference: pick(['egress', 'db']), broker_scopes: ['export'] } : {}),
        ...(chance(0.2) ? { rate_limit: { requests: int(1, 5), window: pick(['minute', 'hour']), scope: pick(['tool', 'identity', 'tool_identity']) } } : {}),
        ...(chance(0.15) ? { destructive_budget: { requests: int(1, 3) } } : {}),
      }));
      add('tiers', { default_verdict: pick(VERDICTS), rules }, intent({ tool_name: chance(0.8) ? tool : pick(TOOLS) }));
    });

    // Dataflow: tainted provenance to destinations.
    section('dataflow', 30, (n, add) => {
      const dataflow = { enabled: chance(0.8) };
      if (chance(0.6)) dataflow.tainted_sources = some(SOURCES, 1, 2);
      if (chance(0.5)) dataflow.destination_kinds = some(['host', 'url', 'bucket', 'path', 'queue'], 1, 2);
      if (chance(0.3)) dataflow.destination_values = [pick([...VALUES.host, ...VALUES.url])];
      if (chance(0.4)) dataflow.destination_operations = some(['write', 'read', 'delete'], 1, 2);
      if (chance(0.7)) dataflow.action = pick(['block', 'require_approval', 'BLOCK']);
      if (chance(0.5)) dataflow.reason_code = 'tainted_flow';
      if (chance(0.5)) dataflow.violation = 'tainted_violation';
      const i = intent({ tool_name: 'tool.write', arg_provenance: [{ arg_path: '$.body', source: pick([...SOURCES, 'EXTERNAL']) }] });
      if (chance(0.6)) i.targets = [target(pick(['host', 'url', 'bucket', 'path', 'queue', 'topic']))];
      add('dataflow', { default_verdict: pick(VERDICTS), rules: [rule('flow', { effect: pick(VERDICTS), match: { tool_names: ['tool.write'] }, dataflow })] }, i);
    });

    // Endpoint constraints: paths, domains, egress classes, destructive actions.
    section('endpoint', 40, (n, add) => {
      const endpoint = {};
      if (chance(0.8)) endpoint.enabled = true;
      if (chance(0.4)) endpoint.path_allowlist = some(['/tmp/safe/**', '/tmp/*.txt', '/var/data/*', '/tmp/out.txt', 'C:\\tmp\\**', '[bad'], 1, 2);
      if (chance(0.4)) endpoint.path_denylist = some(['/tmp/safe/blocked/**', '/etc/**', '/etc/hosts', '/var/?ata/*.csv'], 1, 2);
      if (chance(0.4)) endpoint.domain_allowlist = some(['api.internal.local', '*.example.com', 'api.*.example.com', 'API.INTERNAL.LOCAL'], 1, 2);
      if (chance(0.3)) endpoint.domain_denylist = some(['api.external.com', '*.external.com', 'svc.example.com'], 1, 2);
      if (chance(0.3)) endpoint.egress_classes = some(['net.http', 'net.dns'], 1, 1);
      if (chance(0.6)) endpoint.action = pick(['block', 'require_approval']);
      if (chance(0.35)) endpoint.destructive_action = pick(['block', 'require_approval']);
      if (chance(0.5)) { endpoint.reason_code = 'endpoint_guard'; endpoint.violation = 'endpoint_guard_violation'; }
      const i = intent({ tool_name: pick(['tool.write', 'tool.delete']), targets: Array.from({ length: int(1, 3) }, () => target(pick(['path', 'path', 'url', 'host']))) });
      add('endpoint', { default_verdict: pick(VERDICTS), rules: [rule('endpoint-rule', { effect: pick(['allow', 'allow', 'dry_run', 'require_approval']), match: { tool_names: ['tool.write', 'tool.delete'] }, endpoint })] }, i);
    });

    // Context evidence: claims are stripped without a verified envelope.
    section('context-evidence', 20, (n, add) => {
      const r = rule('context-rule', { effect: pick(['allow', 'require_approval', 'dry_run']), match: { tool_names: ['tool.write'] } });
      if (chance(0.6)) r.require_context_evidence = true;
      if (chance(0.4)) r.required_context_evidence_mode = pick(['required', ' REQUIRED ']);
      if (chance(0.6)) r.max_context_age_seconds = int(0, 60);
      const i = intent({ tool_name: 'tool.write' });
      if (chance(0.5)) i.context.context_set_digest = 'ab'.repeat(32);
      if (chance(0.5)) i.context.context_evidence_mode = pick(['required', 'best_effort', 'Required']);
      if (chance(0.5)) i.context.auth_context = { ...i.context.auth_context, context_age_seconds: pick([5, 120, '7', -1, 2.5]) };
      if (chance(0.3)) i.context.context_refs = ['ref_b', 'ref_a', 'ref_a'];
      const policy = { default_verdict: pick(VERDICTS), rules: [r] };
      if (chance(0.3)) policy.fail_closed = { enabled: true, risk_classes: [i.context.risk_class], required_fields: ['context_evidence'] };
      add('context-evidence', policy, i);
    });

    // Plan / apply with destructive targets.
    section('plan-apply', 16, (n, add) => {
      const phase = pick(['plan', 'apply', 'Plan', ' APPLY ', undefined]);
      const t = target('path');
      t.operation = pick(['delete', 'write', 'exec']);
      if (chance(0.4)) t.destructive = true;
      if (chance(0.3)) t.destructive_hint = true;
      const i = intent({ tool_name: 'tool.delete', targets: [t] });
      if (phase === undefined) delete i.context.phase;
      else i.context.phase = phase;
      const rules = chance(0.8) ? [rule('delete-rule', { match: { tool_names: ['tool.delete'] }, ...(chance(0.4) ? { min_approvals: int(0, 3) } : {}) })] : [];
      add('plan-apply', { default_verdict: pick(VERDICTS), rules }, i);
    });

    // Fail-closed: required fields, risk classes, unknown endpoint classes, invalid intents.
    const REQUIRED = ['targets', 'arg_provenance', 'endpoint_class', 'delegation', 'context_evidence'];
    section('fail-closed', 30, (n, add) => {
      const fail_closed = { enabled: chance(0.9) };
      if (chance(0.7)) fail_closed.risk_classes = some(RISKS, 1, 3);
      if (chance(0.7)) fail_closed.required_fields = some(REQUIRED, 1, 3);
      const i = intent();
      if (chance(0.3)) i.targets = [{ kind: 'other', value: 'thing' }];
      if (chance(0.25)) {
        // Not normalizable: blocked when its raw risk class is fail-closed, an error otherwise.
        const breakIt = pick([(x) => { x.context.identity = ''; }, (x) => { x.tool_name = ' '; }, (x) => { x.targets = [{ kind: 'spaceship', value: 'x' }]; }, (x) => { x.context.phase = 'later'; }]);
        breakIt(i);
      }
      add('fail-closed', { default_verdict: pick(VERDICTS), fail_closed, rules: chance(0.5) ? [rule('any', { match: { tool_names: TOOLS } })] : [] }, i);
    });

    // Each required field alone, on an intent that lacks it.
    section('fail-closed-required', REQUIRED.length, (n, add) => {
      const field = REQUIRED[n];
      const i = intent({ context: { risk_class: 'high' }, targets: [{ kind: 'other', value: 'thing' }] });
      delete i.arg_provenance;
      delete i.delegation;
      add('fail-closed', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'], required_fields: [field] } }, i);
    });

    // Scripts: step roll-up, max_steps, require_approval_above, block_mixed_risk.
    section('script', 35, (n, add) => {
      const steps = Array.from({ length: int(1, 5) }, () => {
        const tool = pick(TOOLS);
        const s = { tool_name: pick([tool, tool.toUpperCase(), ` ${tool} `]), args: pick([{}, { path: '/tmp/x' }]) };
        if (chance(0.8)) s.targets = Array.from({ length: int(1, 2) }, () => target(pick(['path', 'url', 'host', 'other'])));
        if (chance(0.3)) s.arg_provenance = [{ arg_path: 'args.path', source: pick(SOURCES) }];
        return s;
      });
      const scripts = {};
      if (chance(0.5)) scripts.max_steps = int(0, 4);
      if (chance(0.5)) scripts.require_approval_above = int(0, 3);
      if (chance(0.4)) scripts.block_mixed_risk = true;
      const rules = Array.from({ length: int(0, 3) }, (_, k) => rule(`step-rule-${k}`, { priority: int(0, 2), match: { tool_names: some(TOOLS, 1, 2) }, ...(chance(0.3) ? { min_approvals: int(1, 3) } : {}) }));
      const i = intent({ tool_name: pick(['script', 'anything', '']), script: { steps } });
      delete i.targets;
      add('script', { default_verdict: pick(VERDICTS), scripts, rules }, i);
    });
    // A script at the 64-step cap, and one over it (an invalid intent).
    const many = (count) => intent({ script: { steps: Array.from({ length: count }, (_, k) => ({ tool_name: k % 2 ? 'tool.read' : 'tool.write', args: {} })) } });
    section('script-cap', 1, (n, add) => {
      add('script', { default_verdict: 'allow' }, many(64));
      add('script', { default_verdict: 'allow' }, many(65));
      add('script', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['low', 'medium', 'high', 'critical'] } }, many(65));
    });

    // Approval, delegation and broker post-processing of the gate (cli.md §2.3).
    section('gate-post', 16, (n, add) => {
      const r = rule('gate-rule', { effect: pick(['allow', 'require_approval']), match: { tool_names: ['tool.http'] } });
      if (chance(0.5)) { r.require_broker_credential = true; r.broker_reference = 'egress'; }
      if (chance(0.4)) r.min_approvals = int(0, 3);
      if (chance(0.3)) r.require_distinct_approvers = true;
      if (chance(0.3)) r.match.require_delegation = true;
      const i = intent({ tool_name: 'tool.http' });
      if (r.match.require_delegation) i.delegation = delegation();
      add('gate-post', { default_verdict: pick(VERDICTS), rules: [r] }, i);
    });

    // Awkward but valid text: unicode, escapes, anchors, rule names the sanitizer must encode.
    section('text', 1, (n, add) => {
    const odd = [
      [`default_verdict: block\nrules:\n  - name: "Ünïcode rule <&> \\"q\\""\n    effect: allow\n    match: {tool_names: [tool.read]}\n`, intent({ tool_name: 'tool.read' })],
      [`default_verdict: block\nrules:\n  - &r\n    name: anchor\n    effect: allow\n    match: {tool_names: [tool.read]}\n  - <<: *r\n    name: merged\n    priority: 0\n`, intent({ tool_name: 'tool.read' })],
      ['default_verdict: allow\nrules:\n  - name: emoji 🚀 rule\n    effect: dry_run\n', intent({ args: { note: '😀 \u0000 \u2028 é' } })],
      // An action alone does not configure dataflow, so it is not validated (policy.md §3.7).
      ['default_verdict: allow\nrules:\n  - name: r\n    effect: allow\n    dataflow: {action: approve}\n', intent()],
      ['default_verdict: allow\n', '{"tool_name":"tool.read","args":{"s":"\\ud800 lone","big":12345678901234567890,"f":1e400},"context":{"identity":"a","workspace":"/w","risk_class":"low"}}'],
      ['default_verdict: allow\n', '{"Tool_Name":"tool.read","TOOL_NAME":"tool.write","context":{"Identity":"a","workspace":"/w","risk_class":"low"},"unknown":{"x":1}}'],
      ['default_verdict: allow\n', '{"tool_name":"tool.read","tool_name":"tool.exec","context":{"identity":"a","workspace":"/w","risk_class":"low"}}'],
      ['default_verdict: allow\n', '\ufeff{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"low"}}'],
      ['default_verdict: allow\n', '  {"tool_name":"tool.read","args":null,"targets":null,"context":{"identity":"a","workspace":"/w","risk_class":"low","auth_context":{}}}  \n'],
    ];
    for (const [p, i] of odd) add('text', p, i);
    });

    // Invalid policies: each must be an error (the message is the expected result).
    section('invalid-policy', 1, (n, add) => {
    const badPolicies = [
      'version: 1\nname: x\ndefaults: {}\n',
      'boundaries: []\ntrust_sources: []\nunknown_server: block\n',
      'default_verdict: allow\ndefault_verdict: block\n',
      'rules:\n  - name: r\n    effect: allow\n    colour: red\n',
      'rules:\n  - name: r\n    effect: allow\n    match: {tool_names: tool.read}\n',
      'rules: nope\n',
      'rules:\n  - name: r\n    effect: allow\n    priority: high\n',
      'rules:\n  - name: r\n    effect: allow\n    min_approvals: -1\n',
      'rules:\n  - name: r\n    effect: allow\n    max_context_age_seconds: -5\n',
      'rules:\n  - name: r\n    effect: allow\n    required_context_evidence_mode: optional\n',
      'rules:\n  - name: r\n    effect: allow\n    endpoint: {egress_classes: [fs.write]}\n',
      'rules:\n  - name: r\n    effect: allow\n    endpoint: {egress_classes: [net.ftp]}\n',
      'rules:\n  - name: r\n    effect: allow\n    endpoint: {destructive_action: allow}\n',
      'rules:\n  - name: r\n    effect: allow\n    match: {max_delegation_depth: -1}\n',
      'rules:\n  - name: r\n    effect: allow\n    match: {tool_annotations: {readonlyhint: true}}\n',
      'rules:\n  - name: r\n    effect: allow\n    rate_limit: {requests: -1}\n',
      'rules:\n  - name: r\n    effect: allow\n    destructive_budget: {requests: 1, scope: planet}\n',
      'scripts: {max_steps: -1}\n',
      'scripts: {require_approval_above: -2}\n',
      'schema_id: gait.gate.policy.v2\n',
      'schema_version: 1.0\n',
      '- default_verdict: allow\n',
      'default_verdict: allow\n\tfoo: bar\n',
      'mcp_trust: {snapshot: ./s.json, action: allow}\n',
      'mcp_trust: {snapshot: ./s.json, max_age: 1d}\n',
      'mcp_trust: {snapshot: ./s.json, max_age: -1h}\n',
      'fail_closed: {enabled: yes please}\n',
      'a: &a [1, 2]\nb: *a\n',
      `${'x: '.repeat(1)}${'['.repeat(70)}${']'.repeat(70)}\n`,
      'default_verdict: "allow\n',
      'rules:\n  - name: r\n    effect: allow\n    dataflow: {tainted_sources: [external], action: allow}\n',
      'rules:\n  - {effect: allow}\n',
      'rules:\n  - name: r\n',
    ];
    for (const p of badPolicies) add('invalid-policy', p, intent());
    });

    // Invalid intents, under a policy without fail-closed (an error) and with it (a block).
    section('invalid-intent', 1, (n, add) => {
    const ctx = '"context":{"identity":"a","workspace":"/w","risk_class":"high"}';
    const badIntents = [
      '{not json',
      '',
      '[]',
      'null',
      '"intent"',
      '42',
      '{} trailing',
      '{"tool_name": 5, ' + ctx + '}',
      '{"tool_name":"tool.read","args":[1,2],' + ctx + '}',
      '{"tool_name":"tool.read","args":{" ":1},' + ctx + '}',
      '{"tool_name":"tool.read","targets":{},' + ctx + '}',
      '{"tool_name":"tool.read","targets":[{"kind":"path"}],' + ctx + '}',
      '{"tool_name":"tool.read","targets":[{"kind":"spaceship","value":"x"}],' + ctx + '}',
      '{"tool_name":"tool.read","targets":[{"kind":"path","value":"/x","endpoint_class":"fs.teleport"}],' + ctx + '}',
      '{"tool_name":"tool.read","targets":[{"kind":"path","value":"/x","discovery_method":"carrier pigeon"}],' + ctx + '}',
      '{"tool_name":"tool.read","targets":[{"kind":"path","value":"/x","destructive":"yes"}],' + ctx + '}',
      '{"tool_name":"tool.read","arg_provenance":[{"arg_path":"a","source":"rumour"}],' + ctx + '}',
      '{"tool_name":"tool.read","arg_provenance":[{"arg_path":"a","source":"user","integrity_digest":"XYZ"}],' + ctx + '}',
      '{"tool_name":"tool.read","arg_provenance":[{"source":"user"}],' + ctx + '}',
      '{"tool_name":"tool.read","skill_provenance":{"skill_name":"s","source":"git"},' + ctx + '}',
      '{"tool_name":"tool.read","skill_provenance":{"skill_name":"s","source":"git","publisher":"p","digest":"abc"},' + ctx + '}',
      '{"tool_name":"tool.read","context":{"workspace":"/w","risk_class":"high"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","risk_class":"high"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"high","context_set_digest":"nothex"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"high","context_evidence_mode":"sometimes"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"high","phase":"later"}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"high","auth_context":[1]}}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":"high","auth_context":{"":1}}}',
      '{"tool_name":"tool.read","delegation":{"scope_class":"write"},' + ctx + '}',
      '{"tool_name":"tool.read","delegation":{"requester_identity":"b","chain":[{"delegator_identity":"a"}]},' + ctx + '}',
      '{"tool_name":"tool.read","delegation":{"requester_identity":"b","issued_at":"2026-02-05T00:00:00Z","expires_at":"2026-02-04T00:00:00Z"},' + ctx + '}',
      '{"tool_name":"tool.read","delegation":{"requester_identity":"b","chain":[{"delegator_identity":"a","delegate_identity":"b","issued_at":"2026-02-05T00:00:00Z","expires_at":"2026-02-05T00:00:00Z"}]},' + ctx + '}',
      '{"tool_name":"tool.read","created_at":"",' + ctx + '}',
      '{"tool_name":"tool.read","created_at":"yesterday",' + ctx + '}',
      '{"tool_name":"tool.read","created_at":"2026-02-30T00:00:00Z",' + ctx + '}',
      '{"script":{"steps":[]},' + ctx + '}',
      '{"script":{"steps":[{"args":{}}]},' + ctx + '}',
      '{"script":{"steps":[{"tool_name":"tool.read","args":"x"}]},' + ctx + '}',
      '{"script":{"steps":[{"tool_name":"tool.read","targets":[{"kind":"path"}]}]},' + ctx + '}',
      '{"tool_name":"tool.read","args":' + '{"a":'.repeat(80) + '1' + '}'.repeat(80) + ',' + ctx + '}',
      '{"tool_name":"tool.read",' + ctx + ',"context":null}',
      '{"tool_name":"tool.read","context":{"identity":"a","workspace":"/w","risk_class":" HIGH ","phase":"later"}}',
    ];
    for (const i of badIntents) {
      add('invalid-intent', 'default_verdict: allow\n', i);
      add('invalid-intent', { default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'] } }, i);
    }
    });

    // Intents as JSON values are covered by every other group; policy-only cases check loading.
    section('policy-only', 6, (n, add) => add('policy-only', { default_verdict: pick(VERDICTS), rules: [rule(`only-${n}`, { match: { tool_names: some(TOOLS) } })] }, null));
  }

  /** A case value: its text forms drawn from the same stream (block YAML or JSON, indentation). */
  const materialize = (group, policy, intentValue, extra) => ({
    group,
    policy: typeof policy === 'string' ? policy : policyText(policy),
    intent: intentValue === null ? null : typeof intentValue === 'string' ? intentValue : intentText(intentValue),
    ...extra,
  });

  /** The conformance corpus's generated cases: every family, every draw, in order. */
  function generatedCases() {
    const cases = [];
    const counters = {};
    const add = (group, policy, intentValue, extra = {}) => {
      counters[group] = (counters[group] ?? 0) + 1;
      const c = materialize(group, policy, intentValue, extra);
      cases.push({ id: `gen/${group}/${String(counters[group]).padStart(3, '0')}`, ...c, group: `generated/${group}` });
    };
    for (const { count, body } of SECTIONS) for (let n = 0; n < count; n++) body(n, add);
    return cases;
  }

  /**
   * One random case (for the differential runner): a family drawn with weight `count` (at most
   * 60; fixed lists weigh 8), one draw of it, and one of the cases that draw made.
   */
  function randomCase() {
    const weight = (s) => (s.count === 1 ? 8 : Math.min(s.count, 60));
    let r = rng() * SECTIONS.reduce((t, s) => t + weight(s), 0);
    let chosen = SECTIONS[SECTIONS.length - 1];
    for (const s of SECTIONS) {
      r -= weight(s);
      if (r < 0) { chosen = s; break; }
    }
    const made = [];
    chosen.body(int(0, chosen.count - 1), (...args) => made.push(args));
    const [group, policy, intentValue, extra = {}] = pick(made);
    // Policy-only cases get an intent too, for the commands that need one.
    return { family: chosen.name, ...materialize(group, policy, intentValue === null ? intent() : intentValue, extra) };
  }

  return { generatedCases, randomCase, selectorNames: SELECTOR_NAMES, verdicts: VERDICTS, rng };
}
