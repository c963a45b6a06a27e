// A client that sends its request and half-closes its side (`nc -N`, some HTTP/1.0 clients) still
// gets the answer, as from Gait's Go server: Node's default would end the socket on the client's
// FIN before an asynchronous handler answers, leaving the client without a decision.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveFetchHandler } from '../../bindings/mcp/serve-node.js';

function halfClosingRequest(port: number, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      socket.end();
    });
    socket.on('data', (d) => (out += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}

describe('serveFetchHandler: a half-closing client', () => {
  it('gets the asynchronous handler\'s answer, then the connection closes', async () => {
    const s = await serveFetchHandler(async (request) => {
      const text = await request.text();
      await new Promise((done) => setTimeout(done, 20)); // the answer comes after the client's FIN
      return new Response(`echo:${text}`, { headers: { 'Content-Type': 'text/plain' } });
    }, { host: '127.0.0.1', port: 0 });
    try {
      const raw = await halfClosingRequest(s.address.port, '{"call":{"name":"tool.read"}}');
      expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(raw.endsWith('\r\n\r\necho:{"call":{"name":"tool.read"}}')).toBe(true);
    } finally {
      await s.close(100);
    }
  });
});
