/**
 * A JSON reader that keeps what Go's decoder needs and JSON.parse loses: member order including
 * duplicate keys (Go applies them in order, the last one winning), number literals (for Go's
 * `number 1e400` errors) and raw string text (Go hands `time.Time` the undecoded bytes). Syntax
 * errors carry the message Go's scanner prints. Nesting is capped so that hostile input cannot
 * exhaust the stack.
 */
import { wellFormed } from '../canonical/text.js';

export type JNode =
  | { readonly k: 'null' }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'num'; readonly v: number; readonly raw: string }
  | { readonly k: 'str'; readonly v: string; readonly raw?: string }
  | { readonly k: 'arr'; readonly items: JNode[] }
  | { readonly k: 'obj'; readonly entries: Array<[string, JNode]> };

/** A syntax error; `message` is Go's (`invalid character 'x' after object key`, …). */
export class JsonSyntaxError extends Error {}

/** Nesting deeper than the configured limit. */
export class JsonDepthError extends Error {}

/** Input that JSON cannot represent (BigInt, NaN, …) handed to `treeFromValue`. */
export class JsonValueError extends Error {}

const NULL: JNode = { k: 'null' };
const TRUE: JNode = { k: 'bool', v: true };
const FALSE: JNode = { k: 'bool', v: false };

const UNEXPECTED_END = 'unexpected end of JSON input';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
});

/** The byte Go's scanner would be looking at: the first UTF-8 byte of the character. */
function firstByte(cp: number): number {
  if (cp < 0x80) return cp;
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return cp >= 0xd800 && cp <= 0xdfff ? 0xef : 0xe0 | (cp >> 12); // lone surrogate = U+FFFD
  return 0xf0 | (cp >> 18);
}

/** Go's json quoteChar: the byte as a rune, through strconv.Quote, in single quotes. */
function quoteChar(b: number): string {
  if (b === 0x27) return `'\\''`;
  if (b === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  let s: string;
  if (named[b] !== undefined) s = named[b]!;
  else if (b < 0x20 || b === 0x7f) s = '\\x' + b.toString(16).padStart(2, '0');
  else if ((b >= 0x80 && b <= 0xa0) || b === 0xad) s = '\\u' + b.toString(16).padStart(4, '0');
  else s = String.fromCharCode(b);
  return `'${s}'`;
}

class Reader {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly depthMessage: string,
  ) {}

  parseDocument(): JNode {
    const value = this.value(0);
    this.skipSpace();
    if (this.i < this.text.length) this.fail('after top-level value');
    return value;
  }

  /**
   * Go's json.Decoder.Decode: the first value only, whatever follows it unread. Input that ends
   * before any value is `EOF`, input that ends inside one `unexpected EOF`.
   */
  /** Where reading stopped: just after the value parseFirst returned. */
  get position(): number {
    return this.i;
  }

  parseFirst(): JNode {
    this.skipSpace();
    if (this.i >= this.text.length) throw new JsonSyntaxError('EOF');
    try {
      return this.value(0);
    } catch (err) {
      if (err instanceof JsonSyntaxError && err.message === UNEXPECTED_END) throw new JsonSyntaxError('unexpected EOF');
      throw err;
    }
  }

  private fail(context: string): never {
    const cp = this.text.codePointAt(this.i) ?? 0;
    throw new JsonSyntaxError(`invalid character ${quoteChar(firstByte(cp))} ${context}`);
  }

  private end(): never {
    throw new JsonSyntaxError(UNEXPECTED_END);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  /** Skips spaces and returns the next char code; fails with Go's EOF message at the end. */
  private peek(): number {
    this.skipSpace();
    if (this.i >= this.text.length) this.end();
    return this.text.charCodeAt(this.i);
  }

  private value(depth: number): JNode {
    const c = this.peek();
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
        return this.string();
      case 0x74: // t
        this.literal('true');
        return TRUE;
      case 0x66: // f
        this.literal('false');
        return FALSE;
      case 0x6e: // n
        this.literal('null');
        return NULL;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail('looking for beginning of value');
    }
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) throw new JsonDepthError(this.depthMessage);
    this.i++;
  }

  private object(depth: number): JNode {
    this.enter(depth);
    const entries: Array<[string, JNode]> = [];
    if (this.peek() === 0x7d) {
      this.i++;
      return { k: 'obj', entries };
    }
    for (;;) {
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string().v;
      if (this.peek() !== 0x3a) this.fail('after object key');
      this.i++;
      entries.push([key, this.value(depth)]);
      const c = this.peek();
      this.i++;
      if (c === 0x2c) continue;
      if (c === 0x7d) return { k: 'obj', entries };
      this.i--;
      this.fail('after object key:value pair');
    }
  }

  private array(depth: number): JNode {
    this.enter(depth);
    const items: JNode[] = [];
    if (this.peek() === 0x5d) {
      this.i++;
      return { k: 'arr', items };
    }
    for (;;) {
      items.push(this.value(depth));
      const c = this.peek();
      this.i++;
      if (c === 0x2c) continue;
      if (c === 0x5d) return { k: 'arr', items };
      this.i--;
      this.fail('after array element');
    }
  }

  private literal(word: string): void {
    const t = this.text;
    for (let j = 1; j < word.length; j++) {
      this.i++;
      if (this.i >= t.length) this.end();
      if (t[this.i] !== word[j]) this.fail(`in literal ${word} (expecting '${word[j]}')`);
    }
    this.i++;
  }

  private digits(): void {
    const t = this.text;
    while (this.i < t.length && t.charCodeAt(this.i) >= 0x30 && t.charCodeAt(this.i) <= 0x39) this.i++;
  }

  private isDigitHere(): boolean {
    if (this.i >= this.text.length) this.end();
    const c = this.text.charCodeAt(this.i);
    return c >= 0x30 && c <= 0x39;
  }

  private number(): JNode {
    const t = this.text;
    const start = this.i;
    if (t.charCodeAt(this.i) === 0x2d) {
      this.i++;
      if (!this.isDigitHere()) this.fail('in numeric literal');
    }
    if (t.charCodeAt(this.i) === 0x30) this.i++;
    else this.digits();
    if (t.charCodeAt(this.i) === 0x2e) {
      this.i++;
      if (!this.isDigitHere()) this.fail('after decimal point in numeric literal');
      this.digits();
    }
    const e = t.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      if (this.i >= t.length) this.end();
      const s = t.charCodeAt(this.i);
      if (s === 0x2b || s === 0x2d) this.i++;
      if (!this.isDigitHere()) this.fail('in exponent of numeric literal');
      this.digits();
    }
    const raw = t.slice(start, this.i);
    return { k: 'num', v: Number(raw), raw };
  }

  private string(): { k: 'str'; v: string; raw: string } {
    const t = this.text;
    const start = ++this.i;
    let out = '';
    let run = start;
    for (;;) {
      if (this.i >= t.length) this.end();
      const c = t.charCodeAt(this.i);
      if (c === 0x22) {
        out += t.slice(run, this.i);
        const raw = t.slice(start, this.i);
        this.i++;
        // Go decodes invalid UTF-16 (lone surrogates, escaped or not) to U+FFFD.
        return { k: 'str', v: wellFormed(out), raw };
      }
      if (c < 0x20) this.fail('in string literal');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += t.slice(run, this.i);
      this.i++;
      if (this.i >= t.length) this.end();
      const e = t[this.i]!;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        this.i++;
      } else if (e === 'u') {
        let code = 0;
        for (let j = 0; j < 4; j++) {
          this.i++;
          if (this.i >= t.length) this.end();
          const h = parseInt(t[this.i]!, 16);
          if (Number.isNaN(h)) this.fail('in \\u hexadecimal character escape');
          code = code * 16 + h;
        }
        out += String.fromCharCode(code);
        this.i++;
      } else {
        this.fail('in string escape code');
      }
      run = this.i;
    }
  }
}

