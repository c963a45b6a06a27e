/**
 * Context evidence envelopes (`gait.context.envelope` 1.0.0): the file `gait gate eval
 * --context-envelope` reads, parsed and verified as Gait v1.3.6 does (intent.md §3.8, §4.2).
 *
 * Parsing is Go's json.Decoder with unknown fields refused: the first JSON value only (whatever
 * follows is not read), member names matched case-insensitively, the first type mismatch or
 * unknown member reported as `parse context envelope: json: …`. Verification then normalizes:
 * defaults for schema id/version, created_at and producer version, a required context_set_id,
 * evidence mode `best_effort` or `required`, every record checked and normalized, records sorted,
 * and `context_set_digest` = SHA-256(JCS(records)); a stated digest must match it.
 *
 * Differences from Gait, all refusing input Gait takes: invalid UTF-8 (Go reads it as U+FFFD) and
 * nesting deeper than MAX_ENVELOPE_DEPTH (Go allows 10000) are errors.
 */
import { invalidInput } from '../errors.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { canonicalize } from '../canonical/jcs.js';
import { sha256Hex } from '../canonical/sha256.js';
import { compareBytewise } from '../canonical/order.js';
import { goDecode, GoDecodeError, INT64, MAP, STRING, TIME, type GoStruct, type GoType, type RawJson, type RawObject } from '../intent/go-decode.js';
import { parseJsonTreeFirst, treeFromValue, JsonDepthError, JsonSyntaxError, JsonValueError, type JNode } from '../intent/json-tree.js';
import { setMember } from '../intent/json-value.js';
import type { JsonObject } from '../intent/model.js';
import { formatRfc3339Nano, parseRfc3339, isZeroTime, type RfcTime } from '../time.js';

export const CONTEXT_ENVELOPE_SCHEMA_ID = 'gait.context.envelope';
export const CONTEXT_ENVELOPE_SCHEMA_VERSION = '1.0.0';
/** Gait's limit on the envelope file. */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;
/** Nesting cap (Gait: 10000); only `retrieval_params` can nest. */
export const MAX_ENVELOPE_DEPTH = 64;

const SIZE_MESSAGE = `context envelope exceeds size limit (${MAX_ENVELOPE_BYTES} bytes)`;
const DEPTH_MESSAGE = `parse context envelope: nesting deeper than ${MAX_ENVELOPE_DEPTH} levels`;
/** Go's zero time stands for "unset"; normalization puts this in its place. */
const DEFAULT_TIME = '1980-01-01T00:00:00Z';
const DIGEST = /^[a-f0-9]{64}$/;

/** One normalized reference record: what the context set digest is computed over. */
export interface ContextRecord {
  ref_id: string;
  source_type: string;
  source_locator: string;
  query_digest: string;
  content_digest: string;
  /** RFC 3339 (nanoseconds), UTC. */
  retrieved_at: string;
  redaction_mode: string;
  /** `unknown`, `mutable` or `immutable`. */
  immutability: string;
  /** Omitted when empty. */
  sensitivity_label?: string;
  /** Omitted when 0. */
  freshness_sla_seconds?: number;
  /** Omitted when empty. */
  retrieval_params?: JsonObject;
}

/** A verified, normalized envelope (frozen). Only this module makes them. */
export interface ContextEnvelope {
  readonly schema_id: string;
  readonly schema_version: string;
  /** RFC 3339 (nanoseconds), UTC. */
  readonly created_at: string;
  readonly producer_version: string;
  readonly context_set_id: string;
  /** Lower-case SHA-256 hex over the records. */
  readonly context_set_digest: string;
  /** `best_effort` or `required`. */
  readonly evidence_mode: string;
  /** Sorted by (ref_id, source_type, source_locator, content_digest). */
  readonly records: readonly Readonly<ContextRecord>[];
}

const verified = new WeakSet<object>();

// ---- Go struct layout (names appear in decoder errors) ----------------------------------------

interface RawRecord {
  ref_id: string; source_type: string; source_locator: string; query_digest: string; content_digest: string;
  retrieved_at: string | null; redaction_mode: string; immutability: string; sensitivity_label: string;
  freshness_sla_seconds: number; retrieval_params: RawObject | null;
}

