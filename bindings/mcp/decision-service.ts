/**
 * Gait's `gait mcp serve` as one standard fetch handler (mcp.md §10.3–§10.5, §10.7):
 * `(request: Request) => Promise<Response>`, for Node (bindings/mcp/serve-node.ts), Deno, Bun,
 * workerd and browsers alike. Everything outside the request is a port: the policy, the trace
 * sink, exports, trust snapshots, job state, the signing key, the clock and a retention hook.
 *
 * Bodies are byte-exact with Gait's: struct key order, no HTML escaping except on the SSE
 * endpoint, a trailing newline. Every failure is an error status with `{"error":…,"ok":false}`;
 * no error carries a verdict, and the handler never throws: an unexpected exception is a 500
 * error (fail closed: a client that only trusts a 200 with `verdict:"allow"` never proceeds).
 *
 * Not supported (mcp.md §13 allows leaving them out): session journals and checkpoints (no
 * `session_journal=` warning is produced), runpacks and packs. Requests that ask for a runpack
 * or pack file this service would have to write get a 400; see `artifactDirs`.
 */
import type { Gate } from '../gate.js';
import type { TraceRecord } from '../crypto/trace.js';
import type { Lazy, KeyInput } from '../enforce.js';
import { GaitError } from '../errors.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { sha256Bytes } from '../canonical/sha256.js';
import { checkBoundary, evaluateToolCall, prepareToolCall, type McpProxyOptions, type McpProxyResult } from './proxy.js';
import { decodeToolCall } from './adapters.js';
import { normalizeRunId } from './run-id.js';
import type { ReadJobState, ReadTrustSnapshot } from './types.js';
import { parseMediaType } from './media-type.js';
import { goJson } from '../canonical/go-json.js';
import { callJson, decodeServeRequest, readBoundedBody, ServeRequestError, type ServeEvaluateRequest } from './serve-request.js';
import { fetchHandlerOf, type PlainRequest, type PlainResponse } from './plain-response.js';

export const DEFAULT_MAX_REQUEST_BYTES = 1_048_576;

/** Where the trace of one request goes: the client's `trace_path` (when allowed), and the request's normalized run id. */
export interface TraceTarget {
  /** The request's `trace_path`, trimmed; only set with `allowClientArtifactPaths`. */
  readonly path: string | undefined;
  /** The request's `run_id`, normalized (mcp.md §8.2); empty when the request has none. */
  readonly runId: string;
}

export interface DecisionServiceOptions {
  /** The policy: a Gate, or a provider called for every request (the CLI re-reads its file each time, as Gait does). */
  policy: Gate | (() => Gate | Promise<Gate>);
  /** Adapter for requests that name none; default `mcp`. Trimmed and lowercased, validated per request (as Gait does). */
  adapter?: string;
  /** `standard` (default) or `oss-prod`; validated per request (as Gait does). */
  profile?: string;
  /**
   * Bearer token required on the evaluate endpoints (trimmed; compared in constant time). Absent:
   * no authentication (Gait's `--auth-mode off`); blank: refused at construction. Whether the
   * listening address needs a token is the server's decision (the CLI requires one off loopback).
   */
  authToken?: string;
  /** Largest accepted body in bytes; default 1 MiB. */
  maxRequestBytes?: number;
  /** `compat` (default): every evaluated response is 200. `strict`: block 403, require_approval and dry_run 409. Anything else is refused at construction. */
  verdictStatus?: 'compat' | 'strict' | string;
  /** Let requests choose `trace_path`, `runpack_out`, `pack_out`, `session_journal` and a call's `context.context_envelope_path`. */
  allowClientArtifactPaths?: boolean;
  /** The boundary's context envelope (loaded once, like `--context-envelope`). */
  contextEnvelope?: McpProxyOptions['contextEnvelope'];
  /** Reads a call's `context.context_envelope_path`; used only with allowClientArtifactPaths and no contextEnvelope. */
  callEnvelopePath?: McpProxyOptions['callEnvelopePath'];
  /** Keeps the signed trace of an evaluation and returns its `trace_path`. Absent: traces are not kept, no `trace_path`. */
  traceSink?: (trace: TraceRecord, target: TraceTarget) => string | void | Promise<string | void>;
  exports?: McpProxyOptions['exports'];
  readTrustSnapshot?: ReadTrustSnapshot;
  readJobState?: ReadJobState;
  /** Trace signing key; absent: dev mode (a fresh key per evaluation, with Gait's warning). */
  signingKey?: Lazy<KeyInput>;
  clock?: () => Date;
  producerVersion?: string;
  /** Runs after each successful evaluation; its warnings are appended (Gait's retention, mcp.md §10.7). */
  retention?: () => string[] | Promise<string[]>;
  /**
   * Whether the server was configured with a runpack / pack directory (`--runpack-dir`,
   * `--pack-dir`). Nothing is ever written there; the flags only decide which answer a request
   * for one gets: without the directory Gait's own (`emit_runpack` ignored, `emit_pack` refused),
   * with it a 400 saying runpacks / packs are not supported.
   */
  artifactDirs?: { runpack?: boolean; pack?: boolean };
}

