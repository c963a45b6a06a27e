// Context envelopes (bindings/context/envelope.ts): parsing, verification and the evidence they
// bind. Digests and messages are Gait v1.3.6's, taken from `gait gate eval --context-envelope`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseContextEnvelope, contextEvidence, checkContextClaims, contextSetDigest, isVerifiedContextEnvelope,
} from '../../bindings/context/envelope.js';
import { GaitError } from '../../bindings/errors.js';
import { parseRfc3339 } from '../../bindings/time.js';

const Q = 'a'.repeat(64);
const C = 'b'.repeat(64);
const record = (extra: Record<string, unknown> = {}) => ({
  ref_id: 'r1', source_type: 'doc', source_locator: 'file:///a', query_digest: Q, content_digest: C,
  retrieved_at: '2026-03-12T11:59:55Z', redaction_mode: 'none', ...extra,
});
const envelope = (extra: Record<string, unknown> = {}) => JSON.stringify({ context_set_id: 's', records: [record()], ...extra });
/** sha256("[]"): the set digest of an envelope without records. */
const EMPTY_SET = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

function error(input: string | Uint8Array | object): string {
  try {
    parseContextEnvelope(input);
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    expect((err as GaitError).category).toBe('invalid_input');
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseContextEnvelope: the set digest', () => {
  it('equals Gait\'s for a record set exercising every normalization (vector from the oracle)', () => {
    // Unsorted records, offsets and nanoseconds, the zero time, case and spaces, a label, an SLA
    // beyond 2^53, params with floats, exponents, -0, null, nesting, non-ASCII and `__proto__`.
    const e = parseContextEnvelope(readFileSync(new URL('./envelope-vector.json', import.meta.url)));
    expect(e.context_set_digest).toBe('fdf6b832f02848c799015519cb25ea5080ae4996d69a4b84db2d14966fbdd6d8');
    expect(e.evidence_mode).toBe('required');
    expect(e.context_set_id).toBe('set-1');
    expect(e.created_at).toBe('2026-03-12T10:00:00Z');
    expect(e.producer_version).toBe('0.0.0-dev');
    expect(e.records.map((r) => [r.ref_id, r.source_type, r.content_digest[0]])).toEqual([['r1', 'doc', 'b'], ['r1', 'web', 'c'], ['r2', 'doc', 'b']]);
    const r2 = e.records[2]!;
    expect(r2.retrieved_at).toBe('2026-03-12T09:59:55.123456789Z');
    expect(r2.immutability).toBe('mutable');
    expect(r2.sensitivity_label).toBe(' pii '); // not trimmed, as in Gait
    expect(e.records[1]!.retrieved_at).toBe('1980-01-01T00:00:00Z'); // Go's zero time: unset
    expect(e.records[0]!.immutability).toBe('unknown');
    expect(contextSetDigest(e.records)).toBe(e.context_set_digest);
  });

  it('of no records is sha256("[]"), with null members read as unset', () => {
    expect(parseContextEnvelope('{"context_set_id":"s2","records":[]}').context_set_digest).toBe(EMPTY_SET);
    const e = parseContextEnvelope('{"context_set_id":"s3","records":null,"created_at":null,"context_set_digest":null}');
    expect(e.context_set_digest).toBe(EMPTY_SET);
    expect(e.created_at).toBe('1980-01-01T00:00:00Z');
    expect(e.evidence_mode).toBe('best_effort');
    expect(e.schema_id).toBe('gait.context.envelope');
    expect(e.schema_version).toBe('1.0.0');
  });

  it('a stated digest must match, in any case and with spaces', () => {
    const digest = parseContextEnvelope(envelope()).context_set_digest;
    expect(parseContextEnvelope(envelope({ context_set_digest: ` ${digest.toUpperCase()} ` })).context_set_digest).toBe(digest);
    expect(error(envelope({ context_set_digest: 'c'.repeat(64) }))).toBe('context_set_digest mismatch');
    expect(error(envelope({ context_set_digest: 'zz' }))).toBe('context_set_digest must be sha256 hex');
  });
});

