/**
 * Runs a fetch handler (`(Request) => Promise<Response>`, such as createDecisionService's) on
 * node:http, with `gait mcp serve`'s server settings (mcp.md §10.2): keep-alive, headers within
 * 5 s, the whole request within 30 s, the response within 30 s of the request, idle connections
 * closed after 60 s.
 *
 * The request body is handed over as a stream that reads the socket only as fast as the handler
 * pulls; a handler that stops early (an oversized or refused body) leaves the rest unread, and
 * the connection is then closed after the response instead of being kept alive.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PLAIN_RESPONDER, type PlainRequest, type PlainResponder, type PlainResponse } from './plain-response.js';

export interface NodeServeOptions {
  /** Undefined: every interface. */
  host: string | undefined;
  port: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  writeTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface NodeFetchServer {
  readonly server: Server;
  readonly address: AddressInfo;
  /** Stops accepting, lets requests in flight finish (at most `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

type FetchHandler = (request: Request) => Promise<Response>;

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  // After the handler cancels, late socket events must not touch the finished stream.
  const settle = (action: () => void) => {
    if (!open) return;
    try {
      action();
    } catch {
      open = false;
    }
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => settle(() => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      }));
      req.once('end', () => settle(() => {
        open = false;
        controller.close();
      }));
      req.once('error', (err) => settle(() => {
        open = false;
        controller.error(err);
      }));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.pause();
    },
  });
}

/** The URL a request target stands for. A string join, not `new URL(target, base)`: `//healthz` must stay a path, not become a host. */
function urlOf(req: IncomingMessage): string {
  const target = req.url ?? '/';
  return target.startsWith('/') ? `http://localhost${target}` : target;
}

function hasBody(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  return new Request(urlOf(req), hasBody(method) ? { method, headers, body: bodyStream(req), duplex: 'half' } as RequestInit : { method, headers });
}

// Methods a fetch Request refuses (so toRequest throws and the client gets a 400).
const FORBIDDEN_METHOD = /^(connect|trace|track)$/i;

/**
 * What a plain responder reads, straight from node:http: no Request, Headers or AbortSignal built
 * per request (a twentieth of mcp serve's CPU). Refuses what `new Request()` refuses (a forbidden
 * method, a target that is no URL or carries credentials), so both paths answer alike; node:http
 * has already refused header names and values a Headers object would.
 */
function toPlainRequest(req: IncomingMessage): PlainRequest {
  const method = req.method ?? 'GET';
  const url = urlOf(req);
  if (FORBIDDEN_METHOD.test(method)) throw new TypeError(`'${method}' HTTP method is unsupported`);
  // An origin-form target (`/…`) always makes a valid URL without credentials; the rest (absolute
  // or asterisk form) is parsed here as Request would, and the decision service parses it again.
  if (!(req.url ?? '/').startsWith('/')) {
    const parsed = new URL(url); // throws where Request would
    if (parsed.username !== '' || parsed.password !== '') throw new TypeError(`request URL with credentials: ${url}`);
  }
  const fields = req.headers;
  return {
    method,
    url,
    headers: {
      get(name: string): string | null {
        const value = fields[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: hasBody(method) ? bodyStream(req) : null,
  };
}

/** `content-type` → `Content-Type`, as Go writes header names. */
function canonicalName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

const STREAMED = /^(text\/event-stream|application\/x-ndjson)/;

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response, closing: boolean): Promise<void> {
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : new Uint8Array(0);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(canonicalName(name), value));
  // Event streams and NDJSON go out chunked, as Gait flushes them; everything else with a length.
  if (!STREAMED.test(response.headers.get('content-type') ?? '')) res.setHeader('Content-Length', body.byteLength);
  // An unread body, or a server that is stopping: this connection is not reused.
  if (!req.complete || closing) res.setHeader('Connection', 'close');
  res.end(body);
}

// A fetch Response trims header values of HTTP whitespace; the plain path does the same.
const HTTP_WHITESPACE_AROUND = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * writeResponse for a handler's plain response (PLAIN_RESPONDER): the same bytes on the wire as
 * the Response it stands for (names lowercased and sorted, then canonicalized; a text body without
 * a type is `text/plain;charset=UTF-8`), without building that Response and reading it back.
 */
function writePlainResponse(req: IncomingMessage, res: ServerResponse, response: PlainResponse, closing: boolean): void {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(response.headers)) headers.set(name.toLowerCase(), value.replace(HTTP_WHITESPACE_AROUND, ''));
  if (response.body !== null && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
  const body = response.body === null ? new Uint8Array(0) : Buffer.from(response.body, 'utf8');
  res.statusCode = response.status;
  for (const name of [...headers.keys()].sort()) res.setHeader(canonicalName(name), headers.get(name)!);
  if (!STREAMED.test(headers.get('content-type') ?? '')) res.setHeader('Content-Length', body.byteLength);
  if (!req.complete || closing) res.setHeader('Connection', 'close');
  res.end(body);
}

function failed(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = '{"error":"internal error","ok":false}\n';
  res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** Listens and serves; rejects with the listen error (EADDRINUSE, …). */
export function serveFetchHandler(handler: FetchHandler, options: NodeServeOptions): Promise<NodeFetchServer> {
  const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
  const headersTimeout = options.headersTimeoutMs ?? 5_000;
  let closing = false;
  const respond = (handler as { [PLAIN_RESPONDER]?: PlainResponder })[PLAIN_RESPONDER];
  // Node enforces the header and request deadlines on a timer (30 s apart by default): check often
  // enough that a slow client is cut off close to the deadline.
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 5)));
  const server = createServer({ connectionsCheckingInterval }, (req, res) => {
    const deadline = setTimeout(() => res.destroy(), writeTimeoutMs);
    res.once('close', () => clearTimeout(deadline));
    let request: PlainRequest | Request;
    try {
      request = respond ? toPlainRequest(req) : toRequest(req);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('400 Bad Request');
      return;
    }
    if (respond) respond(request).then((response) => writePlainResponse(req, res, response, closing)).catch(() => failed(res));
    else handler(request as Request).then((response) => writeResponse(req, res, response, closing)).catch(() => failed(res));
  });
  // A client's FIN after its request must not end the socket before the (asynchronous) answer is
  // written, as Node does by default: keep the half-open socket, answer, then close (Go's server
  // answers such clients too). Node reads this long-standing field in its socket 'end' handler.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.headersTimeout = headersTimeout;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  server.keepAliveTimeout = options.idleTimeoutMs ?? 60_000;

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve({
        server,
        address: server.address() as AddressInfo,
        close(graceMs = 10_000) {
          closing = true;
          return new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          });
        },
      });
    });
  });
}
