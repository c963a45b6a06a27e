/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * Object keys are sorted by UTF-16 code units (the RFC's rule, and JavaScript's default sort);
 * numbers use ECMAScript formatting, which is what JSON.stringify emits for finite numbers;
 * strings use JSON.stringify's minimal escaping. Lone surrogates must have been replaced by the
 * caller (normalization does it), as Go does when it decodes the input.
 */
/** Characters JSON.stringify would escape (or, for lone surrogates, rewrite). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its cost for the usual string that needs no escaping. */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('JCS: non-finite number');
      return JSON.stringify(value);
    case 'string':
      return quote(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += canonicalize(value[i]);
        }
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) out += ',';
        out += quote(keys[i]!) + ':' + canonicalize(obj[keys[i]!]);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`JCS: unsupported value of type ${typeof value}`);
  }
}