describe('parseContextEnvelope: Go decoding', () => {
  it('reads the first JSON value only, as Go\'s Decoder does', () => {
    const digest = parseContextEnvelope(envelope()).context_set_digest;
    expect(parseContextEnvelope(envelope() + ' xyz').context_set_digest).toBe(digest);
    expect(parseContextEnvelope('{"context_set_id":"s"}{"a":1}').context_set_digest).toBe(EMPTY_SET);
  });

  it('matches member names case-insensitively', () => {
    const e = parseContextEnvelope(`{"Context_Set_ID":"s","RECORDS":[${JSON.stringify(record())}],"Evidence_Mode":"REQUIRED"}`);
    expect(e.evidence_mode).toBe('required');
    expect(e.records).toHaveLength(1);
  });

  it.each([
    ['', 'parse context envelope: EOF'],
    ['  \n', 'parse context envelope: EOF'],
    ['{"context_set_id":"s"', 'parse context envelope: unexpected EOF'],
    ['[]', 'parse context envelope: json: cannot unmarshal array into Go value of type context.Envelope'],
    ['\ufeff{"context_set_id":"s"}', 'parse context envelope: invalid character \'ï\' looking for beginning of value'],
    ['{"context_set_id":"s","foo":1}', 'parse context envelope: json: unknown field "foo"'],
    [`{"context_set_id":"s","records":[{"zzz":1}]}`, 'parse context envelope: json: unknown field "zzz"'],
    ['{"context_set_id":5,"foo":1}', 'parse context envelope: json: cannot unmarshal number into Go struct field Envelope.context_set_id of type string'],
    ['{"foo":1,"context_set_id":5}', 'parse context envelope: json: unknown field "foo"'],
    ['{"context_set_id":"s","created_at":"yesterday"}', 'parse context envelope: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    ['{"context_set_id":"s","created_at":5}', 'parse context envelope: Time.UnmarshalJSON: input is not a JSON string'],
    [envelope({ records: [record({ freshness_sla_seconds: 1.5 })] }), 'parse context envelope: json: cannot unmarshal number 1.5 into Go struct field ReferenceRecord.records.freshness_sla_seconds of type int64'],
    [envelope({ records: [record({ freshness_sla_seconds: '1' })] }), 'parse context envelope: json: cannot unmarshal string into Go struct field ReferenceRecord.records.freshness_sla_seconds of type int64'],
  ])('refuses %j: %s', (text, message) => {
    expect(error(text)).toBe(message);
  });

  it('refuses an int64 out of range and accepts its bounds', () => {
    expect(error(envelope({ records: [record()] }).replace('"redaction_mode"', '"freshness_sla_seconds":9223372036854775808,"redaction_mode"')))
      .toBe('parse context envelope: json: cannot unmarshal number 9223372036854775808 into Go struct field ReferenceRecord.records.freshness_sla_seconds of type int64');
    expect(parseContextEnvelope(envelope({ records: [record()] }).replace('"redaction_mode"', '"freshness_sla_seconds":9223372036854775807,"redaction_mode"')).records).toHaveLength(1);
  });

  it('refuses what Gait would read differently: invalid UTF-8, deep nesting (deliberate)', () => {
    const bytes = new TextEncoder().encode('{"context_set_id":"s?"}');
    bytes[bytes.indexOf(0x3f)] = 0xff;
    expect(error(bytes)).toBe('parse context envelope: invalid UTF-8');
    const deep = '['.repeat(70) + ']'.repeat(70);
    expect(error(envelope({ records: [record()] }).replace('"redaction_mode"', `"retrieval_params":{"a":${deep}},"redaction_mode"`)))
      .toMatch(/^parse context envelope: nesting deeper than 64 levels$/);
  });

  it('refuses more than 1 MiB', () => {
    expect(error(`{"context_set_id":"s","producer_version":"${'x'.repeat(1048576)}"}`)).toBe('context envelope exceeds size limit (1048576 bytes)');
  });

  it('reads a parsed object as its JSON text, and hands a verified envelope back as it is', () => {
    const fromText = parseContextEnvelope(envelope());
    const fromObject = parseContextEnvelope({ context_set_id: 's', records: [record()] });
    expect(fromObject).toEqual(fromText);
    expect(isVerifiedContextEnvelope(fromText)).toBe(true);
    expect(isVerifiedContextEnvelope(JSON.parse(JSON.stringify(fromText)))).toBe(false);
    expect(parseContextEnvelope(fromText)).toBe(fromText);
    expect(Object.isFrozen(fromText)).toBe(true);
    expect(error({ context_set_id: 's', records: [record({ extra: 1 })] })).toBe('parse context envelope: json: unknown field "extra"');
  });
});

describe('parseContextEnvelope: verification messages (Gait\'s)', () => {
  it.each([
    ['null', 'context_set_id is required'],
    [JSON.stringify({ records: [record()] }), 'context_set_id is required'],
    [envelope({ context_set_id: '  ' }), 'context_set_id is required'],
    [envelope({ schema_id: 'x' }), 'unsupported context envelope schema_id: x'],
    [envelope({ schema_version: '2' }), 'unsupported context envelope schema_version: 2'],
    [envelope({ evidence_mode: 'maybe' }), 'context evidence mode must be best_effort or required'],
    [envelope({ records: [{ ref_id: 'r' }] }), 'context record fields ref_id/source_type/source_locator/redaction_mode are required'],
    [envelope({ records: [record({ redaction_mode: ' ' })] }), 'context record fields ref_id/source_type/source_locator/redaction_mode are required'],
    [envelope({ records: [record({ query_digest: 'x' })] }), 'context record digests must be sha256 hex'],
    [envelope({ records: [record({ immutability: 'weird' })] }), 'context record immutability must be unknown|mutable|immutable'],
    [envelope({ records: [record({ freshness_sla_seconds: -1 })] }), 'context record freshness_sla_seconds must be >= 0'],
    [envelope({ records: [record({ retrieved_at: '0000-01-01T00:00:00+01:00' })] }), 'marshal context records: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]'],
  ])('%s → %s', (text, message) => {
    expect(error(text)).toBe(message);
  });
});

describe('contextEvidence and checkContextClaims', () => {
  const now = parseRfc3339('2026-03-12T12:00:00Z');

  it('binds the digest, mode, sorted unique refs and the oldest record\'s age in whole seconds', () => {
    const e = parseContextEnvelope(envelope({
      evidence_mode: 'required',
      records: [
        record({ ref_id: 'zeta', retrieved_at: '2026-03-12T11:59:55Z' }),
        record({ ref_id: 'alpha', retrieved_at: '2026-03-12T11:59:29.5Z' }),
        record({ ref_id: 'alpha', source_type: 'web', retrieved_at: '2026-03-12T13:00:00Z' }),
      ],
    }));
    expect(contextEvidence(e, now)).toEqual({
      context_set_digest: e.context_set_digest,
      context_evidence_mode: 'required',
      context_refs: ['alpha', 'zeta'],
      context_age_seconds: 30, // 30.5 s truncated; the future record counts 0
    });
  });

  it('uses created_at without records; future times count 0; the unset time is 1980', () => {
    const at = (created: string) => contextEvidence(parseContextEnvelope(JSON.stringify({ context_set_id: 's', created_at: created })), now).context_age_seconds;
    expect(at('2026-03-12T11:00:00Z')).toBe(3600);
    expect(at('2026-03-12T12:00:01Z')).toBe(0);
    expect(at('0001-01-01T00:00:00Z')).toBe(1457784000); // 1980-01-01 to now
    // Go's Duration saturates at about 292 years.
    expect(at('0001-01-01T00:00:01Z')).toBe(9223372036);
  });

  it('refuses claims that disagree with the envelope, compared case-insensitively', () => {
    const e = parseContextEnvelope(envelope({ evidence_mode: 'required' }));
    expect(() => checkContextClaims({ context_set_digest: e.context_set_digest.toUpperCase(), context_evidence_mode: 'REQUIRED' }, e)).not.toThrow();
    expect(() => checkContextClaims({ context_set_digest: '', context_evidence_mode: '' }, e)).not.toThrow();
    expect(() => checkContextClaims({ context_set_digest: 'c'.repeat(64), context_evidence_mode: '' }, e)).toThrow('context envelope digest does not match context.context_set_digest');
    expect(() => checkContextClaims({ context_set_digest: '', context_evidence_mode: 'best_effort' }, e)).toThrow('context envelope evidence mode does not match context.context_evidence_mode');
  });
});
