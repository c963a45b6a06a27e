/**
 * Stage B (policy.md §1.2): strict decode of the YAML document into the policy model, driven by
 * a schema of the model. Like Gait's decoder with "strict" + "disallow unknown field":
 * - unknown keys are rejected at every level (exact, case-sensitive names);
 * - a wrong YAML kind for a field is rejected (scalar for a list, string for an int, ...);
 * - non-string scalars are stringified into string fields (`1.0` -> `1`, `true` -> `true`);
 * - YAML null (or an absent key) leaves the zero value.
 * Nothing is trimmed or validated here; that is stage C.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Policy } from './model.js';
import { POLICY_SCHEMA, type Field, type ScalarKind, type Struct } from './schema.js';
import { goFormatFloat } from './gostr.js';
import { classifyPlain, toGoFloat, toGoInt, type GoScalar } from './go-number.js';
import { yamlError, type YamlSource } from './yaml-source.js';
import { goBytesToString } from './utf8.js';

export { goBytesToString } from './utf8.js';

const TYPE_NAMES: Record<ScalarKind, string> = {
  string: 'string', int: 'int', 'int?': 'int', float: 'float', bool: 'bool', 'bool?': 'bool', strings: '[]string',
};

/** What the YAML node is, in words, for mismatch messages. */
function kindOf(node: Node | null): string {
  if (node === null) return 'null';
  if (isMap(node)) return 'mapping';
  if (isSeq(node)) return 'sequence';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (v instanceof Uint8Array) return '[]uint8'; // !!binary
    if (typeof v === 'bigint') return 'integer';
    if (typeof v === 'number') return 'float';
    if (typeof v === 'boolean') return 'bool';
    return 'string';
  }
  return 'node';
}

const isNull = (node: Node | null): boolean => node === null || (isScalar(node) && node.value === null);

class Decoder {
  /** strict: unknown keys are errors (policies); otherwise they are skipped (project config). */
  constructor(private readonly src: YamlSource, private readonly strict = true, private readonly rootName = 'policy') {}

  private mismatch(node: Node | null, at: Node | null, path: string, type: string, kind = kindOf(node)): never {
    throw yamlError(this.src.where(node ?? at), `cannot unmarshal ${kind} into field ${path} of type ${type}`);
  }

  struct(raw: Node | null, at: Node | null, def: Struct, path: string): Record<string, unknown> {
    const out = def.zero() as Record<string, unknown>;
    const node = this.src.resolve(raw);
    if (isNull(node)) return out;
    if (!isMap(node)) this.mismatch(node, at, path || this.rootName, 'mapping');
    const entries = this.src.entries(node);
    for (const e of entries) {
      if (this.strict && !Object.hasOwn(def.fields, e.key)) {
        throw yamlError(this.src.where(e.keyNode), `unknown field ${JSON.stringify(e.key)}`);
      }
    }
    for (const e of entries) {
      if (!Object.hasOwn(def.fields, e.key)) continue;
      const field = def.fields[e.key]!;
      const fieldPath = path ? `${path}.${e.key}` : e.key;
      out[e.key] = this.field(e.value, e.keyNode, field, fieldPath, out[e.key]);
    }
    return out;
  }

  private field(raw: Node | null, at: Node, def: Field, path: string, zero: unknown): unknown {
    if (typeof def === 'string') return this.scalar(raw, at, def, path, zero);
    if ('list' in def) {
      const node = this.src.resolve(raw);
      if (isNull(node)) return [];
      if (!isSeq(node)) this.mismatch(node, at, path, 'sequence of mappings');
      return node.items.map((item, i) => this.struct(item as Node | null, node, def.list, `${path}[${i}]`));
    }
    return this.struct(raw, at, def, path);
  }

