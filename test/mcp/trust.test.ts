// MCP server trust (mcp.md §5, §6): the decision for the fixture snapshots against Gait's recorded
// `mcp_trust` objects, every status, reason ordering, the verdict raise and its quirks, and the
// snapshot parser's failures.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyMcpTrust, decideMcpTrust, mcpVerifyRiskClass, parseMcpTrustSnapshot, McpTrustSnapshotError,
} from '../../bindings/mcp/trust.js';
import { parsePolicyYaml } from '../../bindings/policy/index.js';
import type { PolicyMcpTrust, Verdict } from '../../bindings/policy/model.js';
import type { McpServerInfo, McpTrustDecision, ReadTrustSnapshot } from '../../bindings/mcp/types.js';
import { FIXTURES } from '../cli/run.js';

const MCP = path.join(FIXTURES, 'mcp');
const NOW = new Date('2026-12-03T12:00:00Z');
const HTTP_ORDER = [
  'server_id', 'server_name', 'publisher', 'source', 'status', 'decision_source', 'score', 'threshold', 'updated_at',
  'max_age_seconds', 'required', 'enforced', 'registry_verified', 'publisher_allowed', 'reason_codes',
];

/** Reads fixture files relative to the mcp fixture folder, as Gait run from there would. */
const fixtureReader: ReadTrustSnapshot = async (p) => readFileSync(path.join(MCP, p));
const policyFile = (name: string) => parsePolicyYaml(readFileSync(path.join(MCP, 'policies', name), 'utf8'));
const trustOf = (yaml: string): PolicyMcpTrust => parsePolicyYaml(yaml).mcp_trust;
const server = (s: Partial<McpServerInfo>): McpServerInfo => ({ server_id: '', server_name: '', publisher: '', source: '', endpoint: '', ...s });
const memory = (files: Record<string, string>): ReadTrustSnapshot => async (p) => {
  if (!(p in files)) throw new Error(`open ${p}: no such file or directory`);
  return files[p]!;
};
const snapshotTrust = (extra = '') => trustOf(`default_verdict: allow\nmcp_trust:\n  snapshot: snap.json\n  required_risk_classes: [high]\n${extra}`);
const decideWith = (snapshot: unknown, s: Partial<McpServerInfo>, extra = '', risk = 'high', now = NOW) =>
  decideMcpTrust(snapshotTrust(extra), server(s), risk, now, memory({ 'snap.json': typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot) }));

