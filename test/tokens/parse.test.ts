import { describe, expect, it } from 'vitest';
import { parsePrivateKey, parsePublicKey } from '../../bindings/crypto/keys.js';
import {
  approvalTokenPayload,
  decodeApprovalToken,
  decodeDelegationToken,
  mergeTokenPaths,
  mintApprovalTokenSync,
  parseApprovalToken,
  parseDelegationToken,
  parsePositiveTtl,
  splitCsv,
  validateApprovalTokenSync,
  goMarshalIndent,
  MAX_ARTIFACT_BYTES,
} from '../../bindings/tokens/index.js';
import { APPROVAL_PRIV, APPROVAL_PUB, fixtureText, hex, thrown } from './helpers.js';

const FIXTURE = fixtureText('signed/approval_token_valid.json');
const CTX = {
  intentDigest: '4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913',
  policyDigest: '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9',
  requiredScope: ['tool:tool.write'],
};
const NOW = '2026-03-01T00:00:00Z';
const parseError = (text: string | Uint8Array): string => thrown(() => parseApprovalToken(text)).message;

describe('token parsing with Go encoding/json semantics', () => {
  it('non-JSON text and wrong top-level types are clear parse errors', () => {
    expect(parseError('hello')).toBe("parse approval token: invalid character 'h' looking for beginning of value");
    expect(parseError('')).toBe('parse approval token: unexpected end of JSON input');
    expect(parseError('{"token_id":')).toBe('parse approval token: unexpected end of JSON input');
    expect(parseError('{} x')).toBe("parse approval token: invalid character 'x' after top-level value");
    expect(parseError('[]')).toBe('parse approval token: json: cannot unmarshal array into Go value of type gate.ApprovalToken');
    expect(parseError('"token"')).toBe('parse approval token: json: cannot unmarshal string into Go value of type gate.ApprovalToken');
    expect(thrown(() => parseDelegationToken('nope')).message).toMatch(/^parse delegation token: invalid character 'o' in literal null/);
  });

  it('field type mismatches name the Go struct field', () => {
    expect(parseError('{"scope":"tool:x"}')).toBe(
      'parse approval token: json: cannot unmarshal string into Go struct field ApprovalToken.scope of type []string',
    );
    expect(parseError('{"scope":["a",1]}')).toBe(
      'parse approval token: json: cannot unmarshal number into Go struct field ApprovalToken.scope of type string',
    );
    expect(parseError('{"max_targets":1.5}')).toBe(
      'parse approval token: json: cannot unmarshal number 1.5 into Go struct field ApprovalToken.max_targets of type int',
    );
    expect(parseError('{"max_ops":"3"}')).toBe(
      'parse approval token: json: cannot unmarshal string into Go struct field ApprovalToken.max_ops of type int',
    );
    expect(parseError('{"token_id":7}')).toBe(
      'parse approval token: json: cannot unmarshal number into Go struct field ApprovalToken.token_id of type string',
    );
    expect(parseError('{"signature":{"alg":true}}')).toBe(
      'parse approval token: json: cannot unmarshal bool into Go struct field Signature.signature.alg of type string',
    );
    expect(parseError('{"signature":"abc"}')).toBe(
      'parse approval token: json: cannot unmarshal string into Go struct field ApprovalToken.signature of type signing.Signature',
    );
    // the first mismatch is reported
    expect(parseError('{"token_id":1,"scope":2}')).toContain('ApprovalToken.token_id');
  });

  it('timestamps must be strict RFC 3339 strings (the time error wins)', () => {
    expect(parseError('{"created_at":"2026-02-24 12:42:58Z"}')).toBe(
      'parse approval token: parsing time "2026-02-24 12:42:58Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 12:42:58Z" as "T"',
    );
    expect(parseError('{"expires_at":"2026-02-24T12:42Z"}')).toMatch(/^parse approval token: parsing time "2026-02-24T12:42Z"/);
    expect(parseError('{"expires_at":1700000000}')).toBe('parse approval token: Time.UnmarshalJSON: input is not a JSON string');
    expect(parseError('{"token_id":1,"expires_at":"x"}')).toMatch(/^parse approval token: parsing time "x"/);
    expect(thrown(() => parseDelegationToken('{"expires_at":"2036-13-01T00:00:00Z"}')).message).toMatch(
      /^parse delegation token: parsing time "2036-13-01T00:00:00Z": month out of range/,
    );
  });

  it('unknown members are dropped, names match case-insensitively, the last duplicate wins', () => {
    const obj = JSON.parse(FIXTURE) as Record<string, unknown>;
    const renamed = FIXTURE.replace('"scope"', '"Scope"').replace('"token_id"', '"TOKEN_ID"').replace('{', '{"extra":{"deep":[1,2]},"approver_identity":"ignored",');
    const token = parseApprovalToken(renamed);
    expect(token.scope).toEqual(['tool:tool.write']);
    expect(token.token_id).toBe('ec44f8948261811d131eb04a');
    expect(token.approver_identity).toBe('human.reviewer');
    expect('extra' in token).toBe(false);
    expect(validateApprovalTokenSync(token, CTX, APPROVAL_PUB, NOW).ok).toBe(true);
    // from an already-parsed value, and with null members (no-ops for strings, times; nil for lists)
    expect(decodeApprovalToken(obj)).toEqual(parseApprovalToken(FIXTURE));
    const nulls = decodeApprovalToken({ ...obj, reason_code: null, created_at: null, signature: null });
    expect(nulls.reason_code).toBe('');
    expect(nulls.created_at).toBe('');
    expect(nulls.signature).toBeUndefined();
    expect(validateApprovalTokenSync(nulls, CTX, APPROVAL_PUB, NOW)).toMatchObject({ code: 'approval_token_invalid', detail: 'reason_code is required' });
    expect(validateApprovalTokenSync(decodeApprovalToken({ ...obj, signature: null }), CTX, APPROVAL_PUB, NOW)).toMatchObject({
      code: 'approval_token_signature_missing',
    });
    // `null` as the whole document is the zero token (invalid, not a parse error)
    expect(validateApprovalTokenSync(parseApprovalToken('null'), CTX, APPROVAL_PUB, NOW)).toMatchObject({ code: 'approval_token_invalid' });
    // an empty signature object is present but unverifiable
    expect(validateApprovalTokenSync(decodeApprovalToken({ ...obj, signature: {} }), CTX, APPROVAL_PUB, NOW)).toMatchObject({
      code: 'approval_token_signature_invalid',
      detail: 'missing signed_digest',
    });
    expect(decodeDelegationToken({ Delegator_Identity: 'x' }).delegator_identity).toBe('x');
  });

  it('times are re-rendered as Go does: fraction trimmed, +00:00 → Z, other offsets kept', () => {
    const token = parseApprovalToken(
      JSON.stringify({ created_at: '2026-02-24T12:42:58.228785000+00:00', expires_at: '2026-02-24T14:42:58.5+02:00' }),
    );
    expect(token.created_at).toBe('2026-02-24T12:42:58.228785Z');
    expect(token.expires_at).toBe('2026-02-24T14:42:58.5+02:00');
  });

  it('a token whose times carry an offset signs and validates with the offset kept; token_id uses UTC', () => {
    const t = mintApprovalTokenSync({
      intentDigest: hex('a'), policyDigest: hex('b'), ttl: '1h', scope: ['tool:t'], approver: 'a', reasonCode: 'r', now: '2026-01-01T00:00:00Z', privateKey: APPROVAL_PRIV,
    });
    // re-sign a variant with offset times (as a producer might write them)
    const shifted = { ...t, created_at: '2026-01-01T02:00:00+02:00', expires_at: '2026-01-01T03:00:00+02:00' };
    const payload = approvalTokenPayload(shifted);
    expect(payload.expires_at).toBe('2026-01-01T03:00:00+02:00');
    // the signature covered the Z form, so the offset form does not verify
    expect(validateApprovalTokenSync(shifted, {}, APPROVAL_PUB, '2026-01-01T00:30:00Z')).toMatchObject({ detail: 'signed_digest mismatch' });
  });

  it('bytes: invalid UTF-8 becomes U+FFFD; a BOM is rejected', () => {
    const bytes = new TextEncoder().encode('{"approver_identity":"ab"}');
    const bad = new Uint8Array([...bytes.slice(0, 23), 0xff, ...bytes.slice(23)]);
    expect(parseApprovalToken(bad).approver_identity).toBe('a\ufffdb');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(parseError(bom)).toMatch(/^parse approval token: invalid character/);
  });

  it('oversized and over-deep inputs are refused clearly', () => {
    const big = '{"extra":"' + 'x'.repeat(MAX_ARTIFACT_BYTES) + '"}';
    expect(parseError(big)).toBe(`parse approval token: input exceeds ${MAX_ARTIFACT_BYTES} bytes`);
    expect(parseError(new TextEncoder().encode(big))).toBe(`parse approval token: input exceeds ${MAX_ARTIFACT_BYTES} bytes`);
    const deep = '{"extra":' + '['.repeat(100) + ']'.repeat(100) + '}';
    expect(parseError(deep)).toBe('parse approval token: JSON nesting exceeds 64 levels');
    expect(thrown(() => decodeApprovalToken({ a: 1n })).message).toBe('parse approval token: json: unsupported type: bigint');
  });

  it('integers beyond 2^53 are refused rather than rounded', () => {
    expect(parseError('{"max_ops":9007199254740993}')).toBe(
      'parse approval token: json: cannot unmarshal number 9007199254740993 into Go struct field ApprovalToken.max_ops of type int',
    );
    expect(parseApprovalToken('{"max_ops":-0}').max_ops).toBe(0);
  });
});

