// `!!binary` scalars in string fields: Gait's YAML decoder stores the decoded bytes as the string
// (so `!!binary YWxsb3c=` is "allow"). gait-wasm used to stringify the byte array ("97,108,...").
// Digests and messages below are the real Gait v1.3.6's (`policy validate --json`).
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { goBytesToString } from '../../bindings/policy/decode.js';
// The bundles inline the `yaml` library without Node's Buffer: there a binary value is a plain
// Uint8Array (String() gives "97,108,..."), which is what browsers, Deno and workerd get.
// @ts-expect-error: the built bundle has no declaration file of its own
import * as bundle from '../../dist/bundle/portable.js';

/** The error fn throws: a GaitError (by name: the bundle has its own class) of category invalid_input. */
function invalid(fn: () => unknown): Error & { category?: string } {
  try {
    fn();
  } catch (err) {
    expect((err as Error).name).toBe('GaitError');
    expect((err as { category?: string }).category).toBe('invalid_input');
    return err as Error;
  }
  throw new Error('expected a GaitError');
}

const parsers: Array<[string, (text: string) => ReturnType<typeof parsePolicyYaml>]> = [
  ['sources', parsePolicyYaml],
  ['portable bundle', bundle.parsePolicyYaml],
];

describe.each(parsers)('!!binary values decode to their bytes, like Gait (%s)', (_, parsePolicyYaml) => {
  it.each([
    ['default_verdict: !!binary YWxsb3c=\n', '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f'],
    ['rules:\n - name: x\n   effect: block\n   match: {tool_names: [!!binary Zm9v]}\n', '80ce86cb942a7246de1847d712c88fb358dcea150e661c52f02ace66a32f5343'],
    // Invalid UTF-8: Gait keeps the raw byte; its JSON digest payload carries U+FFFD for it.
    ['rules:\n - name: x\n   effect: block\n   match: {tool_names: [!!binary /w==]}\n', 'cc21cf535f9dbd57357e16121cf0b5c05c24480dcafc04ddb1fe593cd42a6516'],
  ])('%j has Gait\'s digest', (yaml, digest) => {
    expect(policyDigest(parsePolicyYaml(yaml))).toBe(digest);
  });

  it('names the decoded text in validation errors, not a list of byte values', () => {
    expect(invalid(() => parsePolicyYaml('default_verdict: !!binary Zm9v\n')).message).toBe('invalid default_verdict: foo');
    expect(invalid(() => parsePolicyYaml('rules:\n - name: !!binary Zm9v\n   effect: !!binary Zm9v\n')).message).toBe('invalid rule effect "foo" for foo');
  });

  it('a binary value for an int field is a type error at its position', () => {
    // Gait reports the tag's column ([3:14]), and so does gait-wasm.
    expect(invalid(() => parsePolicyYaml('rules:\n - name: x\n   priority: !!binary MQ==\n   effect: block\n')).message)
      .toBe('parse policy yaml: [3:14] cannot unmarshal []uint8 into field rules[0].priority of type int');
  });
});

describe('goBytesToString', () => {
  it('decodes valid UTF-8 and turns each stray byte into U+FFFD, like Go', () => {
    expect(goBytesToString(new Uint8Array([0x66, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]))).toBe('fé😀');
    expect(goBytesToString(new Uint8Array([0xe2, 0x80, 0x41]))).toBe('\ufffd\ufffdA');
    expect(goBytesToString(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('\ufffd\ufffd\ufffd'); // surrogate
    expect(goBytesToString(new Uint8Array([0xc0, 0x80]))).toBe('\ufffd\ufffd'); // overlong
  });
});