interface ProxyCase { id: string; cmd: string[]; stdout_json: Record<string, any> }
const proxyCases: ProxyCase[] = readFileSync(path.join(MCP, 'EXPECTED.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
  .filter((c: ProxyCase) => c.cmd[1] === 'proxy' && c.stdout_json?.['mcp_trust'] !== undefined);
const flag = (cmd: string[], name: string) => cmd[cmd.indexOf(name) + 1]!;

describe('decideMcpTrust: the proxy cases of EXPECTED.jsonl', () => {
  it('covers the recorded trust cases', () => {
    expect(proxyCases.length).toBeGreaterThanOrEqual(24);
  });

  it.each(proxyCases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const policy = policyFile(path.basename(flag(c.cmd, '--policy')));
    const call = JSON.parse(readFileSync(path.join(MCP, flag(c.cmd, '--call')), 'utf8'));
    const adapter = c.cmd.includes('--adapter') ? flag(c.cmd, '--adapter') : 'mcp';
    // Only the mcp adapter carries `server` and the raw risk class (mcp.md §2, §6.4).
    const srv = adapter === 'mcp' && call.server ? server(call.server) : undefined;
    const risk = adapter === 'mcp' ? call.context?.risk_class ?? '' : '';
    const decision = await decideMcpTrust(policy.mcp_trust, srv, risk, NOW, fixtureReader);
    const expected = c.stdout_json['mcp_trust'];
    expect(decision).toEqual(expected);
    const keys = Object.keys(decision!);
    expect(keys).toEqual(HTTP_ORDER.filter((k) => keys.includes(k)));

    // The verdict before trust is the policy default (these policies have no rules).
    const out = c.stdout_json;
    const before = {
      verdict: policy.default_verdict as Verdict,
      reason_codes: (out['reason_codes'] as string[]).filter((r) => !expected.reason_codes.includes(r)),
      violations: ((out['violations'] ?? []) as string[]).filter((v) => v !== 'mcp_trust_policy'),
    };
    expect(applyMcpTrust(before, decision!, policy.mcp_trust.action)).toEqual({
      verdict: out['verdict'], reason_codes: out['reason_codes'], violations: out['violations'] ?? [],
    });
  });
});

describe('decideMcpTrust: statuses and reasons', () => {
  const entry = { server_id: 'srv', publisher: 'acme', score: 0.9, status: 'trusted', updated_at: '2026-12-01T00:00:00Z' };

  it('is undefined without an enabled mcp_trust section, and reads nothing', async () => {
    let reads = 0;
    const read: ReadTrustSnapshot = async () => {
      reads++;
      return '{}';
    };
    expect(await decideMcpTrust(policyFile('allow.yaml').mcp_trust, server({ server_id: 'x' }), 'high', NOW, read)).toBeUndefined();
    expect(reads).toBe(0);
  });

  it('reads the snapshot on every decision', async () => {
    const paths: string[] = [];
    const read: ReadTrustSnapshot = async (p) => {
      paths.push(p);
      return JSON.stringify({ entries: [entry] });
    };
    const trust = trustOf('mcp_trust:\n  snapshot: "  snap.json  "\n');
    await decideMcpTrust(trust, server({ server_id: 'srv' }), 'high', NOW, read);
    await decideMcpTrust(trust, server({ server_id: 'srv' }), 'high', NOW, read);
    expect(paths).toEqual(['snap.json', 'snap.json']);
  });

  it('trusted: mcp_trust_verified, never enforced; values copied from the entry', async () => {
    const d = await decideWith({ entries: [{ ...entry, server_id: ' SRV ', server_name: ' Srv ', publisher: ' ACME ', source: 'Snyk', evidence_path: ' ev.json ' }] },
      { server_id: 'srv', publisher: 'other', source: 'elsewhere' });
    expect(d).toEqual({
      server_id: 'SRV', server_name: 'Srv', publisher: 'acme', source: 'snyk', status: 'trusted', decision_source: 'ev.json',
      score: 0.9, updated_at: '2026-12-01T00:00:00Z', required: true, reason_codes: ['mcp_trust_verified'],
    });
  });

  it('trusted for the statuses trusted, allow, pass and an empty one', async () => {
    for (const status of ['trusted', 'ALLOW', ' pass ', '']) {
      expect((await decideWith({ entries: [{ ...entry, status }] }, { server_id: 'srv' }))?.status).toBe('trusted');
    }
  });

  it('an entry without publisher or source overwrites the call’s (empty strings are copied too)', async () => {
    const d = await decideWith({ entries: [{ server_id: 'srv' }] }, { server_id: 'srv', server_name: 'Name', publisher: 'acme', source: 'x' });
    expect(d).toEqual({ server_id: 'srv', status: 'trusted', decision_source: 'snap.json', updated_at: '0001-01-01T00:00:00Z', required: true, reason_codes: ['mcp_trust_verified'] });
  });

  it('missing: no identifier (enforced when required), before the snapshot is read', async () => {
    let reads = 0;
    const read: ReadTrustSnapshot = async () => {
      reads++;
      return '{}';
    };
    const d = await decideMcpTrust(snapshotTrust('  min_score: 0.5\n'), server({ server_id: '  ', publisher: ' ACME ', source: ' S ' }), ' HIGH ', NOW, read);
    expect(d).toEqual({
      publisher: 'acme', source: 's', status: 'missing', decision_source: 'snap.json', threshold: 0.5, updated_at: '0001-01-01T00:00:00Z',
      required: true, enforced: true, reason_codes: ['mcp_trust_identifier_missing'],
    });
    expect(await decideMcpTrust(snapshotTrust(), undefined, 'low', NOW, read)).toEqual({
      status: 'missing', decision_source: 'snap.json', updated_at: '0001-01-01T00:00:00Z', reason_codes: ['mcp_trust_identifier_missing'],
    });
    expect(reads).toBe(0);
  });

  it('missing: snapshot unavailable; invalid: snapshot invalid; unknown: no entry', async () => {
    const srv = server({ server_id: 'srv' });
    expect(await decideMcpTrust(snapshotTrust(), srv, 'high', NOW, memory({}))).toMatchObject({
      status: 'missing', enforced: true, reason_codes: ['mcp_trust_snapshot_unavailable'],
    });
    expect(await decideWith('{"entries":', { server_id: 'srv' })).toMatchObject({ status: 'invalid', enforced: true, reason_codes: ['mcp_trust_snapshot_invalid'] });
    expect(await decideWith({ entries: [entry] }, { server_id: 'other' })).toMatchObject({ status: 'unknown', enforced: true, reason_codes: ['mcp_trust_server_unknown'] });
    expect(await decideWith({ entries: [entry] }, { server_id: 'other' }, '', 'low')).toEqual({
      server_id: 'other', status: 'unknown', decision_source: 'snap.json', updated_at: '0001-01-01T00:00:00Z', reason_codes: ['mcp_trust_server_unknown'],
    });
  });

  it('looks a server up by id, else by name, case-insensitively', async () => {
    const snap = { entries: [{ server_name: 'Named', status: 'trusted' }, { server_id: 'ID1', server_name: 'Other' }] };
    expect((await decideWith(snap, { server_name: ' NAMED ' }))?.status).toBe('trusted');
    expect((await decideWith(snap, { server_id: 'id1', server_name: 'Named' }))?.server_name).toBe('Other');
    // An id that matches no entry is not retried by name.
    expect((await decideWith(snap, { server_id: 'nope', server_name: 'Named' }))?.status).toBe('unknown');
  });

  it('untrusted: a status outside trusted/allow/pass', async () => {
    expect(await decideWith({ entries: [{ ...entry, status: 'Revoked' }] }, { server_id: 'srv' })).toMatchObject({
      status: 'untrusted', enforced: true, reason_codes: ['mcp_trust_status_untrusted'],
    });
  });

  it('untrusted: a publisher outside the allowlist; publisher_allowed when inside', async () => {
    const allow = '  publisher_allowlist: [Other, ACME]\n';
    expect(await decideWith({ entries: [{ ...entry, publisher: 'evil' }] }, { server_id: 'srv' }, allow)).toMatchObject({
      status: 'untrusted', reason_codes: ['mcp_trust_publisher_untrusted'],
    });
    const ok = await decideWith({ entries: [entry] }, { server_id: 'srv' }, allow);
    expect(ok).toMatchObject({ status: 'trusted', publisher_allowed: true });
  });

  it('invalid: require_registry without a verified registry record', async () => {
    const good = { pin_present: true, pin_verified: true, signature_verified: true, publisher_allowed: true };
    const req = '  require_registry: true\n';
    const status = async (rv: unknown) => (await decideWith({ entries: [{ ...entry, registry_verification: rv }] }, { server_id: 'srv' }, req))!;
    expect(await status(good)).toMatchObject({ status: 'trusted', registry_verified: true });
    expect(await status({ ...good, pin_present: false, pin_verified: false })).toMatchObject({ status: 'trusted', registry_verified: true });
    for (const bad of [null, { ...good, pin_verified: false }, { ...good, signature_verified: false }, { ...good, publisher_allowed: false }]) {
      const d = await status(bad);
      expect(d).toMatchObject({ status: 'invalid', reason_codes: ['mcp_trust_registry_unverified'] });
      expect(d.registry_verified).toBeUndefined();
    }
  });

  it('stale: no updated_at, or updated_at + max_age before now (not at now)', async () => {
    const age = '  max_age: 1h\n';
    const at = (updated_at: string | undefined, now = NOW) => decideWith({ entries: [{ ...entry, updated_at }] }, { server_id: 'srv' }, age, 'high', now);
    expect(await at(undefined)).toMatchObject({ status: 'stale', max_age_seconds: 3600, updated_at: '0001-01-01T00:00:00Z', reason_codes: ['mcp_trust_stale'] });
    expect(await at('0001-01-01T00:00:00Z')).toMatchObject({ status: 'stale' });
    expect(await at('2026-12-03T11:00:00Z')).toMatchObject({ status: 'trusted' });
    expect(await at('2026-12-03T10:59:59.999Z')).toMatchObject({ status: 'stale' });
    expect(await at('2026-12-03T16:00:00+05:00')).toMatchObject({ status: 'trusted', updated_at: '2026-12-03T11:00:00Z' });
    // Without max_age, age never matters.
    expect((await decideWith({ entries: [{ ...entry, updated_at: undefined }] }, { server_id: 'srv' }))?.status).toBe('trusted');
  });

  it('below_threshold: score under min_score (equal passes)', async () => {
    const min = '  min_score: 0.9\n';
    expect(await decideWith({ entries: [{ ...entry, score: 0.89 }] }, { server_id: 'srv' }, min)).toMatchObject({
      status: 'below_threshold', threshold: 0.9, score: 0.89, reason_codes: ['mcp_trust_below_threshold'],
    });
    expect((await decideWith({ entries: [entry] }, { server_id: 'srv' }, min))?.status).toBe('trusted');
  });

  it('several failures: reasons sorted, status from the first one collected', async () => {
    const strict = '  min_score: 0.95\n  max_age: 1h\n  publisher_allowlist: [acme]\n  require_registry: true\n';
    const all = await decideWith({ entries: [{ server_id: 'srv', publisher: 'evil', score: 0.1, status: 'revoked' }] }, { server_id: 'srv' }, strict);
    expect(all).toMatchObject({
      status: 'untrusted',
      reason_codes: ['mcp_trust_below_threshold', 'mcp_trust_publisher_untrusted', 'mcp_trust_registry_unverified', 'mcp_trust_stale', 'mcp_trust_status_untrusted'],
    });
    const fromRegistry = await decideWith({ entries: [{ server_id: 'srv', publisher: 'acme', score: 0.1 }] }, { server_id: 'srv' }, strict);
    expect(fromRegistry).toMatchObject({ status: 'invalid', publisher_allowed: true, reason_codes: ['mcp_trust_below_threshold', 'mcp_trust_registry_unverified', 'mcp_trust_stale'] });
    const fromStale = await decideWith({ entries: [{ server_id: 'srv', score: 0.1 }] }, { server_id: 'srv' }, '  min_score: 0.95\n  max_age: 1h\n');
    expect(fromStale).toMatchObject({ status: 'stale', reason_codes: ['mcp_trust_below_threshold', 'mcp_trust_stale'] });
  });

  it('max_age_seconds counts whole seconds (876000h is 3153600000)', async () => {
    expect(await decideWith({ entries: [] }, { server_id: 'x' }, '  max_age: 876000h\n')).toMatchObject({ max_age_seconds: 3153600000 });
    expect(await decideWith({ entries: [] }, { server_id: 'x' }, '  max_age: 1500ms\n')).toMatchObject({ max_age_seconds: 1 });
  });

  it('required compares the risk class trimmed and case-insensitively', async () => {
    const trust = trustOf('mcp_trust:\n  snapshot: s.json\n  required_risk_classes: [Critical, medium]\n');
    for (const [risk, required] of [[' CRITICAL ', true], ['Medium', true], ['high', false], ['', false]] as const) {
      const d = await decideMcpTrust(trust, server({ server_id: 'x' }), risk, NOW, memory({}));
      expect(d?.required ?? false).toBe(required);
      expect(d?.enforced ?? false).toBe(required);
    }
  });
});

describe('applyMcpTrust (§6.3)', () => {
  const decision = (enforced: boolean): McpTrustDecision => ({
    status: 'below_threshold', updated_at: '0001-01-01T00:00:00Z', reason_codes: ['mcp_trust_below_threshold'], ...(enforced ? { required: true, enforced: true } : {}),
  });
  const current = (verdict: Verdict) => ({ verdict, reason_codes: [' rule_x ', ''], violations: ['z_violation'] });

  it('enforced: block raises allow and require_approval; keeps block and dry_run (quirk), adding the violation', () => {
    const raised = (v: Verdict) => applyMcpTrust(current(v), decision(true), 'block');
    expect(raised('allow')).toEqual({ verdict: 'block', reason_codes: ['mcp_trust_below_threshold', 'rule_x'], violations: ['mcp_trust_policy', 'z_violation'] });
    expect(raised('require_approval').verdict).toBe('block');
    expect(raised('block').verdict).toBe('block');
    expect(raised('dry_run')).toEqual({ verdict: 'dry_run', reason_codes: ['mcp_trust_below_threshold', 'rule_x'], violations: ['mcp_trust_policy', 'z_violation'] });
  });

  it('enforced: require_approval raises allow only', () => {
    const raised = (v: Verdict) => applyMcpTrust(current(v), decision(true), 'require_approval').verdict;
    expect(raised('allow')).toBe('require_approval');
    expect(raised('require_approval')).toBe('require_approval');
    expect(raised('block')).toBe('block');
    expect(raised('dry_run')).toBe('dry_run');
  });

  it('not enforced: the verdict and violations stay, the reasons still merge', () => {
    expect(applyMcpTrust({ verdict: 'allow', reason_codes: ['b', 'a'], violations: [] }, decision(false), 'block')).toEqual({
      verdict: 'allow', reason_codes: ['a', 'b', 'mcp_trust_below_threshold'], violations: [],
    });
  });

  it('de-duplicates the violation', () => {
    expect(applyMcpTrust({ verdict: 'block', reason_codes: [], violations: ['mcp_trust_policy'] }, decision(true), 'block').violations).toEqual(['mcp_trust_policy']);
  });
});

describe('mcpVerifyRiskClass (§6.4)', () => {
  const trust = (classes: string[]): PolicyMcpTrust => ({ ...snapshotTrust(), required_risk_classes: classes });

  it('uses the flag, trimmed and lowercased, when not blank', () => {
    expect(mcpVerifyRiskClass(trust(['critical']), ' LOW ')).toBe('low');
    expect(mcpVerifyRiskClass(trust(['medium']), '  ')).toBe('medium');
  });

  it('else the most severe required class; ties and unknown classes keep the earlier entry', () => {
    expect(mcpVerifyRiskClass(trust(['critical', 'high']))).toBe('critical');
    expect(mcpVerifyRiskClass(trust(['low', 'high', 'medium']))).toBe('high');
    expect(mcpVerifyRiskClass(trust(['zeta', 'alpha']))).toBe('zeta');
    expect(mcpVerifyRiskClass(trust(['zeta', 'low']))).toBe('low');
    expect(mcpVerifyRiskClass(trust([]))).toBe('high');
  });

  it('defaults to critical for a policy with the default classes', () => {
    expect(mcpVerifyRiskClass(policyFile('trust_defaults.yaml').mcp_trust)).toBe('critical');
  });
});

describe('parseMcpTrustSnapshot (§5)', () => {
  const bad = (text: string, message: string | RegExp) => {
    expect(() => parseMcpTrustSnapshot(text)).toThrow(McpTrustSnapshotError);
    expect(() => parseMcpTrustSnapshot(text)).toThrow(message);
  };

  it('reads the valid fixture, entries sorted by key and normalized', () => {
    const s = parseMcpTrustSnapshot(readFileSync(path.join(MCP, 'trust/snapshot.json')));
    expect(s.entries.map((e) => e.key)).toEqual(['badpub', 'github', 'lowscore', 'named only', 'nodate', 'old', 'revoked']);
    const github = s.entries.find((e) => e.key === 'github')!;
    expect(github).toMatchObject({ publisher: 'acme', source: 'snyk', status: 'trusted', score: 0.95, evidence_path: 'trust/evidence/github_report.json' });
    expect(github.registry_verification).toMatchObject({ pin_present: true, pin_verified: true, signature_verified: true, publisher_allowed: true });
  });

  it('is lenient like Go: defaults, null, unknown and case-insensitive keys', () => {
    expect(parseMcpTrustSnapshot('null')).toMatchObject({ schema_id: 'gait.mcp.trust_snapshot', schema_version: '1.0.0', entries: [] });
    expect(parseMcpTrustSnapshot('{"entries":null,"extra":[1]}').entries).toEqual([]);
    const s = parseMcpTrustSnapshot('{"ENTRIES":[{"Server_ID":"A","SCORE":0.5,"Registry_Verification":null,"x":1}]}');
    expect(s.entries).toMatchObject([{ key: 'a', server_id: 'A', score: 0.5, registry_verification: null }]);
  });

  it('rejects bad JSON, types and times', () => {
    bad('{"entries":', /unexpected end of JSON input/);
    bad('{} {}', /invalid character '\{' after top-level value/);
    bad('[]', /cannot unmarshal array into Go value of type mcp.TrustSnapshot/);
    bad('{"entries":[{"server_id":"a","score":"x"}]}', /cannot unmarshal string into Go struct field TrustSnapshotEntry.entries.score of type float64/);
    bad('{"entries":[{"server_id":"a","score":1e400}]}', /cannot unmarshal number 1e400/);
    bad('{"entries":[{"server_id":"a","updated_at":""}]}', /parsing time/);
    bad('{"created_at":"bad"}', /parsing time/);
    bad('{"entries":[{"server_id":"a","registry_verification":{"pin_present":"yes"}}]}', /of type bool/);
  });

  it('rejects another schema id or version (not trimmed, case-sensitive)', () => {
    bad(readFileSync(path.join(MCP, 'trust/snapshot_wrong_schema_id.json'), 'utf8'), /schema_id/);
    bad(readFileSync(path.join(MCP, 'trust/snapshot_bad_schema.json'), 'utf8'), /schema_version "2.0.0"/);
    bad('{"schema_id":" gait.mcp.trust_snapshot "}', /schema_id/);
    bad('{"schema_id":"GAIT.mcp.trust_snapshot"}', /schema_id/);
    bad('{"schema_version":" 1.0.0"}', /schema_version/);
  });

  it('rejects an entry without identity and a repeated identity', () => {
    bad(readFileSync(path.join(MCP, 'trust/snapshot_entry_without_identity.json'), 'utf8'), 'trust snapshot entry[1] requires server_id or server_name');
    bad(readFileSync(path.join(MCP, 'trust/snapshot_duplicate.json'), 'utf8'), 'trust snapshot contains duplicate server identity "github" at entries[0] and entries[1]');
    bad('{"entries":[{"server_name":"X"},{"server_id":"x"}]}', 'duplicate server identity "x"');
  });
});
