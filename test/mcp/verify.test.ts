// The library side of `gait mcp verify` (mcp.md §9) and the Node trust-snapshot reader.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMcpServerDescription, verifyMcpServer } from '../../bindings/mcp/verify.js';
import { nodeTrustSnapshotReader } from '../../bindings/mcp/trust-node.js';
import { parsePolicyYaml } from '../../bindings/policy/index.js';
import { GaitError } from '../../bindings/errors.js';

const policy = (extra: string) => parsePolicyYaml(`default_verdict: allow\nmcp_trust:\n  snapshot: snap.json\n${extra}`);
const SNAP = JSON.stringify({ entries: [{ server_id: 'srv', score: 0.4, updated_at: '2026-03-01T00:00:00Z' }] });
const read = async () => SNAP;

describe('parseMcpServerDescription', () => {
  it('decodes leniently and needs an id or a name', () => {
    expect(parseMcpServerDescription('{"SERVER_ID":" a ","x":1}')).toEqual({ server_id: ' a ', server_name: '', publisher: '', source: '', endpoint: '' });
    const fails = (text: string, message: string) => {
      expect(() => parseMcpServerDescription(text)).toThrow(GaitError);
      expect(() => parseMcpServerDescription(text)).toThrow(message);
    };
    fails('{"server_id":7}', 'parse server description: json: cannot unmarshal number into Go struct field ServerInfo.server_id of type string');
    fails('[]', 'parse server description: json: cannot unmarshal array into Go value of type mcp.ServerInfo');
    fails('{"server_id":"a"} x', "parse server description: invalid character 'x' after top-level value");
    fails('null', 'server description requires server_id or server_name');
    fails('{"server_id":"  ","publisher":"acme"}', 'server description requires server_id or server_name');
  });
});

describe('verifyMcpServer', () => {
  const srv = parseMcpServerDescription('{"server_id":" srv ","server_name":" Name "}');

  it('without trust: allow with the trimmed identity only', async () => {
    expect(await verifyMcpServer(parsePolicyYaml('default_verdict: block\n'), srv)).toEqual({
      output: { ok: true, server_id: 'srv', server_name: 'Name', verdict: 'allow' }, exit_code: 0,
    });
  });

  it('not enforced: allow with the decision', async () => {
    const r = await verifyMcpServer(policy('  min_score: 0.5\n'), srv, { riskClass: 'low', readTrustSnapshot: read });
    expect(r.exit_code).toBe(0);
    expect(r.output).toMatchObject({ ok: true, server_id: 'srv', trust_model: 'local_snapshot', snapshot_path: 'snap.json', verdict: 'allow', reason_codes: ['mcp_trust_below_threshold'] });
    expect(r.output.server_name).toBeUndefined(); // the entry's (empty) name replaces the file's
    expect(r.output.violations).toBeUndefined();
  });

  it('enforced: block (3) or require_approval (4) with the mcp_trust_policy violation', async () => {
    const block = await verifyMcpServer(policy('  min_score: 0.5\n'), srv, { readTrustSnapshot: read });
    expect(block).toMatchObject({ exit_code: 3, output: { ok: false, verdict: 'block', violations: ['mcp_trust_policy'] } });
    const approval = await verifyMcpServer(policy('  min_score: 0.5\n  action: require_approval\n'), srv, { readTrustSnapshot: read });
    expect(approval).toMatchObject({ exit_code: 4, output: { ok: false, verdict: 'require_approval', violations: ['mcp_trust_policy'] } });
  });

  it('without a snapshot reader the snapshot is unavailable (fails closed)', async () => {
    const r = await verifyMcpServer(policy(''), srv);
    expect(r).toMatchObject({ exit_code: 3, output: { verdict: 'block', reason_codes: ['mcp_trust_snapshot_unavailable'] } });
  });
});

describe('nodeTrustSnapshotReader', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-trust-reader-'));
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'snap.json'), SNAP);

  it('reads relative to its working directory', async () => {
    expect(new TextDecoder().decode(await nodeTrustSnapshotReader(dir)('sub/snap.json'))).toBe(SNAP);
    expect(new TextDecoder().decode(await nodeTrustSnapshotReader(path.join(dir, 'sub'))(path.join(dir, 'sub', 'snap.json')))).toBe(SNAP);
  });

  it('rejects missing files, directories, special and oversized files', async () => {
    const reader = nodeTrustSnapshotReader(dir, 8);
    await expect(reader('nope.json')).rejects.toThrow('open nope.json: no such file or directory');
    await expect(reader('sub')).rejects.toThrow('read sub: is a directory');
    await expect(reader('/dev/zero')).rejects.toThrow('not a regular file');
    await expect(reader('sub/snap.json')).rejects.toThrow('exceeds maximum size of 8 bytes');
  });
});
