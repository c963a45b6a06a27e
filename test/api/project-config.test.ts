// The project config parser and the gate eval defaults (bindings/project-config.ts). Expected
// values and error positions are Gait v1.3.6's, established with the binary.
import { describe, expect, it } from 'vitest';
import { applyGateDefaults, emptyProjectConfig, parseProjectConfig, type ProjectConfigResult } from '../../bindings/project-config.js';

const ok = (r: ProjectConfigResult) => {
  if (!r.ok) throw new Error(`expected a config, got: ${r.error}`);
  return r.config;
};
const err = (r: ProjectConfigResult) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('parseProjectConfig', () => {
  it('reads every gate key, trimmed; mcp_serve and retention too', () => {
    const c = ok(parseProjectConfig(`gate:
  policy: "  p.yaml  "
  profile: oss-prod
  key_mode: prod
  private_key: keys/k.key
  private_key_env: K
  approval_public_key: a.pub
  approval_public_key_env: AP
  approval_private_key: a.key
  approval_private_key_env: AK
  rate_limit_state: st/rl.json
  credential_broker: stub
  credential_env_prefix: MYP_
  credential_ref: ref
  credential_scopes: a,b
  credential_command: /bin/broker
  credential_command_args: x,y
  credential_evidence_path: ev/e.json
  trace_path: out/t.json
  wrkr_inventory_path: inv.json
mcp_serve: {enabled: true, listen: " 127.0.0.1:8787 ", auth_mode: Token, max_request_bytes: 1_000, http_verdict_status: Strict}
retention: {trace_ttl: 24h}
`));
    expect(c.gate).toEqual({
      policy: 'p.yaml', profile: 'oss-prod', key_mode: 'prod', private_key: 'keys/k.key', private_key_env: 'K',
      approval_public_key: 'a.pub', approval_public_key_env: 'AP', approval_private_key: 'a.key', approval_private_key_env: 'AK',
      rate_limit_state: 'st/rl.json', credential_broker: 'stub', credential_env_prefix: 'MYP_', credential_ref: 'ref',
      credential_scopes: 'a,b', credential_command: '/bin/broker', credential_command_args: 'x,y',
      credential_evidence_path: 'ev/e.json', trace_path: 'out/t.json', wrkr_inventory_path: 'inv.json',
    });
    expect(c.mcp_serve).toEqual({
      enabled: true, listen: '127.0.0.1:8787', auth_mode: 'token', auth_token_env: '', max_request_bytes: 1000,
      http_verdict_status: 'strict', allow_client_artifact_paths: false,
    });
    expect(c.retention).toEqual({ trace_ttl: '24h', session_ttl: '', export_ttl: '' });
  });

  it('is not strict: unknown keys and sections are ignored, keys are case-sensitive', () => {
    const c = ok(parseProjectConfig('other: {x: [1]}\ngate: {policy: p.yaml, Profile: oss-prod, kill_switch_state: k.json, unknown: [1, 2]}\n'));
    expect(c.gate.policy).toBe('p.yaml');
    expect(c.gate.profile).toBe('');
    expect(c.gate).not.toHaveProperty('kill_switch_state'); // not a v1.3.6 key
  });

  it('whitespace-only text, an empty mapping, a null section or value: the empty config', () => {
    for (const text of ['', '  \n\t\n', '{}', '---', 'gate:', 'gate: null', 'gate: {policy: ~}', '# a comment', '!!null']) {
      expect(ok(parseProjectConfig(text)), JSON.stringify(text)).toEqual(emptyProjectConfig());
    }
  });

  it('scalars of other types become their text in string fields', () => {
    expect(ok(parseProjectConfig('gate: {policy: 5}')).gate.policy).toBe('5');
    expect(ok(parseProjectConfig('gate: {policy: true}')).gate.policy).toBe('true');
    expect(ok(parseProjectConfig('gate: {policy: 1.5}')).gate.policy).toBe('1.5');
  });

  it('aliases, merge keys and the first of several documents', () => {
    expect(ok(parseProjectConfig('a: &x p.yaml\ngate: {policy: *x}')).gate.policy).toBe('p.yaml');
    expect(ok(parseProjectConfig('base: &b {policy: p.yaml}\ngate:\n  <<: *b\n')).gate.policy).toBe('p.yaml');
    expect(ok(parseProjectConfig('gate: {policy: p.yaml}\n---\n- 1\n')).gate.policy).toBe('p.yaml');
  });

  it('errors carry Gait\'s prefix and [line:col]', () => {
    const cases: Array<[string, string]> = [
      ['gate: [1', '[1:7]'],
      ['gate: {policy: [a]}', '[1:16]'],
      ['gate: 5', '[1:7]'],
      ['gate: x', '[1:7]'],
      ['- a', '[1:1]'],
      ['5', '[1:1]'],
      ['null', '[1:1]'],
      ['~', '[1:1]'],
      ['gate: {policy: "p.yaml", profile: {a: 1}}', '[1:35]'],
      ['gate: {policy: p.yaml}\nmcp_serve: {enabled: maybe}', '[2:22]'],
      ['mcp_serve: {enabled: 1}', '[1:22]'],
      ['mcp_serve: {enabled: yes}', '[1:22]'],
      ['mcp_serve: {enabled: ""}', '[1:22]'],
      ['mcp_serve: {max_request_bytes: abc}', '[1:32]'],
      ['mcp_serve: {max_request_bytes: true}', '[1:32]'],
      ['mcp_serve: {max_request_bytes: 9223372036854775808}', '[1:32]'],
      ['mcp_serve: {max_request_bytes: .inf}', '[1:32]'],
      ['mcp_serve: 5', '[1:12]'],
      ['retention: [1]', '[1:12]'],
      ['retention: {trace_ttl: [1]}', '[1:24]'],
      ['gate: {policy: p.yaml, policy: x.yaml}', '[1:24]'],
      ['gate: {policy: x}\ngate: {policy: y}', '[2:1]'],
      ['gate: {policy: p.yaml}\nother: {x: 1, x: 2}', '[2:15]'],
      ['gate: {policy: *nope}', '[1:17]'],
      ['gate:\n\tpolicy: p.yaml', '[2:1]'],
      ['gate: {policy: p.yaml}\n---\ngate: [x', '[3:7]'],
    ];
    for (const [text, where] of cases) {
      expect(err(parseProjectConfig(text)), text).toMatch(new RegExp(`^parse project config: \\${where.slice(0, -1)}\\] `));
    }
  });

  it('accepts what Gait accepts in the typed sections', () => {
    for (const text of [
      'mcp_serve: {enabled: True}', 'mcp_serve: {enabled: FALSE}', 'mcp_serve: {enabled: null}',
      'mcp_serve: {max_request_bytes: "12"}', 'mcp_serve: {max_request_bytes: 1.5}', 'mcp_serve: {max_request_bytes: -5}',
      'mcp_serve: {max_request_bytes: 0x10}', 'mcp_serve: {max_request_bytes: 9223372036854775807}',
      'retention: {trace_ttl: bogus}', 'mcp_serve: {listen: 5}',
    ]) {
      expect(parseProjectConfig(text).ok, text).toBe(true);
    }
  });
});

describe('applyGateDefaults', () => {
  const gate = { ...emptyProjectConfig().gate, policy: 'cfg.yaml', profile: 'oss-prod', trace_path: 'out/t.json', credential_env_prefix: 'MYP_' };

  it('fills missing and blank flags, never a given one, and leaves the input alone', () => {
    const flags = new Map([['profile', ' '], ['trace-out', 'mine.json'], ['intent', 'i.json']]);
    const out = applyGateDefaults(flags, gate);
    expect(Object.fromEntries(out)).toEqual({
      policy: 'cfg.yaml', profile: 'oss-prod', 'trace-out': 'mine.json', intent: 'i.json', 'credential-env-prefix': 'MYP_',
    });
    expect(flags.get('profile')).toBe(' ');
  });

  it('a blank flag takes the config value even when that is empty; a missing one stays missing', () => {
    const flags = new Map([['credential-env-prefix', ' '], ['policy', '\t']]);
    expect(Object.fromEntries(applyGateDefaults(flags, emptyProjectConfig().gate))).toEqual({ 'credential-env-prefix': '', policy: '' });
  });
});