interface RawEnvelope {
  schema_id: string; schema_version: string; created_at: string | null; producer_version: string;
  context_set_id: string; context_set_digest: string; evidence_mode: string; records: RawRecord[];
}

const RECORD: GoStruct = {
  name: 'ReferenceRecord', pkg: 'context',
  fields: {
    ref_id: STRING, source_type: STRING, source_locator: STRING, query_digest: STRING, content_digest: STRING,
    retrieved_at: TIME, redaction_mode: STRING, immutability: STRING, sensitivity_label: STRING,
    freshness_sla_seconds: INT64, retrieval_params: MAP,
  },
  zero: (): RawRecord => ({
    ref_id: '', source_type: '', source_locator: '', query_digest: '', content_digest: '', retrieved_at: null,
    redaction_mode: '', immutability: '', sensitivity_label: '', freshness_sla_seconds: 0, retrieval_params: null,
  }),
};

const ENVELOPE: GoStruct = {
  name: 'Envelope', pkg: 'context',
  fields: {
    schema_id: STRING, schema_version: STRING, created_at: TIME, producer_version: STRING, context_set_id: STRING,
    context_set_digest: STRING, evidence_mode: STRING, records: { t: 'slice', spec: RECORD },
  },
  zero: (): RawEnvelope => ({
    schema_id: '', schema_version: '', created_at: null, producer_version: '', context_set_id: '',
    context_set_digest: '', evidence_mode: '', records: [],
  }),
};

const ENVELOPE_TYPE: GoType = { t: 'struct', spec: ENVELOPE, ptr: false };

// ---- entry points ---------------------------------------------------------------------------

/**
 * Parses and verifies envelope JSON (text or UTF-8 bytes), or checks an already-parsed object
 * with the same rules (as if it were its JSON text). An envelope this module already verified is
 * returned as it is. Throws GaitError (invalid_input) with Gait's messages.
 */
export function parseContextEnvelope(input: string | Uint8Array | object): ContextEnvelope {
  if (typeof input === 'object' && input !== null && verified.has(input)) return input as ContextEnvelope;
  let tree: JNode | undefined;
  try {
    if (typeof input === 'string' || input instanceof Uint8Array) {
      const text = typeof input === 'string' ? input : utf8Text(input);
      if (text.length > MAX_ENVELOPE_BYTES || new TextEncoder().encode(text).length > MAX_ENVELOPE_BYTES) throw invalidInput(SIZE_MESSAGE);
      tree = parseJsonTreeFirst(text, MAX_ENVELOPE_DEPTH, DEPTH_MESSAGE);
    } else {
      tree = treeFromValue(input, MAX_ENVELOPE_DEPTH, DEPTH_MESSAGE);
    }
  } catch (err) {
    if (err instanceof JsonDepthError) throw invalidInput(err.message);
    if (err instanceof JsonSyntaxError || err instanceof JsonValueError) throw invalidInput(`parse context envelope: ${err.message}`);
    throw err;
  }
  if (tree === undefined) throw invalidInput('parse context envelope: EOF');
  let raw: RawEnvelope;
  try {
    raw = goDecode(tree, ENVELOPE_TYPE, ENVELOPE.zero(), { disallowUnknownFields: true }) as RawEnvelope;
  } catch (err) {
    if (err instanceof GoDecodeError) throw invalidInput(`parse context envelope: ${err.message}`);
    throw err;
  }
  return normalizeEnvelope(raw);
}

/** True for an envelope returned by parseContextEnvelope. */
export function isVerifiedContextEnvelope(value: unknown): value is ContextEnvelope {
  return typeof value === 'object' && value !== null && verified.has(value);
}

/** SHA-256(JCS(records)), records already normalized and sorted. */
export function contextSetDigest(records: readonly ContextRecord[]): string {
  return sha256Hex(canonicalize(records));
}

/** Decoded UTF-8; invalid bytes are refused (Go would read them as U+FFFD). */
function utf8Text(bytes: Uint8Array): string {
  if (bytes.length > MAX_ENVELOPE_BYTES) throw invalidInput(SIZE_MESSAGE);
  try {
    // ignoreBOM keeps a leading BOM, which Go rejects as `invalid character 'ï' …`.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalidInput('parse context envelope: invalid UTF-8');
  }
}

