// Control and invisible characters in policy values: Gait v1.3.6 accepts them (YAML escapes and
// raw bytes alike, even NUL), trims only Unicode white space (U+0085, U+2028, tab) at the ends,
// and compares the rest byte for byte, so `tool.delete\u200b` never matches `tool.delete`.
// gait-wasm parses them the same way (digests below are the real Gait's) and `policy validate`
// warns about them (warnings.test.ts). These pin the parsing.
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyDigest } from '../../bindings/policy/digest.js';

const policy = (value: string): string =>
  `default_verdict: allow\nrules:\n  - name: block-delete\n    effect: block\n    match:\n      tool_names: [${value}]\n`;

describe('control characters parse like Gait', () => {
  it.each([
    ['"tool.delete\\0"', 'af455e2f60e26a13957ce802f15c91bb8fa0eade34c2fb3030156e02f411403e'],
    ['"tool.delete\\e"', 'cc9df1e0c3440ac8eec86ab360e32accab62d7fd91272ec5f8c4ade9ff5ba5e5'],
    ['"tool.delete\\uFEFF"', '6ec9f996a542b9ad74eb809556a32bf9bba5510530e82f059a2df9dbb561cbf5'],
    ['"tool.delete\\u200B"', 'd829c25a8b9d427dc66fda82eb87df06718ece9837369b4eb22b2255ab841657'],
    ['"tool.delete\\u202E"', 'a1fc0fd53465d396ac78188d278a98c1d7b8231128fbbcf8b9760cea4b19a1dd'],
    ['"tool.delete\\x01"', '0623d46bb11104bcd90fd095b03d61a6805f5d810ed427e8cc51b3ec2701fa4e'],
    ['"tool.delete\\x7f"', '80a399becd7685ba7cc58f07e2156f72ded169d1f836632b3e767efddd55cad9'],
    // Trimmed as white space, like a plain `tool.delete`:
    ['"tool.delete\\x85"', '3e08cca89c29d1450e9f916464364be467bc35bee66a6deb2d430e704a0555c9'],
    ['"tool.delete\\u2028"', '3e08cca89c29d1450e9f916464364be467bc35bee66a6deb2d430e704a0555c9'],
    ['"tool.delete\\t"', '3e08cca89c29d1450e9f916464364be467bc35bee66a6deb2d430e704a0555c9'],
    // Raw bytes, quoted or plain (YAML forbids some; Gait's parser takes them):
    ['"tool.delete\x00"', 'af455e2f60e26a13957ce802f15c91bb8fa0eade34c2fb3030156e02f411403e'],
    ['tool.delete\x1b', 'cc9df1e0c3440ac8eec86ab360e32accab62d7fd91272ec5f8c4ade9ff5ba5e5'],
    ['tool.delete\u009b', '8ef0c7af3a2806602e5d929a7a66552353d80c6076a084aafa4f6a62ac450a0f'],
    ['tool.delete\u200b', 'd829c25a8b9d427dc66fda82eb87df06718ece9837369b4eb22b2255ab841657'],
  ])('%j', (value, digest) => {
    expect(policyDigest(parsePolicyYaml(policy(value)))).toBe(digest);
  });
});