describe('keys and CLI helpers', () => {
  it('truncated or malformed keys are clear invalid-input errors', () => {
    const priv = fixtureText('scenarios/keys/approval_private.key').trim();
    expect(thrown(() => parsePrivateKey(priv.slice(0, 64))).message).toBe('invalid private key length: 48');
    expect(thrown(() => parsePrivateKey(priv.slice(0, 30))).message).toMatch(/^decode private key: illegal base64 data at input byte/);
    expect(thrown(() => parsePublicKey('2452IFcJJprSJUSaASiKpWRN4bzs7Kbc')).message).toBe('invalid public key length: 24');
    expect(thrown(() => mintApprovalTokenSync({
      intentDigest: hex('a'), policyDigest: hex('b'), ttl: '1h', scope: ['s'], approver: 'a', reasonCode: 'r', now: 0, privateKey: APPROVAL_PRIV.slice(0, 40),
    })).message).toBe('invalid private key length: 40');
  });

  it('mergeTokenPaths: trimmed, de-duplicated, byte-sorted', () => {
    expect(mergeTokenPaths(' b.json ', 'a.json, ,b.json,/abs/c.json,Z.json')).toEqual(['/abs/c.json', 'Z.json', 'a.json', 'b.json']);
    expect(mergeTokenPaths('', '')).toEqual([]);
    expect(mergeTokenPaths(undefined, undefined)).toEqual([]);
  });

  it('splitCsv and parsePositiveTtl', () => {
    expect(splitCsv(' tool:tool.write, ,Phase:Apply ')).toEqual(['tool:tool.write', 'Phase:Apply']);
    expect(parsePositiveTtl('1h30m')).toBe(5_400_000_000_000n);
    expect(parsePositiveTtl('1.5h')).toBe(5_400_000_000_000n);
    for (const bad of ['', '0', '0s', '-1h', '1d', 'abc']) {
      expect(thrown(() => parsePositiveTtl(bad)).message).toBe('invalid --ttl, expected positive duration');
    }
  });

  it('goMarshalIndent escapes like Go', () => {
    expect(goMarshalIndent({ a: '<&>\u2028', b: [], c: {}, d: ['x'] })).toBe(
      '{\n  "a": "\\u003c\\u0026\\u003e\\u2028",\n  "b": [],\n  "c": {},\n  "d": [\n    "x"\n  ]\n}\n',
    );
  });
});