  private scalar(raw: Node | null, at: Node, type: ScalarKind, path: string, zero: unknown): unknown {
    const node = this.src.resolve(raw);
    if (type === 'strings') {
      if (isNull(node)) return [];
      if (!isSeq(node)) this.mismatch(node, at, path, '[]string');
      return node.items.map((item, i) => {
        const el = this.src.resolve(item as Node | null);
        if (isNull(el)) return '';
        if (!isScalar(el)) this.mismatch(el, node, `${path}[${i}]`, 'string');
        return this.scalarText(el);
      });
    }
    if (isNull(node)) return zero;
    if (!isScalar(node)) this.mismatch(node, at, path, TYPE_NAMES[type]);
    const v = node.value;
    switch (type) {
      case 'string':
        return this.scalarText(node);
      case 'bool':
      case 'bool?':
        if (typeof v !== 'boolean') this.mismatch(node, at, path, 'bool');
        return v;
      case 'float': {
        const r = toGoFloat(this.goScalar(node));
        if (!r.ok) this.mismatch(node, at, path, 'float', r.mismatch);
        return r.v;
      }
      default: {
        // int / int? (Go int, 64 bits): see go-number.ts for what Gait takes.
        const r = toGoInt(this.goScalar(node));
        if (r.ok) return r.v;
        if ('mismatch' in r) this.mismatch(node, at, path, 'int', r.mismatch);
        throw yamlError(this.src.where(node), `cannot unmarshal ${r.overflow} into field ${path} of type int (overflow)`);
      }
    }
  }

  /** A scalar as Gait's YAML library types it: plain scalars by their text, tags as tagged. */
  private goScalar(node: Scalar): GoScalar {
    const v = node.value;
    // Gait's library refuses `!!int` on an int field (`!<tag:yaml.org,2002:int>` passes).
    if (this.src.tagToken(node)?.text === '!!int') return { k: 'tagged-int', v: Number(v) };
    switch (node.tag) {
      case 'tag:yaml.org,2002:str':
        return { k: 'string', v: this.toText(v) };
      case 'tag:yaml.org,2002:float':
        return { k: 'float', v: Number(v) };
      case 'tag:yaml.org,2002:bool':
        return { k: 'bool' };
      default:
    }
    if (v instanceof Uint8Array) return { k: 'other', kind: '[]uint8' }; // !!binary
    if (node.type === 'PLAIN' && typeof node.source === 'string') return classifyPlain(node.source);
    if (v === null) return { k: 'null' };
    if (typeof v === 'boolean') return { k: 'bool' };
    if (typeof v === 'bigint') return { k: 'int', v };
    if (typeof v === 'number') return { k: 'float', v };
    return { k: 'string', v: this.toText(v) };
  }

  /** A scalar for a string field: plain numbers as Gait's library reads them (017 -> 15, 1e3 stays). */
  private scalarText(node: Scalar): string {
    if (node.type === 'PLAIN' && !node.tag && typeof node.source === 'string') {
      const c = classifyPlain(node.source);
      if (c.k === 'int') return c.v.toString();
      if (c.k === 'float') return goFormatFloat(c.v);
      if (c.k === 'string' && typeof node.value !== 'string') return c.v; // 1e3, 08, +.inf: text, not a number
    }
    return this.toText(node.value);
  }

  /** Scalar -> string field, the reference decoder's coercion (fmt %v of the decoded value). */
  private toText(v: unknown): string {
    if (typeof v === 'string') return v.isWellFormed() ? v : v.toWellFormed();
    // !!binary: the `yaml` library gives a Buffer under Node and a plain Uint8Array elsewhere;
    // Gait stores the decoded bytes as the string.
    if (v instanceof Uint8Array) return goBytesToString(v);
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return goFormatFloat(v);
    return String(v); // bigint, boolean
  }
}


/** Decode the (already checked) document into a raw, un-normalized policy. */
export function decodePolicy(src: YamlSource): Policy {
  return decodeDocument(src, POLICY_SCHEMA, { strict: true, rootName: 'policy' }) as unknown as Policy;
}

/**
 * Decode an (already checked) document against a schema, Gait's YAML library's way; `strict`
 * refuses unknown keys at every level, otherwise they are ignored. `rootName` names the document
 * in type errors.
 */
export function decodeDocument(src: YamlSource, schema: Struct, options: { strict: boolean; rootName: string }): Record<string, unknown> {
  const root = src.doc.contents as Node | null;
  // Gait's YAML library refuses a document that is a written null (`null`, `~`, `Null`, `NULL`:
  // plain, untagged, unanchored); an empty document, and a tagged or anchored null, decode to the
  // zero policy like a null field does.
  if (root && isScalar(root) && root.value === null && root.type === 'PLAIN' && root.source !== '' && !root.tag && !root.anchor) {
    throw yamlError(src.where(root), 'null was used where mapping is expected');
  }
  return new Decoder(src, options.strict, options.rootName).struct(root, null, schema, '');
}
