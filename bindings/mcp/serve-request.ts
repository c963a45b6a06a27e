/**
 * The body of a `gait mcp serve` evaluate request (mcp.md §10.4 step 4): read with a byte bound,
 * then decoded the way Gait's handler does it: a json.Decoder over http.MaxBytesReader with
 * DisallowUnknownFields into its request struct, then a second Decode that must hit EOF.
 *
 * Go's decoder scans what it has read before it looks at the read error, so within the first
 * `limit` bytes a syntax error or a complete object wins; only a value still open at the limit is
 * "too large" (413). Anything after the object but whitespace, including bytes past the limit,
 * is "must contain a single JSON object" (400).
 */
import { GoDecodeError, goDecode, BOOL, INT64, MAP, STRING, type GoStruct, type RawJson, type RawObject } from '../intent/go-decode.js';
import { JsonDepthError, JsonSyntaxError, parseJsonTreePrefix } from '../intent/json-tree.js';
import { compareBytewise } from '../canonical/order.js';

/** The request object (Gait's mcpServeEvaluateRequest), after decoding. */
export interface ServeEvaluateRequest {
  adapter: string;
  call: RawObject | null;
  run_id: string;
  session_id: string;
  session_journal: string;
  checkpoint_interval: number;
  trace_path: string;
  runpack_out: string;
  emit_runpack: boolean;
  pack_out: string;
  emit_pack: boolean;
}

const REQUEST: GoStruct = {
  name: 'mcpServeEvaluateRequest',
  pkg: 'main',
  fields: {
    adapter: STRING, call: MAP, run_id: STRING, session_id: STRING, session_journal: STRING,
    checkpoint_interval: INT64, trace_path: STRING, runpack_out: STRING, emit_runpack: BOOL,
    pack_out: STRING, emit_pack: BOOL,
  },
  zero: (): ServeEvaluateRequest => ({
    adapter: '', call: null, run_id: '', session_id: '', session_journal: '', checkpoint_interval: 0,
    trace_path: '', runpack_out: '', emit_runpack: false, pack_out: '', emit_pack: false,
  }),
};

/**
 * Nesting cap. Go allows 10,000 levels; a recursive reader cannot safely go that deep, and nothing
 * behind this decoder (intents are capped at 64 levels) accepts more than this anyway.
 */
export const MAX_REQUEST_DEPTH = 1000;
const DEPTH_MESSAGE = `json: nesting exceeds ${MAX_REQUEST_DEPTH} levels`;

/** A request the service answers with an error status and `{"error":…,"ok":false}`. */
export class ServeRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export const TOO_LARGE = 'request body exceeds max-request-bytes';
export const NOT_SINGLE = 'request body must contain a single JSON object';

/** The body's first `limit + 1` bytes at most (never more is kept), and whether it had more than `limit`. */
export async function readBoundedBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Uint8Array; over: boolean }> {
  if (body === null) return { bytes: new Uint8Array(0), over: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = limit + 1 - total;
      chunks.push(value.length > room ? value.subarray(0, room) : value);
      total += Math.min(value.length, room);
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = chunks.length === 1 ? chunks[0]! : new Uint8Array(total);
  if (chunks.length !== 1) {
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
  }
  return { bytes, over: total > limit };
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Decodes the bounded body. Throws ServeRequestError (400 or 413) with Gait's message. */
export function decodeServeRequest(bytes: Uint8Array, over: boolean, limit: number): ServeEvaluateRequest {
  // Go reads invalid UTF-8 inside strings as U+FFFD and keeps a BOM (then rejects it as a character).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(over ? bytes.subarray(0, limit) : bytes);
  let parsed: ReturnType<typeof parseJsonTreePrefix>;
  try {
    parsed = parseJsonTreePrefix(text, MAX_REQUEST_DEPTH, DEPTH_MESSAGE);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const ended = err.message === 'EOF' || err.message === 'unexpected EOF';
      if (ended && over) throw new ServeRequestError(413, TOO_LARGE);
      throw new ServeRequestError(400, `decode request: ${err.message}`);
    }
    if (err instanceof JsonDepthError) throw new ServeRequestError(400, `decode request: ${err.message}`);
    throw err;
  }
  const { node, end } = parsed;
  // A bare number or literal is only known to be complete at the next byte, which is past the limit.
  if (over && end === text.length && node.k !== 'obj' && node.k !== 'arr') throw new ServeRequestError(413, TOO_LARGE);
  let request: ServeEvaluateRequest;
  try {
    request = goDecode(node, { t: 'struct', spec: REQUEST, ptr: false }, REQUEST.zero(), { disallowUnknownFields: true }) as ServeEvaluateRequest;
  } catch (err) {
    if (err instanceof GoDecodeError) {
      // The field is a Go `int` (same range as int64 on Gait's 64-bit builds).
      const message = err.message.replace(/(mcpServeEvaluateRequest\.checkpoint_interval of type int)64$/, '$1');
      throw new ServeRequestError(400, `decode request: ${message}`);
    }
    throw err;
  }
  for (let i = end; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i))) throw new ServeRequestError(400, NOT_SINGLE);
  }
  if (over) throw new ServeRequestError(400, NOT_SINGLE);
  return request;
}

/**
 * The call as Gait hands it to the adapter: its map re-encoded (keys sorted bytewise at every
 * level, numbers as float64), so duplicate and case-variant keys resolve the way Go's do.
 */
export function callJson(call: RawObject): string {
  return encode(call);
}

function encode(value: RawJson): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.toWellFormed());
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(encode).join(',') + ']';
  const keys = [...value.keys()].sort(compareBytewise);
  return '{' + keys.map((k) => JSON.stringify(k.toWellFormed()) + ':' + encode(value.get(k)!)).join(',') + '}';
}
