// `policy fmt` is byte-identical to Gait v1.3.6 (spec README decision 3). Expectations are Gait's
// own output, pinned in test/fixtures/gait/fmt-scalars.json by scripts/pin-gait-fmt.mjs; with
// GAIT_ORACLE set (a Gait v1.3.6 binary) the last block re-asks the binary that they still hold.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { formatPolicy } from '../../bindings/policy/format.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { goQuote } from '../../bindings/policy/gostr.js';
import { fixtureText } from './helpers.js';

interface PinnedScalar { value: string; tool_name: string; gaitFixedPoint: boolean }
interface PinnedDocument { file?: string; policy?: string; gait: string; gaitFixedPoint: boolean }
const pinned = JSON.parse(fixtureText('fmt-scalars.json')) as { scalars: PinnedScalar[]; documents: PinnedDocument[] };
const { scalars, documents } = pinned;

const policyWithToolName = (value: string): string =>
  `default_verdict: block\nrules:\n  - name: r\n    effect: allow\n    match:\n      tool_name: ${JSON.stringify(value)}\n`;
const spelledToolName = (out: string): string => /\n {4}tool_name: ([^]*?)\n {4}tool_names:/.exec(out)![1]!;

// Where Gait's spelling does not read back as the same string, ours is Go-quoted instead, so that
// fmt stays idempotent and digest-preserving. Gait itself reads these back differently (its own
// fmt is not a fixed point on them), except a bare `?`, which our YAML reader refuses.
const QUOTED_WHERE_GAIT_IS_BARE = [
  '?', '? a', '.inf', '.Inf', '.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '\ta', 'a\t', 'a:\t', '\n', '\n a',
  'a\rb', 'a\r\nb', 'a\r\nb\r\n',
];

describe('fmt spells every string as Gait does', () => {
  it('pins a broad corpus', () => {
    expect(scalars.length).toBeGreaterThan(300);
    expect(documents.length).toBeGreaterThan(60);
  });

  it.each(scalars.filter((s) => !QUOTED_WHERE_GAIT_IS_BARE.includes(s.value)).map((s) => [JSON.stringify(s.value), s] as const))(
    '%s',
    (_name, s) => {
      expect(spelledToolName(formatPolicy(parsePolicyYaml(policyWithToolName(s.value))))).toBe(s.tool_name);
    },
  );

  it.each(QUOTED_WHERE_GAIT_IS_BARE.map((v) => [JSON.stringify(v), v] as const))('%s is Go-quoted where Gait prints it bare', (_name, v) => {
    const pin = scalars.find((s) => s.value === v)!;
    expect(pin.tool_name).not.toBe(goQuote(v));
    expect(spelledToolName(formatPolicy(parsePolicyYaml(policyWithToolName(v))))).toBe(goQuote(v));
  });

  it('every corpus string reads back unchanged: fmt is idempotent and keeps the digest', () => {
    for (const { value } of scalars) {
      const once = formatPolicy(parsePolicyYaml(policyWithToolName(value)));
      const again = parsePolicyYaml(once);
      expect(again.rules[0]!.match.tool_name, JSON.stringify(value)).toBe(value);
      expect(formatPolicy(again)).toBe(once);
      expect(policyDigest(again)).toBe(policyDigest(parsePolicyYaml(policyWithToolName(value))));
    }
  });
});

describe('fmt of whole documents is byte-identical to Gait', () => {
  it.each(documents.filter((d) => d.gaitFixedPoint).map((d) => [d.file ?? JSON.stringify(d.policy!.slice(0, 60)), d] as const))('%s', (_name, d) => {
    const text = d.file !== undefined ? fixtureText(d.file) : d.policy!;
    const out = formatPolicy(parsePolicyYaml(text));
    expect(out).toBe(d.gait);
    expect(formatPolicy(parsePolicyYaml(out))).toBe(out); // Gait's output is its own fixed point, and ours
  });
});

const ORACLE = process.env['GAIT_ORACLE'];

describe.skipIf(!ORACLE)('the pinned outputs still are what the Gait oracle prints', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-fmt-oracle-'));
  const gaitFmt = (text: string): string => {
    const file = path.join(dir, 'policy.yaml');
    writeFileSync(file, text);
    const r = spawnSync(ORACLE!, ['policy', 'fmt', file], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    return r.stdout;
  };

  it('every scalar of the corpus', () => {
    for (const s of scalars) expect(spelledToolName(gaitFmt(policyWithToolName(s.value))), JSON.stringify(s.value)).toBe(s.tool_name);
  }, 300_000);

  it('every document', () => {
    for (const d of documents) expect(gaitFmt(d.file !== undefined ? fixtureText(d.file) : d.policy!), d.file).toBe(d.gait);
  }, 300_000);
});
