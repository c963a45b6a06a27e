/**
 * The host part of `url.Parse(value).Hostname()` from Go's net/url, for endpoint-domain inference
 * of `url` targets (intent.md §2.3.2). Only what decides the host is reproduced: the scheme rule
 * (no scheme means no host unless the value starts with `//`), opaque URLs, the authority,
 * userinfo, bracketed IPv6 literals, port validation, percent-decoding in the host, and the parse
 * errors that make Go return no URL at all (we then report no domain). Returns '' for no host.
 */

const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

class UrlError extends Error {}

/** getScheme: letters, then letters/digits/+-. up to ':'; anything else means "no scheme". */
function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isAlpha(c)) continue;
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

function unhex(c: number): number {
  if (isDigit(c)) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

type Mode = 'host' | 'zone' | 'path' | 'fragment' | 'user';

/** shouldEscape for host/zone text: what may appear unescaped in a host (RFC 3986 reg-name and more). */
function hostCharAllowed(c: number): boolean {
  if (isAlpha(c) || isDigit(c)) return true;
  return '-._~!$&\'()*+,;=:[]<>"'.includes(String.fromCharCode(c));
}

/** Go's unescape: %XX decoding with the per-mode rules; returns UTF-8 bytes as a byte string. */
function unescape(s: string, mode: Mode): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h1 = unhex(s.charCodeAt(i + 1));
      const h2 = unhex(s.charCodeAt(i + 2));
      if (i + 2 >= s.length || h1 < 0 || h2 < 0) throw new UrlError('invalid URL escape');
      // In a host only %25 and non-ASCII bytes may be escaped (RFC 6874 / RFC 3986 §3.2.2).
      if (mode === 'host' && h1 < 8 && s.slice(i, i + 3) !== '%25') throw new UrlError('invalid URL escape');
      if (mode === 'zone') {
        const v = h1 * 16 + h2;
        if (s.slice(i, i + 3) !== '%25' && v !== 0x20 && !hostCharAllowed(v)) throw new UrlError('invalid URL escape');
      }
      out += String.fromCharCode(h1 * 16 + h2);
      i += 2;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && c < 0x80 && !hostCharAllowed(c)) throw new UrlError('invalid character in host name');
    out += s[i];
  }
  return out;
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) if (!isDigit(port.charCodeAt(i))) return false;
  return true;
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UrlError("missing ']' in host");
    if (!validOptionalPort(host.slice(i + 1))) throw new UrlError('invalid port after host');
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, i), 'zone') + unescape(host.slice(i), 'host');
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new UrlError('invalid port after host');
  }
  return unescape(host, 'host');
}

const USERINFO_EXTRA = "-._:~!$&'()*+,;=%@";

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  if (at < 0) return parseHost(authority);
  const userinfo = authority.slice(0, at);
  for (let i = 0; i < userinfo.length; i++) {
    const c = userinfo.charCodeAt(i);
    if (!isAlpha(c) && !isDigit(c) && !USERINFO_EXTRA.includes(userinfo[i]!)) throw new UrlError('invalid userinfo');
  }
  unescape(userinfo, 'user');
  return parseHost(authority.slice(at + 1));
}

/** Host of the parsed URL (port and IPv6 brackets removed), or '' when there is none or Go fails. */
export function urlHostname(value: string): string {
  try {
    return hostnameOf(value);
  } catch (err) {
    if (err instanceof UrlError) return '';
    throw err;
  }
}

function hostnameOf(text: string): string {
  const value = toByteString(text); // Go works on UTF-8 bytes
  const hash = value.indexOf('#');
  const raw = hash >= 0 ? value.slice(0, hash) : value;
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new UrlError('invalid control character in URL');
  if (raw === '' || raw === '*') return '';
  const [scheme, afterScheme] = splitScheme(raw);
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return ''; // opaque, e.g. mailto:x@y or host:8080
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) throw new UrlError('first path segment in URL cannot contain colon');
  }
  let host = '';
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const auth = rest.slice(2);
    const slash = auth.indexOf('/');
    host = parseAuthority(slash >= 0 ? auth.slice(0, slash) : auth);
    rest = slash >= 0 ? auth.slice(slash) : '';
  }
  unescape(rest, 'path'); // a bad escape in the path fails the whole parse
  if (hash >= 0) unescape(value.slice(hash + 1), 'fragment');
  return hostnameFromHost(decodeUtf8Bytes(host));
}

/** URL.Hostname(): drop a valid `:port`, then the IPv6 brackets. */
function hostnameFromHost(host: string): string {
  const colon = host.lastIndexOf(':');
  let h = host;
  if (colon >= 0 && validOptionalPort(host.slice(colon))) h = host.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

function toByteString(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}

/** The host after unescaping is bytes; read them back as UTF-8 (invalid bytes become U+FFFD). */
function decodeUtf8Bytes(byteString: string): string {
  if (!/[\x80-\xff]/.test(byteString)) return byteString;
  const bytes = new Uint8Array(byteString.length);
  for (let i = 0; i < byteString.length; i++) bytes[i] = byteString.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
