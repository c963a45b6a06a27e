// The conformance corpus's enforcement cases (conformance/enforce-cases.mjs), which every runtime
// reproduces byte for byte, are also what `gait gate eval` answers: the same result object (less
// the CLI's paths and correlation id), exit code, trace and audit records, run after run on one
// state file.
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import { parseCorpus } from '../../conformance/runner.mjs';
import { gait, REPO } from '../cli/run.js';

interface EnforceSpec {
  signing_key: string; now: string; clock: string; runs: number; profile?: string; simulate?: boolean;
  approval?: { tokens?: string[]; token_ref?: string; verify_key?: string };
  delegation?: { tokens?: string[]; verify_key?: string };
  approved_scripts?: { registry: string; verify_key?: string };
}
interface Run { error?: string; result?: Record<string, unknown>; exit_code?: number; trace?: Record<string, unknown>; approval_audit?: unknown; delegation_audit?: unknown }
interface Case { id: string; policy: string; intent: string; enforce?: EnforceSpec; result: { runs: Run[] } }

const cases: Case[] = parseCorpus(readFileSync(path.join(REPO, 'conformance/corpus.jsonl'), 'utf8')).filter((c: Case) => c.enforce);

/** The CLI's argv for a case, with every value written to a file in `dir`. */
function argv(c: Case, dir: string): string[] {
  const e = c.enforce!;
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return name;
  };
  const args = ['gate', 'eval', '--policy', file('policy.yaml', c.policy), '--intent', file('intent.json', c.intent), '--json',
    '--key-mode', 'prod', '--private-key', file('signing.key', e.signing_key), '--evaluation-time', e.now, '--trace-out', 'trace.json',
    '--approval-audit-out', 'approval_audit.json', '--delegation-audit-out', 'delegation_audit.json', '--rate-limit-state', 'state.json'];
  if (e.profile) args.push('--profile', e.profile);
  if (e.simulate) args.push('--simulate');
  const tokens = (kind: string, list: string[] | undefined) => {
    if (!list?.length) return;
    const names = list.map((t, i) => file(`${kind}_${i}.json`, t));
    args.push(`--${kind}-token`, names[0]!);
    if (names.length > 1) args.push(`--${kind}-token-chain`, names.slice(1).join(','));
  };
  tokens('approval', e.approval?.tokens);
  tokens('delegation', e.delegation?.tokens);
  if (e.approval?.token_ref) args.push('--approval-token-ref', e.approval.token_ref);
  if (e.approval?.verify_key) args.push('--approval-public-key', file('approval.pub', e.approval.verify_key));
  if (e.delegation?.verify_key) args.push('--delegation-public-key', file('delegation.pub', e.delegation.verify_key));
  if (e.approved_scripts) {
    args.push('--approved-script-registry', file('registry.json', e.approved_scripts.registry));
    if (e.approved_scripts.verify_key) args.push('--approved-script-public-key', file('scripts.pub', e.approved_scripts.verify_key));
  }
  return args;
}

const RANDOM = ['observed_at', 'event_id', 'correlation_id', 'latency_ms', 'producer_version'];
const blankTrace = (t: Record<string, unknown>) => {
  const out: Record<string, unknown> = { ...t };
  // A pre-approved script's created_at is the clock's (fixed in the corpus, the wall clock here).
  if (t['pre_approved']) out['created_at'] = '';
  for (const k of RANDOM) delete out[k];
  const sig = t['signature'] as Record<string, unknown> | undefined;
  if (sig) out['signature'] = { ...sig, sig: '', signed_digest: '' };
  return out;
};
const stripProducer = (v: unknown) => (v && typeof v === 'object' ? { ...(v as object), producer_version: '' } : v);

describe('enforcement corpus cases agree with gait gate eval', () => {
  it('has enforcement cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));
  for (const c of cases) {
    it(c.id, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'gait-enforce-cli-'));
      try {
        mkdirSync(path.join(dir, '.gait-out'));
        const args = argv(c, dir);
        for (const [n, expected] of c.result.runs.entries()) {
          const r = await gait(args, { cwd: dir });
          if (expected.error !== undefined) {
            expect(r.exit, `run ${n}: ${r.stdout}`).not.toBe(0);
            expect(r.json.error).toBe(expected.error);
            continue;
          }
          expect(r.exit, `run ${n}: ${r.stdout}${r.stderr}`).toBe(expected.exit_code);
          const { trace_path: _t, approval_audit_path: _a, delegation_audit_path: _d, correlation_id: _c, ...result } = r.json;
          const { trace_path: _t2, approval_audit_path: _a2, delegation_audit_path: _d2, ...expectedResult } = expected.result!;
          expect(result, `run ${n}`).toEqual(expectedResult);
          const trace = JSON.parse(readFileSync(path.join(dir, 'trace.json'), 'utf8'));
          expect(blankTrace(trace), `run ${n} trace`).toEqual(blankTrace(expected.trace!));
          for (const [name, audit] of [['approval_audit.json', expected.approval_audit], ['delegation_audit.json', expected.delegation_audit]] as const) {
            const p = path.join(dir, name);
            expect(existsSync(p), `run ${n}: ${name}`).toBe(audit !== undefined);
            if (audit !== undefined) expect(stripProducer(JSON.parse(readFileSync(p, 'utf8')))).toEqual(stripProducer(audit));
            rmSync(p, { force: true });
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
