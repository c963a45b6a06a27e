// What `gait mcp proxy` leaves on disk: the trace (default name, verifiable with a prod key), export
// files (modes, one line per call, lock released), the job state it reads, and nothing on failure.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyMcpFixtures, runGaitIn } from './fixture-cases.js';
import { REPO } from '../cli/run.js';
import { parseTraceRecord, verifyTrace } from '../../bindings/crypto/trace.js';
import { parsePublicKey } from '../../bindings/crypto/keys.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
  dir = '';
});

const PROXY = ['mcp', 'proxy', '--policy', 'policies/allow.yaml', '--call', 'calls/mcp/read_path.json'];

describe('mcp proxy files', () => {
  it('writes the trace under its default name (trace_<normalized --run-id>_<UTC time>.json), mode 0600', async () => {
    dir = copyMcpFixtures();
    const r = await runGaitIn(dir, [...PROXY, '--run-id', 'Nightly #7', '--json']);
    expect(r.exit).toBe(0);
    const tracePath = JSON.parse(r.stdout).trace_path as string;
    expect(tracePath).toMatch(/^trace_run_Nightly_7_\d{8}T\d{6}\.\d{9}\.json$/);
    expect(statSync(path.join(dir, tracePath)).mode & 0o777).toBe(0o600);
    const r2 = await runGaitIn(dir, [...PROXY, '--json']);
    expect(JSON.parse(r2.stdout).trace_path).toMatch(/^trace__\d{8}T\d{6}\.\d{9}\.json$/);
  });

  it('signs the trace with a prod key: it verifies, carries the final verdict and no correlation id', async () => {
    dir = copyMcpFixtures();
    const r = await runGaitIn(dir, [
      'mcp', 'proxy', '--policy', 'policies/rules.yaml', '--call', 'calls/mcp/exec_block.json', '--key-mode', 'prod',
      '--private-key', '../scenarios/keys/approval_private.key', '--trace-out', 'out/t.json', '--json',
    ]);
    expect(r.exit).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.warnings ?? []).not.toContain('dev mode: ephemeral keypair generated; signatures will not verify across machines');
    const trace = parseTraceRecord(readFileSync(path.join(dir, 'out/t.json'), 'utf8'));
    expect(trace).toMatchObject({ trace_id: out.trace_id, verdict: 'block', intent_digest: out.intent_digest, policy_digest: out.policy_digest });
    expect(trace.correlation_id).toBeUndefined();
    const key = parsePublicKey(readFileSync(path.join(dir, '../scenarios/keys/approval_public.key'), 'utf8'));
    expect((await verifyTrace(trace, key)).ok).toBe(true);
  });

  it('appends one line per call to each export file: folders 0750, files 0600, no lock left', async () => {
    dir = copyMcpFixtures();
    const args = [...PROXY, '--trace-out', 'out/t.json', '--export-log-out', 'ex/deep/events.jsonl', '--export-otel-out', ' ex/otel.jsonl ', '--json'];
    for (let i = 0; i < 2; i++) {
      const r = await runGaitIn(dir, args);
      expect(r.exit).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ log_export: 'ex/deep/events.jsonl', otel_export: 'ex/otel.jsonl' });
    }
    expect(readFileSync(path.join(dir, 'ex/deep/events.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(readFileSync(path.join(dir, 'ex/otel.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(statSync(path.join(dir, 'ex/deep/events.jsonl')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'ex/deep')).mode & 0o777).toBe(0o750);
    expect(readdirSync(path.join(dir, 'ex')).filter((f) => f.endsWith('.lock'))).toEqual([]);
  });

  it('a bad export path fails before the trace is written (Gait writes the trace first)', async () => {
    dir = copyMcpFixtures();
    const r = await runGaitIn(dir, [...PROXY, '--export-otel-out', '../x.jsonl', '--trace-out', 'out/t.json', '--json']);
    expect(r.exit).toBe(6);
    expect(JSON.parse(r.stdout).error).toBe('append export file: path must be local relative or absolute');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('reads <job-root>/<job_id>/state.json: an emergency-stopped job blocks, a running one does not', async () => {
    dir = copyMcpFixtures();
    const state = (status: string) => {
      mkdirSync(path.join(dir, 'jobs/job-123'), { recursive: true });
      writeFileSync(path.join(dir, 'jobs/job-123/state.json'), JSON.stringify({ job_id: 'job-123', status, stop_reason: status }));
    };
    const args = ['mcp', 'proxy', '--policy', 'policies/allow.yaml', '--call', 'calls/mcp/job_id.json', '--job-root', 'jobs', '--trace-out', 'out/t.json', '--json'];
    state('emergency_stopped');
    let r = await runGaitIn(dir, args);
    expect(r.exit).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'block', reason_codes: ['default_allow', 'emergency_stop_preempted'], violations: ['emergency_stop_active'] });
    state('running');
    r = await runGaitIn(dir, args);
    expect(r.exit).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('allow');
  });

  it.skipIf(!existsSync(path.join(REPO, 'dist/bundle/cli-script.js')))('the installed command reads the call from stdin (`--call -`)', () => {
    dir = copyMcpFixtures();
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/gait.js'), 'mcp', 'bridge', '--policy', 'policies/rules.yaml', '--call', ' - ', '--adapter', 'claude_code', '--trace-out', 'out/t.json', '--json'], {
      cwd: dir, input: readFileSync(path.join(dir, 'calls/claude_code/bash.json')), encoding: 'utf8',
    });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ adapter: 'claude_code', tool_name: 'tool.exec', verdict: 'block' });
  });
});