// ---- normalization (contextproof.NormalizeEnvelope) ------------------------------------------

function normalizeEnvelope(raw: RawEnvelope): ContextEnvelope {
  const schemaId = goTrim(raw.schema_id) === '' ? CONTEXT_ENVELOPE_SCHEMA_ID : raw.schema_id;
  if (schemaId !== CONTEXT_ENVELOPE_SCHEMA_ID) throw invalidInput(`unsupported context envelope schema_id: ${schemaId}`);
  const schemaVersion = goTrim(raw.schema_version) === '' ? CONTEXT_ENVELOPE_SCHEMA_VERSION : raw.schema_version;
  if (schemaVersion !== CONTEXT_ENVELOPE_SCHEMA_VERSION) throw invalidInput(`unsupported context envelope schema_version: ${schemaVersion}`);
  const createdAt = utcTime(raw.created_at).text;
  const producerVersion = goTrim(raw.producer_version) === '' ? '0.0.0-dev' : raw.producer_version;
  const contextSetId = goTrim(raw.context_set_id);
  if (contextSetId === '') throw invalidInput('context_set_id is required');
  const mode = trimLower(raw.evidence_mode);
  if (mode !== '' && mode !== 'best_effort' && mode !== 'required') {
    throw invalidInput('context evidence mode must be best_effort or required');
  }
  const records = raw.records.map(normalizeRecord);
  // Go finds an unwritable year only when it marshals the records for the digest.
  if (records.some((r) => yearOutOfRange.has(r))) {
    throw invalidInput('marshal context records: json: error calling MarshalJSON for type time.Time: Time.MarshalJSON: year outside of range [0,9999]');
  }
  records.sort(compareRecords);
  const computed = contextSetDigest(records);
  const stated = trimLower(raw.context_set_digest);
  if (stated !== '') {
    if (!DIGEST.test(stated)) throw invalidInput('context_set_digest must be sha256 hex');
    if (stated !== computed) throw invalidInput('context_set_digest mismatch');
  }
  const envelope: ContextEnvelope = Object.freeze({
    schema_id: schemaId,
    schema_version: schemaVersion,
    created_at: createdAt,
    producer_version: producerVersion,
    context_set_id: contextSetId,
    context_set_digest: computed,
    evidence_mode: mode || 'best_effort',
    records: Object.freeze(records.map((r) => Object.freeze(r))),
  });
  verified.add(envelope);
  return envelope;
}

function normalizeRecord(raw: RawRecord): ContextRecord {
  const record: ContextRecord = {
    ref_id: goTrim(raw.ref_id),
    source_type: goTrim(raw.source_type),
    source_locator: goTrim(raw.source_locator),
    query_digest: trimLower(raw.query_digest),
    content_digest: trimLower(raw.content_digest),
    retrieved_at: '',
    redaction_mode: goTrim(raw.redaction_mode),
    immutability: trimLower(raw.immutability),
  };
  if (record.ref_id === '' || record.source_type === '' || record.source_locator === '' || record.redaction_mode === '') {
    throw invalidInput('context record fields ref_id/source_type/source_locator/redaction_mode are required');
  }
  if (!DIGEST.test(record.query_digest) || !DIGEST.test(record.content_digest)) {
    throw invalidInput('context record digests must be sha256 hex');
  }
  if (record.immutability === '') record.immutability = 'unknown';
  if (record.immutability !== 'unknown' && record.immutability !== 'mutable' && record.immutability !== 'immutable') {
    throw invalidInput('context record immutability must be unknown|mutable|immutable');
  }
  const retrieved = utcTime(raw.retrieved_at);
  record.retrieved_at = retrieved.text;
  if (retrieved.outOfRange) yearOutOfRange.add(record);
  if (raw.freshness_sla_seconds < 0) throw invalidInput('context record freshness_sla_seconds must be >= 0');
  // Go's omitempty: the digest never sees an empty label, a zero SLA or empty params.
  if (raw.sensitivity_label !== '') record.sensitivity_label = raw.sensitivity_label;
  if (raw.freshness_sla_seconds !== 0) record.freshness_sla_seconds = raw.freshness_sla_seconds;
  if (raw.retrieval_params && raw.retrieval_params.size > 0) record.retrieval_params = plainObject(raw.retrieval_params);
  return record;
}

