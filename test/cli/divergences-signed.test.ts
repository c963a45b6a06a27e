// Issue 10, signed artifacts (S05-S09) and text-mode errors: cases where gait-wasm disagreed with
// Gait v1.3.6. Expected values are what the real binary printed or wrote for the same input
// (shared/fixtures/gait/divergences/signed/repro.sh and the commands noted beside each case).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait } from './run.js';

/** A fresh working folder with `.gait-out/`, holding the named files. */
function workDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-divergence-signed-'));
  mkdirSync(path.join(dir, '.gait-out'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const intent = (context: Record<string, string>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ tool_name: 'tool.read', args: {}, targets: [], ...extra, context: { identity: 'alice', workspace: '/repo', risk_class: 'low', ...context } });
const READ = intent({});
const brokerPolicy = (reference: string, scopes = '') =>
  `rules:\n- name: b\n  effect: allow\n  require_broker_credential: true\n${reference ? `  broker_reference: ${reference}\n` : ''}${scopes ? `  broker_scopes: [${scopes}]\n` : ''}  match:\n    tool_names: [tool.read]\n`;

async function evalBroker(policy: string, intentText: string, extra: string[], env: Record<string, string> = {}) {
  const dir = workDir({ 'p.yaml': policy, 'i.json': intentText });
  const r = await gait(
    ['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--json', '--trace-out', 'trace.json', '--credential-evidence-out', 'ev.json', ...extra],
    { cwd: dir, env },
  );
  const text = readFileSync(path.join(dir, 'ev.json'), 'utf8');
  return { r, text, record: JSON.parse(text) as Record<string, any> };
}

describe('issue 10, S06: the stub broker\'s credential_ref is a digest of the request', () => {
  // Gait: stub:<first 24 hex of SHA-256("tool|identity|workspace|session|request|reference|scopes")>,
  // the same for the same request; nothing secret goes in (the stub has none).
  const cases: [string, string, string, string[], string][] = [
    ['rule reference', brokerPolicy('egress'), READ, [], 'stub:4b701fe1061fbf0408c1fa2e'],
    ['another identity', brokerPolicy('egress'), intent({ identity: 'bob' }), [], 'stub:1774b020390a12ef22c90c70'],
    ['another workspace', brokerPolicy('egress'), intent({ workspace: '/other' }), [], 'stub:f8952d5e119545daa981c4fe'],
    ['session and request ids', brokerPolicy('egress'), intent({ session_id: 's1', request_id: 'r1' }, { args: { a: 1 } }), [], 'stub:a00b0e96b1e0e9fe973369cd'],
    ['the intent time does not count', brokerPolicy('egress'), intent({}, { created_at: '2026-01-01T00:00:00Z' }), [], 'stub:4b701fe1061fbf0408c1fa2e'],
    ['--credential-ref (trimmed)', brokerPolicy('egress'), READ, ['--credential-ref', ' x '], 'stub:46934010ad0b1a41f0ded4ef'],
    ['--credential-scopes (sorted, unique)', brokerPolicy('egress'), READ, ['--credential-scopes', ' b,a,a'], 'stub:44d832d778f91ab9f788bcec'],
    ['rule scopes and flag scopes', brokerPolicy('egress', 'zz, mm'), READ, ['--credential-scopes', 'b'], 'stub:5b15c366623fb37f4d6c88af'],
    ['no reference', brokerPolicy(''), READ, [], 'stub:8430a23b844f4073ccb42645'],
  ];
  it.each(cases)('%s', async (_name, policy, intentText, extra, expected) => {
    for (const evaluationTime of ['2026-12-03T11:00:00Z', '2027-01-01T00:00:00Z']) {
      const { r, record } = await evalBroker(policy, intentText, ['--credential-broker', 'stub', '--evaluation-time', evaluationTime, ...extra]);
      expect(r.exit, r.stdout).toBe(0);
      expect(r.json['credential_ref']).toBe(expected);
      expect(record['credential_ref']).toBe(expected);
    }
  });
});
