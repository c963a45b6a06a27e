/**
 * JSON text through JSON.parse and the object fast paths (intent/plain-json.ts) against the
 * Go-faithful text decoder: gate.evaluate(text) must give what gate.evaluateRaw(decodeIntentJson(
 * text)) gives (result, matched rule, digests, prepared intent, or the same error), and
 * gate.verdict(text) the same decision.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { decodeIntentJson } from '../../bindings/intent/decode.js';
import { membersMatch, parseIntentJson } from '../../bindings/intent/plain-json.js';
import { normalizeIntentObject } from '../../bindings/intent/normalize-object.js';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { createEngineSync } from '../../bindings/load/node.js';
import { Gate, type GateEvaluation } from '../../bindings/gate.js';
import { expectVerdictAgrees } from './verdict-agreement.js';
import { DELEGATED, FULL, mutate, rng, SCRIPT, TYPICAL } from '../intent/inputs.js';

const engine = createEngineSync();
const TYPICAL_POLICY = readFileSync(new URL('../../bench/fixtures/typical.policy.yaml', import.meta.url), 'utf8');

function picture(run: () => GateEvaluation): unknown {
  try {
    const e = run();
    return {
      result: e.result, matched: e.matched_rule, digest: e.intent_digest, script: e.script_hash,
      prepared: JSON.stringify(e.prepared), source: e.context_source,
    };
  } catch (err) {
    return `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
}

const stats = { fast: 0, slow: 0 };

function check(gate: Gate, text: string, label: string): void {
  const value = parseIntentJson(text);
  const fast = value !== undefined && normalizeIntentObject(value) !== undefined && membersMatch(text, value);
  if (fast) stats.fast++;
  else stats.slow++;
  expect(picture(() => gate.evaluate(text)), label).toEqual(picture(() => gate.evaluateRaw(decodeIntentJson(text))));
  expectVerdictAgrees(gate, text, label);
}

/** Text-level variations of an intent's JSON that JSON.parse and Go read differently or alike. */
function textVariants(value: unknown, r: () => number): string[] {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return []; // BigInt, cycles: not JSON
  }
  if (text === undefined) return [];
  const out = [text, JSON.stringify(value, null, 2)];
  // A member repeated: the same value, null, or another value (Go merges, JSON.parse replaces).
  const m = /"(tool_name|context|identity|workspace|risk_class|targets|kind|value|args|path|created_at|source)":/g;
  const sites = [...text.matchAll(m)];
  if (sites.length > 0) {
    const site = sites[Math.floor(r() * sites.length)]!;
    const name = site[1]!;
    const repeats = ['null', '"Other"', '{}', '[]', '"2026-02-05T00:00:00Z"', '{"identity":"x"}'];
    const repeat = repeats[Math.floor(r() * repeats.length)]!;
    out.push(text.slice(0, site.index!) + `"${name}":${repeat},` + text.slice(site.index!));
    out.push(text.slice(0, site.index!) + `"${name}":${repeat},"${name}":${repeat},` + text.slice(site.index!));
  }
  // Escapes that decode to the same text, colons inside strings, and odd numbers.
  out.push(text.replace('"tool_name"', '"tool\\u005fname"'));
  out.push(text.replace(/"content":"[^"]*"/, '"content":"a:b\\\\\\":c"'));
  out.push(text.replace(/"content":"[^"]*"/, '"content":1e400'));
  out.push(text.replace(/"content":"[^"]*"/, '"content":-0.0'));
  out.push(text.replace(/"content":"[^"]*"/, '"content":"\\ud800"'));
  out.push(text.replace(/"created_at":"[^"]*"/, '"created_at":""'));
  out.push(text.replace(/"created_at":"[^"]*"/, '"created_at":null'));
  out.push('\ufeff' + text);
  out.push(text + ' x');
  return out;
}

describe('JSON text: JSON.parse plus the object fast paths equal the Go-faithful decoder', () => {
  test('every conformance case, against its own policy', () => {
    const lines = readFileSync(new URL('../../conformance/corpus.jsonl', import.meta.url), 'utf8').split('\n');
    const gates = new Map<string, Gate | null>();
    const before = stats.fast;
    let n = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      const c = JSON.parse(line) as { id: string; policy?: string; intent?: string };
      if (typeof c.policy !== 'string' || typeof c.intent !== 'string') continue;
      if (!gates.has(c.policy)) {
        try {
          gates.set(c.policy, new Gate(engine, parsePolicyYaml(c.policy)));
        } catch {
          gates.set(c.policy, null);
        }
      }
      const gate = gates.get(c.policy);
      if (!gate) continue;
      check(gate, c.intent, c.id);
      n++;
    }
    expect(n).toBeGreaterThan(500);
    expect(stats.fast - before).toBeGreaterThan(n / 3);
  });

  test('text variations of seeded mutations', () => {
    const gate = new Gate(engine, parsePolicyYaml(TYPICAL_POLICY));
    const r = rng(20261128);
    const before = { ...stats };
    for (let i = 0; i < 400; i++) {
      const bases = [TYPICAL, FULL, DELEGATED, SCRIPT];
      const value = i % 4 === 0 ? bases[(i / 4) % bases.length] : mutate(bases[i % bases.length], r);
      for (const [k, text] of textVariants(value, r).entries()) check(gate, text, `mutation #${i} variant ${k}: ${text}`);
    }
    expect(stats.fast - before.fast).toBeGreaterThan(300);
    expect(stats.slow - before.slow).toBeGreaterThan(1000);
  });

  test('a repeated member is never read from JSON.parse', () => {
    const text = JSON.stringify(TYPICAL);
    const repeated = text.replace('"tool_name":', '"tool_name":null,"tool_name":');
    const value = parseIntentJson(repeated);
    expect(value).toBeDefined();
    expect(membersMatch(repeated, value)).toBe(false);
    expect(membersMatch(text, parseIntentJson(text))).toBe(true);
    // Go keeps the earlier value under a later null: the gate still evaluates tool.write.
    const gate = new Gate(engine, parsePolicyYaml(TYPICAL_POLICY));
    expect(gate.evaluate(repeated).matched_rule).toBe('allow-safe-write');
  });
});