/** Parses JSON text like Go's decoder (syntax only). Throws JsonSyntaxError or JsonDepthError. */
export function parseJsonTree(text: string, maxDepth: number, depthMessage: string): JNode {
  return new Reader(text, maxDepth, depthMessage).parseDocument();
}

/** Parses the first JSON value of `text` like Go's json.Decoder (trailing input is not read). */
export function parseJsonTreeFirst(text: string, maxDepth: number, depthMessage: string): JNode {
  return new Reader(text, maxDepth, depthMessage).parseFirst();
}

/** parseJsonTreeFirst, plus the index just after the value (where trailing input starts). */
export function parseJsonTreePrefix(text: string, maxDepth: number, depthMessage: string): { node: JNode; end: number } {
  const reader = new Reader(text, maxDepth, depthMessage);
  const node = reader.parseFirst();
  return { node, end: reader.position };
}

/**
 * A tree from an already-parsed JavaScript value, with JSON.stringify's rules (toJSON, omitted
 * undefined/function members, null in arrays) plus Maps read as objects. Values JSON cannot carry
 * (BigInt, NaN, ±Infinity) are rejected rather than silently changed; cycles hit the depth cap.
 */
export function treeFromValue(value: unknown, maxDepth: number, depthMessage: string): JNode | undefined {
  return convert(value, '', 0, maxDepth, depthMessage);
}

function convert(input: unknown, key: string, depth: number, maxDepth: number, depthMessage: string): JNode | undefined {
  let v = input;
  if (v !== null && (typeof v === 'object' || typeof v === 'bigint')) {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, key);
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  switch (typeof v) {
    case 'string':
      return { k: 'str', v: wellFormed(v) };
    case 'boolean':
      return v ? TRUE : FALSE;
    case 'number':
      if (!Number.isFinite(v)) throw new JsonValueError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      return { k: 'num', v, raw: String(v) };
    case 'bigint':
      throw new JsonValueError('json: unsupported type: bigint');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return NULL;
  if (depth + 1 > maxDepth) throw new JsonDepthError(depthMessage);
  if (Array.isArray(v)) {
    const items: JNode[] = [];
    for (let i = 0; i < v.length; i++) items.push(convert(v[i], String(i), depth + 1, maxDepth, depthMessage) ?? NULL);
    return { k: 'arr', items };
  }
  const entries: Array<[string, JNode]> = [];
  if (v instanceof Map) {
    for (const [k, item] of v) {
      const node = convert(item, String(k), depth + 1, maxDepth, depthMessage);
      if (node) entries.push([wellFormed(String(k)), node]);
    }
  } else {
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const node = convert(obj[k], k, depth + 1, maxDepth, depthMessage);
      if (node) entries.push([wellFormed(k), node]);
    }
  }
  return { k: 'obj', entries };
}

/** JSON kind names as Go's UnmarshalTypeError prints them. */
export function kindName(n: JNode): string {
  switch (n.k) {
    case 'null': return 'null';
    case 'bool': return 'bool';
    case 'num': return 'number';
    case 'str': return 'string';
    case 'arr': return 'array';
    case 'obj': return 'object';
  }
}

/** The raw text between the quotes (escapes undecoded), reconstructed for value input. */
export function rawString(n: { v: string; raw?: string }): string {
  return n.raw ?? JSON.stringify(n.v).slice(1, -1);
}