function compareRecords(a: ContextRecord, b: ContextRecord): number {
  return compareBytewise(a.ref_id, b.ref_id) || compareBytewise(a.source_type, b.source_type)
    || compareBytewise(a.source_locator, b.source_locator) || compareBytewise(a.content_digest, b.content_digest);
}

// Years Go's Time.MarshalJSON can write: [0, 9999] (seconds since the Unix epoch).
const YEAR_0 = -62167219200;
const YEAR_10000 = 253402300800;

const yearOutOfRange = new WeakSet<ContextRecord>();

/**
 * A validated RFC 3339 text (null: unset) in UTC, Go's zero time replaced by 1980-01-01. A time
 * whose UTC year Go cannot write keeps its own text and says so.
 */
function utcTime(text: string | null): { text: string; outOfRange: boolean } {
  if (text === null) return { text: DEFAULT_TIME, outOfRange: false };
  const t = parseRfc3339(text);
  if (isZeroTime(t)) return { text: DEFAULT_TIME, outOfRange: false };
  if (t.epochSeconds < YEAR_0 || t.epochSeconds >= YEAR_10000) return { text, outOfRange: true };
  return { text: formatRfc3339Nano(t, true), outOfRange: false };
}

/** A decoded JSON object (Maps) as plain objects, for JCS. */
function plainObject(map: RawObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of map) setMember(out, k, plainValue(v));
  return out;
}

function plainValue(v: RawJson): JsonObject[string] {
  if (v instanceof Map) return plainObject(v);
  if (Array.isArray(v)) return v.map(plainValue);
  return v;
}

// ---- binding (gate's context evidence preparation, intent.md §4.2) -----------------------------

/** What a verified envelope puts into an intent's context. */
export interface ContextEvidence {
  context_set_digest: string;
  context_evidence_mode: string;
  /** Sorted unique non-empty ref ids. */
  context_refs: string[];
  /** Whole seconds: the oldest record's age, or the envelope's when it has none; future = 0. */
  context_age_seconds: number;
}

/** Go's time.Duration bound: Sub saturates at about 292 years. */
const MAX_DURATION_SECONDS = 9223372036;

/** `now - then` in whole seconds, as Go's int64(now.Sub(then) / time.Second); future = 0. */
function ageSeconds(then: RfcTime, now: RfcTime): number {
  if (isZeroTime(then)) return 0;
  let seconds = now.epochSeconds - then.epochSeconds;
  let nanos = now.nanos - then.nanos;
  if (seconds < 0 || (seconds === 0 && nanos <= 0)) return 0;
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return Math.min(seconds, MAX_DURATION_SECONDS);
}

/** The evidence a verified envelope binds, at evaluation time `now`. */
export function contextEvidence(envelope: ContextEnvelope, now: RfcTime): ContextEvidence {
  let age: number;
  if (envelope.records.length === 0) age = ageSeconds(parseRfc3339(envelope.created_at), now);
  else {
    age = 0;
    for (const r of envelope.records) age = Math.max(age, ageSeconds(parseRfc3339(r.retrieved_at), now));
  }
  const refs = [...new Set(envelope.records.map((r) => r.ref_id).filter((id) => id !== ''))].sort(compareBytewise);
  return {
    context_set_digest: envelope.context_set_digest,
    context_evidence_mode: envelope.evidence_mode,
    context_refs: refs,
    context_age_seconds: age,
  };
}

/**
 * The intent's own claims checked against the envelope (compared case-insensitively). Throws
 * GaitError with Gait's message when one disagrees.
 */
export function checkContextClaims(claims: { context_set_digest: string; context_evidence_mode: string }, envelope: ContextEnvelope): void {
  const digest = goTrim(claims.context_set_digest);
  if (digest !== '' && trimLower(digest) !== envelope.context_set_digest) {
    throw invalidInput('context envelope digest does not match context.context_set_digest');
  }
  const mode = goTrim(claims.context_evidence_mode);
  if (mode !== '' && trimLower(mode) !== envelope.evidence_mode) {
    throw invalidInput('context envelope evidence mode does not match context.context_evidence_mode');
  }
}
