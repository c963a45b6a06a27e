/**
 * `--listen host:port` as Gait reads it (mcp.md §10.2 steps 5–6): Go's net.SplitHostPort with its
 * error texts, the loopback rule (`localhost` in any case, or an IP literal that net.ParseIP
 * reads as loopback; any other name is not), and Go's port parsing at listen time.
 */

export class ListenAddressError extends Error {}

/** net.SplitHostPort; throws ListenAddressError(`address <a>: <why>`). */
export function splitHostPort(hostport: string): { host: string; port: string } {
  const fail = (why: string): never => {
    throw new ListenAddressError(`address ${hostport}: ${why}`);
  };
  const last = hostport.lastIndexOf(':');
  if (last < 0) fail('missing port in address');
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0) fail("missing ']' in address");
    if (end + 1 === hostport.length) fail('missing port in address');
    if (end + 1 !== last) fail(hostport[end + 1] === ':' ? 'too many colons in address' : 'missing port in address');
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, last);
    if (host.includes(':')) fail('too many colons in address');
  }
  if (hostport.slice(j).includes('[')) fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) fail("unexpected ']' in address");
  return { host, port: hostport.slice(last + 1) };
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** net.ParseIP for IPv6 text (no zone): 16 bytes, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    const fields = text.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (!v4) return undefined;
        out.push(...v4);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return undefined;
      const n = parseInt(f, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 16 ? head : undefined;
  if (head.length + tail.length > 14) return undefined; // `::` stands for at least one group
  return [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
}

/** The loopback rule of `gait mcp serve` (host already without brackets). */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const v4 = parseIPv4(host);
  if (v4) return v4[0] === 127;
  const v6 = parseIPv6(host);
  if (!v6) return false;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  if (mapped) return v6[12] === 127;
  return v6.slice(0, 15).every((b) => b === 0) && v6[15] === 1;
}

/** Go's port parsing when listening: a number 0–65535 (`""` is 0). Throws ListenAddressError with Go's text. */
export function listenPort(port: string): number {
  if (port === '') return 0;
  let digits = port;
  let negative = false;
  if (digits[0] === '+' || digits[0] === '-') {
    negative = digits[0] === '-';
    digits = digits.slice(1);
  }
  // Not a number: Go would look it up as a service name; there is no services database here.
  if (!/^[0-9]*$/.test(digits)) throw new ListenAddressError(`lookup tcp/${port}: unknown port`);
  const n = digits === '' ? 0 : Number(digits.length > 12 ? '999999999999' : digits);
  if ((negative && n > 0) || n > 0xffff) throw new ListenAddressError(`address ${port}: invalid port`);
  return n;
}