export type DecisionService = (request: Request) => Promise<Response>;

const EVALUATE_PATHS = new Set(['/v1/evaluate', '/v1/evaluate/sse', '/v1/evaluate/stream']);

/** A Go struct as Gait's HTTP handlers encode it: insertion order, one line; HTML escaped only where asked (SSE). */
function structJson(value: unknown, escapeHtml = false): string {
  return goJson(value, { sortKeys: false, escapeHtml });
}

/** A Response of `{"error":…,"ok":false}\n` (Gait's error map: keys sorted, no HTML escaping). */
function errorResponse(status: number, message: string): PlainResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: structJson({ error: message, ok: false }) + '\n' };
}

function notFound(): PlainResponse {
  return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: '404 page not found\n' };
}

/** Go's path.Clean. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Go's ServeMux answers a path that is not clean with a 307 to the cleaned one (a trailing slash kept). */
function redirectTarget(path: string): string | undefined {
  let clean = cleanPath(path);
  if (path.endsWith('/') && clean !== '/') clean += '/';
  return clean === path ? undefined : clean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** Go's http.Redirect with 307: a short HTML body for GET and HEAD only. */
function redirect(location: string, method: string): PlainResponse {
  if (method !== 'GET' && method !== 'HEAD') return { status: 307, headers: { Location: location }, body: null };
  const href = location.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
  return { status: 307, headers: { 'Content-Type': 'text/html; charset=utf-8', Location: location }, body: `<a href="${href}">Temporary Redirect</a>.\n\n` };
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function notSupported(field: string, what: string): ServeRequestError {
  return new ServeRequestError(400, `${field} is not supported by this server (${what} are not implemented)`);
}

function notAllowed(field: string): ServeRequestError {
  return new ServeRequestError(400, `${field} is not allowed by server configuration`);
}

export function createDecisionService(options: DecisionServiceOptions): DecisionService {
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new GaitError('--max-request-bytes must be > 0');
  const verdictStatus = trimLower(options.verdictStatus ?? 'compat');
  if (verdictStatus !== 'compat' && verdictStatus !== 'strict') throw new GaitError('unsupported --http-verdict-status value (expected compat or strict)');
  const strict = verdictStatus === 'strict';
  const defaultAdapter = trimLower(options.adapter ?? 'mcp');
  const allowPaths = options.allowClientArtifactPaths === true;
  // A token that is given but blank would silently mean "no authentication": refused instead.
  if (options.authToken !== undefined && goTrim(options.authToken) === '') throw new GaitError('authToken must not be blank (omit it to serve without authentication)');
  // Comparing digests keeps the comparison's time independent of the token's length and bytes.
  const tokenDigest = options.authToken !== undefined ? sha256Bytes(goTrim(options.authToken)) : undefined;
  const policy = options.policy;
  const gateFor = typeof policy === 'function' ? policy : () => policy;

  // Without allowClientArtifactPaths a call's envelope path gets the CLI's refusal; with it and a
  // boundary envelope, the proxy refuses it as already configured.
  const callEnvelopePath: McpProxyOptions['callEnvelopePath'] = allowPaths
    ? options.callEnvelopePath ?? (async () => {
      throw new GaitError('call.context.context_envelope_path is not supported; use --context-envelope at the boundary');
    })
    : undefined;

  function authorize(request: PlainRequest): PlainResponse | undefined {
    if (!tokenDigest) return undefined;
    const header = goTrim(request.headers.get('authorization') ?? '');
    if (!header.startsWith('Bearer ')) return errorResponse(401, 'missing bearer authorization');
    const presented = sha256Bytes(goTrim(header.slice('Bearer '.length)));
    if (!constantTimeEqual(presented, tokenDigest)) return errorResponse(401, 'invalid bearer authorization');
    return undefined;
  }

  function checkContentType(request: PlainRequest): PlainResponse | undefined {
    const header = goTrim(request.headers.get('content-type') ?? '');
    if (header === '') return undefined;
    const mediaType = parseMediaType(header);
    if (mediaType === undefined) return errorResponse(415, 'invalid content-type header');
    if (mediaType !== 'application/json') return errorResponse(415, 'content-type must be application/json');
    return undefined;
  }

  /** mcp.md §10.4 step 8, in Gait's order; the trace path the client asked for, if any. */
  function checkArtifactPaths(req: ServeEvaluateRequest): string | undefined {
    const tracePath = goTrim(req.trace_path);
    if (tracePath !== '' && (!allowPaths || !options.traceSink)) throw notAllowed('request.trace_path');
    if (goTrim(req.runpack_out) !== '') throw allowPaths ? notSupported('request.runpack_out', 'runpacks') : notAllowed('request.runpack_out');
    if (req.emit_runpack && options.artifactDirs?.runpack) throw notSupported('request.emit_runpack', 'runpacks');
    if (goTrim(req.pack_out) !== '') throw allowPaths ? notSupported('request.pack_out', 'packs') : notAllowed('request.pack_out');
    if (req.emit_pack) {
      if (!options.artifactDirs?.pack) throw new ServeRequestError(400, 'request.emit_pack requires server --pack-dir');
      throw notSupported('request.emit_pack', 'packs');
    }
    return tracePath === '' ? undefined : tracePath;
  }

  /**
   * A `session_journal` matters only when the request has a session id (its own, or the call's);
   * without one Gait ignores it. With one: Gait's refusal without allowClientArtifactPaths, else
   * "not supported" (no journals here). Gait refuses only after evaluating and writing the trace;
   * this checks first, so a refused request leaves nothing behind.
   */
  function checkSessionJournal(req: ServeEvaluateRequest, payload: string, adapter: string): void {
    if (goTrim(req.session_journal) === '') return;
    let sessionId = goTrim(req.session_id);
    if (sessionId === '') {
      try {
        sessionId = goTrim(decodeToolCall(payload, adapter).context.session_id);
      } catch {
        return; // the evaluation reports the decode error
      }
    }
    if (sessionId === '') return;
    throw allowPaths ? notSupported('request.session_journal', 'session journals') : notAllowed('request.session_journal');
  }

  async function loadGate(payload: string, adapter: string): Promise<Gate> {
    try {
      return await gateFor();
    } catch (err) {
      // Gait checks the call (decoding, envelope path, profile, OAuth, oss-prod key) before it
      // reads the policy: those errors are reported first.
      const { call } = await prepareToolCall(payload, { adapter, contextEnvelope: options.contextEnvelope, callEnvelopePath });
      checkBoundary(call, { profile: options.profile, signingKey: options.signingKey });
      throw err;
    }
  }

  async function evaluate(request: PlainRequest, path: string): Promise<PlainResponse> {
    const denied = authorize(request) ?? checkContentType(request);
    if (denied) return denied;
    const { bytes, over } = await readBoundedBody(request.body, maxBytes);
    const req = decodeServeRequest(bytes, over, maxBytes);
    if (req.call === null || req.call.size === 0) throw new ServeRequestError(400, 'request.call is required');
    const adapter = trimLower(req.adapter) || defaultAdapter;
    const clientTracePath = checkArtifactPaths(req);
    const payload = callJson(req.call);
    checkSessionJournal(req, payload, adapter);
    const gate = await loadGate(payload, adapter);
    const requestRunId = normalizeRunId(req.run_id);
    const sink = options.traceSink;
    const result: McpProxyResult = await evaluateToolCall(gate, payload, {
      adapter,
      profile: options.profile,
      runId: req.run_id,
      contextEnvelope: options.contextEnvelope,
      callEnvelopePath,
      clock: options.clock,
      signingKey: options.signingKey,
      readTrustSnapshot: options.readTrustSnapshot,
      readJobState: options.readJobState,
      traceSink: sink ? (trace) => sink(trace, { path: clientTracePath, runId: requestRunId }) : undefined,
      exports: options.exports,
      producerVersion: options.producerVersion,
    });
    const output: Record<string, unknown> = { ...result.output };
    // Gait reports the request's session id (its session journal's) even when the call has none.
    const sessionId = goTrim(req.session_id);
    if (sessionId !== '') output['session_id'] = sessionId;
    const extra = options.retention ? await options.retention() : [];
    if (extra.length > 0) output['warnings'] = [...((output['warnings'] as string[] | undefined) ?? []), ...extra];
    const body = withStructOrder(output, result.exit_code);
    const verdict = result.output.verdict;
    const status = !strict || verdict === 'allow' ? 200 : verdict === 'block' ? 403 : 409;
    if (path === '/v1/evaluate/sse') {
      return {
        status,
        headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' },
        body: `event: evaluate\ndata: ${structJson(body, true)}\n\n`,
      };
    }
    const type = path === '/v1/evaluate/stream' ? 'application/x-ndjson' : 'application/json';
    return { status, headers: { 'Content-Type': type }, body: structJson(body) + '\n' };
  }

  // The plain form is what serve-node.ts writes; every other runtime gets fetch Responses.
  return fetchHandlerOf(async function respond(request: PlainRequest): Promise<PlainResponse> {
    try {
      const url = new URL(request.url);
      let path: string;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        // Go's server refuses a request target it cannot unescape before any handler runs.
        return { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }, body: '400 Bad Request' };
      }
      const target = redirectTarget(url.pathname);
      if (target !== undefined) return redirect(target + url.search, request.method);
      if (path === '/healthz') {
        if (request.method !== 'GET') return errorResponse(405, 'expected GET');
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true,"service":"gait.mcp.serve"}\n' };
      }
      if (!EVALUATE_PATHS.has(path)) return notFound();
      if (request.method !== 'POST') return errorResponse(405, 'expected POST');
      return await evaluate(request, path);
    } catch (err) {
      if (err instanceof ServeRequestError) return errorResponse(err.status, err.message);
      if (err instanceof GaitError) return errorResponse(400, err.message);
      const message = err instanceof Error ? err.message : String(err);
      return errorResponse(500, `internal error: ${message}`);
    }
  });
}

/** The proxy output in the HTTP struct order (mcp.md §10.5) with `exit_code` last. */
const OUTPUT_KEYS = [
  'ok', 'executed', 'adapter', 'run_id', 'job_id', 'phase', 'session_id', 'tool_name', 'verdict', 'reason_codes',
  'violations', 'policy_digest', 'policy_id', 'policy_version', 'matched_rule_ids', 'intent_digest',
  'decision_latency_ms', 'trace_id', 'trace_path', 'runpack_path', 'pack_path', 'pack_id', 'log_export',
  'otel_export', 'mcp_trust', 'warnings', 'relationship', 'error',
] as const;

function withStructOrder(output: Record<string, unknown>, exitCode: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of OUTPUT_KEYS) if (output[key] !== undefined) out[key] = output[key];
  for (const key of Object.keys(output)) if (!(key in out) && output[key] !== undefined) out[key] = output[key];
  out['exit_code'] = exitCode;
  return out;
}
