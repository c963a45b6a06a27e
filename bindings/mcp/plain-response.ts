/**
 * What a plain responder reads of a request: a fetch Request has all of it; a server adapter that
 * parses requests itself (node:http) passes these four fields without building a Request.
 */
export interface PlainRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * A response as plain data (status, headers, text body): what createDecisionService decides
 * before it becomes a fetch Response. A server adapter that writes responses itself (node:http,
 * serve-node.ts) takes it as is and skips building a Response only to read it back; every other
 * runtime gets the Response.
 */
export interface PlainResponse {
  readonly status: number;
  /** Header names as written here; a fetch Response lowercases and sorts them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** Where a fetch handler built over plain responses keeps the plain form (see decision-service.ts). */
export const PLAIN_RESPONDER: unique symbol = Symbol.for('gait-wasm.plainResponder') as never;

export type PlainResponder = (request: PlainRequest) => Promise<PlainResponse>;

export function toFetchResponse(plain: PlainResponse): Response {
  return new Response(plain.body, { status: plain.status, headers: plain.headers });
}

/** The fetch handler `respond` stands for, carrying `respond` itself under PLAIN_RESPONDER. */
export function fetchHandlerOf(respond: PlainResponder): ((request: Request) => Promise<Response>) & { [PLAIN_RESPONDER]: PlainResponder } {
  const handler = async (request: Request) => toFetchResponse(await respond(request));
  return Object.assign(handler, { [PLAIN_RESPONDER]: respond });
}
