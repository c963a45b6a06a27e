// The envelope generator (gen-envelope.mjs): deterministic per seed, every kind does what its name
// says here, and (with the Gait oracle present) Gait answers each kind as gait-wasm does.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { generateEnvelope, ENVELOPE_KINDS } from './gen-envelope.mjs';
// @ts-expect-error plain ES module without types
import { mulberry32 } from '../../conformance/generator.mjs';
import { gait, FIXTURES, REPO } from '../cli/run.js';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);
const KEY = path.join(FIXTURES, 'scenarios/keys/approval_private.key');
const POLICY = { default_verdict: 'block', rules: [{ name: 'ctx', effect: 'allow', require_context_evidence: true, max_context_age_seconds: 60, match: { tool_names: ['tool.write'] } }] };
const INTENT = {
  schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-05T00:00:00Z', producer_version: 'test',
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo', risk_class: 'high' },
};

function caseDir(kind: string, seed: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-gen-envelope-'));
  mkdirSync(path.join(dir, '.gait-out'));
  const e = generateEnvelope({ rng: mulberry32(seed), policy: POLICY, intent: INTENT, dir, kind });
  writeFileSync(path.join(dir, 'policy.yaml'), JSON.stringify(POLICY));
  writeFileSync(path.join(dir, 'intent.json'), JSON.stringify(e.intent));
  return { dir, e };
}

const ARGS = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--context-envelope', 'context_envelope.json', '--json', '--key-mode', 'prod', '--private-key', KEY, '--trace-out', 'trace.json'];

describe('generateEnvelope', () => {
  it('is deterministic for a seed', () => {
    const a = caseDir('fresh', 7);
    const b = caseDir('fresh', 7);
    expect(readFileSync(a.e.path, 'utf8')).toBe(readFileSync(b.e.path, 'utf8'));
    const free = (seed: number) => generateEnvelope({ rng: mulberry32(seed), policy: POLICY, intent: INTENT, dir: a.dir, name: `f${seed}.json` });
    expect(free(9).kind).toBe(free(9).kind);
  });

  it.each(ENVELOPE_KINDS as string[])('%s', async (kind) => {
    const { dir, e } = caseDir(kind, 11);
    const ours = await gait(ARGS, { cwd: dir });
    if (e.valid) {
      expect(ours.exit, ours.stdout).not.toBe(6);
      expect(ours.json['context_source']).toBe('context_envelope');
      if (kind === 'stale') expect(ours.json['reason_codes']).toContain('context_freshness_exceeded');
      if (kind === 'fresh') expect(ours.json['verdict']).toBe('allow');
    } else {
      expect(ours.exit, ours.stdout).toBe(6);
    }
    if (!ORACLE) return;
    const refDir = caseDir(kind, 11).dir;
    const r = spawnSync(ORACLE, ARGS, { cwd: refDir, encoding: 'utf8', timeout: 30_000 });
    expect(ours.exit).toBe(r.status);
    const mask = (j: Record<string, any>) => {
      const { correlation_id: _c, ...rest } = j;
      if (e.clockDependent) for (const k of ['intent_digest', 'trace_id']) delete rest[k];
      return rest;
    };
    expect(mask(ours.json)).toEqual(mask(JSON.parse(r.stdout.trim())));
  });
});
