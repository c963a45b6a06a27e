// Bad input never crashes and never allows: exit 6, the JSON envelope, nothing written.
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gait-bad-'));
const file = (name: string, content: string | Uint8Array): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const GOOD_POLICY = FIXTURES + 'policy-test/allow.yaml';
const GOOD_INTENT = FIXTURES + 'policy-test/intent.json';

const aliasBomb = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
default_verdict: allow
`;

const badPolicies: [string, string | Uint8Array, RegExp][] = [
  ['unknown key', 'default_verdit: allow\n', /unknown field "default_verdit"/],
  ['YAML syntax', 'default_verdict: [\n', /parse policy yaml/],
  ['duplicate key', 'default_verdict: allow\ndefault_verdict: block\n', /already defined/],
  ['wrong type', 'rules: allow\n', /parse policy yaml/],
  ['bad verdict', 'default_verdict: nope\n', /invalid default_verdict: nope/],
  ['legacy keys', 'version: 1\ndefaults: {}\n', /legacy policy proposal fields are not supported \[version, defaults\]/],
  ['alias bomb', aliasBomb, /alias|resource|exceed/i],
  ['non UTF-8', new Uint8Array([0x64, 0x65, 0x66, 0xff, 0xfe, 0x3a, 0x20, 0x61]), /UTF-8/i],
  ['deep nesting', 'rules: ' + '['.repeat(200) + ']'.repeat(200) + '\n', /nest|depth|parse policy yaml/i],
];

const badIntents: [string, string | Uint8Array, RegExp][] = [
  ['invalid JSON', '{"tool_name": ', /parse intent json/],
  ['empty object', '{}', /normalize intent: tool_name is required/],
  ['wrong type', '{"tool_name": 5}', /parse intent json/],
  ['array top level', '[1,2]', /parse intent json/],
  ['bad target kind', JSON.stringify({ tool_name: 't', targets: [{ kind: 'disk', value: 'x' }], context: { identity: 'a', workspace: '/w', risk_class: 'low' } }), /unsupported target kind: disk/],
  ['deep nesting', '{"tool_name":"t","args":' + '{"a":'.repeat(200) + '1' + '}'.repeat(200) + '}', /depth|nest/i],
  ['non UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /UTF-8/i],
  ['oversized', '{"tool_name":"' + 'x'.repeat(2 * 1024 * 1024) + '"}', /exceeds maximum size/],
];

describe('bad policies give exit 6 with a clear message', () => {
  for (const [name, content, pattern] of badPolicies) {
    it(name, async () => {
      const p = file(`policy-${name.replace(/\W/g, '_')}.yaml`, content);
      for (const args of [
        ['policy', 'validate', p, '--json'],
        ['policy', 'test', p, GOOD_INTENT, '--json'],
        ['gate', 'eval', '--policy', p, '--intent', GOOD_INTENT, '--json'],
      ]) {
        const r = await gait(args, { cwd: dir });
        expect(r.exit, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(6);
        expect(r.json.ok).toBe(false);
        expect(r.json.error).toMatch(pattern);
        expect(r.json.error_code).toBe('invalid_input');
        expect(r.json.error_category).toBe('invalid_input');
        expect(r.json.retryable).toBe(false);
        if (name === 'legacy keys') expect(r.json.hint).toMatch(/^use the repo-root `\.gait\.yaml` contract/);
        else expect(r.json.hint).toBe('check command usage and input schema');
        expect(r.stdout).not.toMatch(/\n\s+at /);
      }
    });
  }
});

describe('bad intents give exit 6 with a clear message', () => {
  for (const [name, content, pattern] of badIntents) {
    it(name, async () => {
      const i = file(`intent-${name.replace(/\W/g, '_')}.json`, content);
      for (const args of [
        ['policy', 'test', GOOD_POLICY, i, '--json'],
        ['gate', 'eval', '--policy', GOOD_POLICY, '--intent', i, '--json'],
      ]) {
        const r = await gait(args, { cwd: dir });
        expect(r.exit, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(6);
        expect(r.json.ok).toBe(false);
        expect(r.json.error).toMatch(pattern);
      }
    });
  }

  it('an invalid intent at a fail-closed risk class blocks instead (spec README decision 2)', async () => {
    const policy = file('fc.yaml', 'default_verdict: allow\nfail_closed:\n  enabled: true\n  risk_classes: [high]\n  required_fields: [targets]\n');
    const intent = file('fc-intent.json', JSON.stringify({ tool_name: 'tool.write', context: { identity: 'alice', workspace: '', risk_class: ' HIGH ' } }));
    for (const args of [['policy', 'test', policy, intent, '--json'], ['gate', 'eval', '--policy', policy, '--intent', intent, '--json']]) {
      const r = await gait(args, { cwd: dir });
      expect(r.exit).toBe(3);
      expect(r.json.verdict).toBe('block');
      expect(r.json.reason_codes).toEqual(['fail_closed_intent_invalid']);
      expect(r.json.violations).toEqual(['intent_not_evaluable']);
    }
    const low = file('fc-low.json', JSON.stringify({ tool_name: 'tool.write', context: { identity: 'alice', workspace: '', risk_class: 'low' } }));
    const r = await gait(['policy', 'test', policy, low, '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe('normalize intent: context.workspace is required');
  });
});

describe('missing files and usage errors', () => {
  it('names the missing file', async () => {
    const r = await gait(['policy', 'test', path.join(dir, 'nope.yaml'), GOOD_INTENT, '--json']);
    expect(r.exit).toBe(6);
    expect(r.json.error).toContain('nope.yaml');
    const i = await gait(['policy', 'test', GOOD_POLICY, path.join(dir, 'nope.json'), '--json']);
    expect(i.exit).toBe(6);
    expect(i.json.error).toMatch(/^read intent: .*nope\.json/);
  });

  it('rejects unknown flags and stray arguments', async () => {
    expect((await gait(['gate', 'eval', '--bogus', '--json'])).json.error).toBe('flag provided but not defined: -bogus');
    expect((await gait(['gate', 'eval', 'extra', '--json'])).exit).toBe(6);
    expect((await gait(['policy', 'test', GOOD_POLICY, '--json'])).json.error).toBe('expected <policy.yaml> <intent_fixture.json>');
    expect((await gait(['nope', '--json'])).json.error).toBe('unknown command: nope');
  });

  it('writes no trace when evaluation fails', async () => {
    const before = readdirSync(dir).filter((f) => f.startsWith('trace_')).length;
    await gait(['gate', 'eval', '--policy', GOOD_POLICY, '--intent', path.join(dir, 'missing.json'), '--json'], { cwd: dir });
    expect(readdirSync(dir).filter((f) => f.startsWith('trace_')).length).toBe(before);
  });
});
