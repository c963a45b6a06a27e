// Disagreements with Gait v1.3.6 found by the differential runner's artifact scenarios
// (test/oracle/scenarios/artifacts.mjs); each expected value was measured on the binary.
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'gait-runner-findings-'));
const PUBLIC_KEY = FIXTURES + 'scenarios/keys/approval_public.key';

describe('trace verify reads the record before the key (as Gait does)', () => {
  it('a malformed trace without a key is a parse error, not "public key not configured"', async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'trace.json'), '{"trace_id":"x"');
    const r = await gait(['trace', 'verify', 'trace.json', '--json'], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('parse trace record: unexpected end of JSON input');
  });

  it("JSON syntax errors carry Go's messages", async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'trace.json'), '{"a":1,}');
    const r = await gait(['trace', 'verify', 'trace.json', '--json', '--public-key', PUBLIC_KEY], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe("parse trace record: invalid character '}' looking for beginning of object key string");
    writeFileSync(path.join(cwd, 'trace.json'), '');
    const empty = await gait(['trace', 'verify', 'trace.json', '--json', '--public-key', PUBLIC_KEY], { cwd });
    expect(empty.json.error).toBe('parse trace record: unexpected end of JSON input');
  });

  it('a valid trace without a key still needs one', async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'trace.json'), '{}');
    const r = await gait(['trace', 'verify', 'trace.json', '--json'], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('public key not configured');
  });
});

describe('keys init creates only --out-dir', () => {
  it('a prefix naming a sub-folder that does not exist fails to write, nothing written', async () => {
    const cwd = dir();
    const r = await gait(['keys', 'init', '--out-dir', 'keys', '--prefix', 'a/b', '--json'], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('write private key: open keys/a/b_private.key: no such file or directory');
    expect(existsSync(path.join(cwd, 'keys/a'))).toBe(false);
  });
});

describe('policy simulate text output', () => {
  it('is the summary line alone', async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'base.yaml'), 'default_verdict: allow\n');
    writeFileSync(path.join(cwd, 'cand.yaml'), 'default_verdict: block\n');
    writeFileSync(path.join(cwd, 'i.json'), JSON.stringify({ tool_name: 'tool.read', args: {}, targets: [{ kind: 'path', value: '/tmp/x' }], context: { identity: 'a', workspace: '/r', risk_class: 'low' } }));
    const r = await gait(['policy', 'simulate', '--policy', 'cand.yaml', '--baseline', 'base.yaml', '--fixtures', 'i.json'], { cwd });
    expect(r.exit).toBe(0);
    expect(r.stdout).toBe('policy simulate fixtures=1 changed=1 recommendation=require_approval\n');
  });
});

describe('approve-script intent errors', () => {
  it('carry normalization messages bare, without a "normalize intent:" prefix', async () => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'policy.yaml'), 'default_verdict: block\n');
    writeFileSync(path.join(cwd, 'intent.json'), '{"script":{"steps":[]}}');
    const r = await gait(['approve-script', '--policy', 'policy.yaml', '--intent', 'intent.json', '--registry', 'r.json', '--approver', 'a', '--json'], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('script.steps must not be empty');
    expect(existsSync(path.join(cwd, 'r.json'))).toBe(false);
  });
});

describe('an unclosed flow collection in policy YAML', () => {
  // Gait reports the opening bracket (spec decision 9: the line:column must match).
  it.each([
    ['rules: [\n', '[1:8]'],
    ['a: [\n  b,\n', '[1:4]'],
    ['a: {\n', '[1:4]'],
    ['rules: [[a]\n', '[1:8]'],
    ['a: [b, [c]\n', '[1:4]'],
    ['a: [[b\n', '[1:5]'], // the innermost
  ])('%j is reported at %s', async (text, position) => {
    const cwd = dir();
    writeFileSync(path.join(cwd, 'policy.yaml'), text);
    const r = await gait(['policy', 'validate', 'policy.yaml', '--json'], { cwd });
    expect(r.exit).toBe(6);
    expect(r.json.error).toMatch(new RegExp(`^parse policy yaml: ${position.replace(/[[\]]/g, '\\$&')} `));
  });
});
