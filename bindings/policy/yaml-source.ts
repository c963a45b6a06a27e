/**
 * The YAML layer under the policy parser: input limits, one parsed document with `[line:col]`
 * positions, alias resolution, merge keys (`<<`) and the document-wide checks that Gait's YAML
 * library performs while parsing (syntax, duplicate keys). Everything reports as
 * `parse policy yaml: [<line>:<col>] <message>` (policy.md §1.2).
 *
 * Hostile input is bounded before and while the `yaml` library sees it: a size cap, a flow-depth
 * pre-scan with the library's lexer (its parser degrades badly on thousands of unclosed `[`),
 * a nesting-depth cap, and an alias-expansion cap against "billion laughs" documents.
 */
import {
  Lexer, LineCounter, parseAllDocuments, parseDocument, isAlias, isMap, isScalar, isSeq, isCollection, isPair, visit,
  type Alias, type Document, type Node, type YAMLMap,
} from 'yaml';
import { invalidInput, type GaitError } from '../errors.js';
import { MAX_NESTING_DEPTH, MAX_POLICY_BYTES } from './constants.js';
import { YAML_ERROR_PREFIX, policySizeError } from './utf8.js';

// Bytes -> text lives beside the parser-free decoders (utf8.ts): the decide-only build needs no YAML.
export { YAML_ERROR_PREFIX, decodeUtf8 } from './utf8.js';
export { MAX_NESTING_DEPTH, MAX_POLICY_BYTES };
/** Passed to the `yaml` library's alias accounting (anchor reuse x nested aliases). */
export const MAX_ALIAS_COUNT = 1000;
/** Hard cap on alias dereferences while decoding (belt and braces for merge-key chains). */
const MAX_DEREFS = 100_000;

const PREFIX = YAML_ERROR_PREFIX;

export function yamlError(where: string, message: string): GaitError {
  return invalidInput(`${PREFIX}${where} ${message}`);
}

const sizeError = policySizeError;
const depthMessage = `document nesting exceeds the maximum depth of ${MAX_NESTING_DEPTH}`;

/** UTF-8 byte length without allocating (lone surrogates count as the 3 bytes of U+FFFD). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Enforce the size limit on text and drop a leading byte-order mark. */
export function prepareText(text: string): string {
  if (text.length > MAX_POLICY_BYTES || utf8Length(text) > MAX_POLICY_BYTES) throw sizeError();
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/** Offset where flow collections nest deeper than the limit, or -1 (lexer only: linear, no recursion). */
function flowTooDeep(text: string): number {
  let opens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) opens++;
  }
  if (opens <= MAX_NESTING_DEPTH) return -1; // cannot possibly nest deeper: skip lexing
  let depth = 0;
  let offset = 0;
  for (const tok of new Lexer().lex(text)) {
    if (tok === '[' || tok === '{') {
      if (++depth > MAX_NESTING_DEPTH) return offset;
    } else if ((tok === ']' || tok === '}') && depth > 0) depth--;
    if (!CONTROL_TOKENS.has(tok)) offset += tok.length;
  }
  return -1;
}

export interface MapEntry {
  key: string;
  keyNode: Node;
  value: Node | null;
}

export interface ParseOptions {
  /** Decode the first of several documents instead of refusing them (Gait's project config). */
  readonly firstDocumentOnly?: boolean;
}

/** A parsed policy document plus the position and alias bookkeeping the decoder needs. */
export class YamlSource {
  readonly doc: Document.Parsed;
  private readonly lines: LineCounter;
  private readonly aliasTargets = new Map<Alias, Node | undefined>();
  private derefs = 0;
  private readonly merging = new Set<Node>();

  private readonly text: string;

  private constructor(doc: Document.Parsed, lines: LineCounter, text: string) {
    this.doc = doc;
    this.lines = lines;
    this.text = text;
    // Every alias is written `*name`: without a `*` in the text there is none to resolve, and the
    // walk below (cold code, most of it, in a fresh process) can be skipped.
    if (!text.includes('*')) return;
    // Document order: an alias refers to the last anchor of that name declared before it.
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_k, node) => {
        if (isAlias(node)) this.aliasTargets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  /**
   * Parse, after the flow-depth pre-scan (which throws: such input must not reach the parser).
   * Other YAML problems do not throw here; they are collected by firstProblem().
   */
  static parse(text: string, options: ParseOptions = {}): YamlSource {
    const tooDeep = flowTooDeep(text);
    if (tooDeep >= 0) {
      const lc = new LineCounter();
      lc.addNewLine(0);
      // Positions only: count lines without asking the parser to build the hostile document.
      for (let i = text.indexOf('\n'); i >= 0 && i < tooDeep; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
      const { line, col } = lc.linePos(tooDeep);
      throw yamlError(`[${line}:${col}]`, depthMessage);
    }
    const settings = (lineCounter: LineCounter) => ({
      lineCounter,
      prettyErrors: false,
      uniqueKeys: false, // duplicates are reported below with both positions
      intAsBigInt: true, // exact integers: range checks and int->string coercion stay exact
    });
    if (options.firstDocumentOnly) {
      // Every document is parsed (a syntax error anywhere counts); the first one is decoded.
      const lines = new LineCounter();
      const docs = parseAllDocuments(text, settings(lines));
      if (Array.isArray(docs) && docs.length > 1) {
        const first = docs[0]!;
        first.errors.push(...docs.slice(1).flatMap((d) => d.errors));
        return new YamlSource(first, lines, text);
      }
    }
    const lines = new LineCounter();
    return new YamlSource(parseDocument(text, settings(lines)), lines, text);
  }

  /**
   * The explicit tag written before a node (`!!int`, `!foo`, `!<…>`), with its offset, looking
   * back over the node's properties (tag and anchor, in either order). The `yaml` library's
   * ranges start after them; Gait's YAML library places a tagged node at its tag.
   */
  tagToken(node: Node): { text: string; offset: number } | undefined {
    if (!('tag' in node) || !node.tag || !node.range) return undefined;
    let i = node.range[0];
    for (let props = 0; props < 2; props++) {
      while (i > 0 && /\s/.test(this.text[i - 1]!)) i--;
      let j = i;
      while (j > 0 && !/\s/.test(this.text[j - 1]!)) j--;
      const token = this.text.slice(j, i);
      if (token.startsWith('!')) return { text: token, offset: j };
      if (!token.startsWith('&')) return undefined;
      i = j;
    }
    return undefined;
  }

  /** `[line:col]` of a node (at its tag when it has one) or offset (1-based, like the reference library). */
  where(at: Node | number | null | undefined): string {
    const offset = typeof at === 'number' ? at : at ? (this.tagToken(at)?.offset ?? at.range?.[0] ?? 0) : 0;
    const { line, col } = this.lines.linePos(offset);
    return `[${line}:${col}]`;
  }

  /**
   * The first document-level problem, in the order the reference library would meet them:
   * syntax, nesting depth, duplicate keys, dangling or explosive aliases. Undefined when clean.
   */
  firstProblem(): GaitError | undefined {
    if (this.problem === null) this.problem = this.findProblem();
    return this.problem;
  }

  private problem: GaitError | undefined | null = null;

  private findProblem(): GaitError | undefined {
    const err = this.doc.errors[0];
    if (err) {
      const at = this.unterminatedQuoteAt(err.message, err.pos[0]) ?? this.unclosedFlowAt(err.message, err.pos[0]) ?? err.pos[0];
      const where = this.where(at);
      if (err.code === 'RESOURCE_EXHAUSTION') return yamlError(where, depthMessage);
      if (err.code === 'MULTIPLE_DOCS') return yamlError(where, 'a policy file must contain a single YAML document');
      return yamlError(where, err.message);
    }
    return this.depthProblem() ?? this.duplicateKeyProblem() ?? this.aliasProblem();
  }

  /**
   * The offset of the opening quote of an unterminated quoted scalar (`Missing closing "quote`),
   * where the reference library reports it; the parser reports the end of the input.
   */
  private unterminatedQuoteAt(message: string, errorAt: number): number | undefined {
    const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
    if (!quote) return undefined;
    let found: number | undefined;
    let offset = 0;
    for (const tok of new Lexer().lex(this.text)) {
      if (offset > errorAt) break;
      if (tok.startsWith(quote)) found = offset;
      if (!CONTROL_TOKENS.has(tok)) offset += tok.length;
    }
    return found;
  }

  /**
   * The offset of the innermost `[` or `{` still open when the input ends, where the reference
   * library reports a flow collection the input never closes; the parser reports the end.
   */
  private unclosedFlowAt(message: string, errorAt: number): number | undefined {
    if (!/^Flow (sequence|map) .*end with a [\]}]/.test(message) || errorAt < this.text.trimEnd().length) return undefined;
    const open: number[] = [];
    let offset = 0;
    for (const tok of new Lexer().lex(this.text)) {
      if (tok === '[' || tok === '{') open.push(offset);
      else if (tok === ']' || tok === '}') open.pop();
      if (!CONTROL_TOKENS.has(tok)) offset += tok.length;
    }
    return open.at(-1);
  }

  private depthProblem(): GaitError | undefined {
    const stack: Array<[Node, number]> = [];
    if (this.doc.contents) stack.push([this.doc.contents, 1]);
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (!isCollection(node)) continue;
      if (depth > MAX_NESTING_DEPTH) return yamlError(this.where(node), depthMessage);
      for (const item of node.items) {
        if (isPair(item)) {
          if (isCollection(item.key)) stack.push([item.key, depth + 1]);
          if (isCollection(item.value)) stack.push([item.value, depth + 1]);
        } else if (isCollection(item)) stack.push([item, depth + 1]);
      }
    }
    return undefined;
  }

  private duplicateKeyProblem(): GaitError | undefined {
    // Maps in document order (pre-order, a pair's key before its value; aliases not followed):
    // the order of the library's visit(), walked by hand (visit is cold code in a fresh process).
    const stack: unknown[] = [];
    if (this.doc.contents) stack.push(this.doc.contents);
    while (stack.length > 0) {
      const node = stack.pop();
      if (isPair(node)) {
        if (node.value) stack.push(node.value);
        if (node.key) stack.push(node.key);
        continue;
      }
      if (!isCollection(node)) continue;
      if (isMap(node)) {
        const seen = new Map<string, Node>();
        // Keys a `<<: *anchor` merge brought in: the reference library rejects an explicit key of
        // the same name, before or after the merge.
        const merged = new Set<string>();
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          if (this.isMergeKey(keyNode)) {
            const problem = this.mergeProblem(node, pair.value as Node | null, seen, merged);
            if (problem) return problem;
            continue;
          }
          const key = this.scalarKey(keyNode);
          if (key === undefined) continue;
          if (merged.has(key)) return yamlError(this.where(keyNode), `duplicate key ${JSON.stringify(key)}`);
          const first = seen.get(key);
          if (first) return yamlError(this.where(keyNode), `mapping key ${JSON.stringify(key)} already defined at ${this.where(first)}`);
          seen.set(key, keyNode!);
        }
      }
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
    return undefined;
  }

  /**
   * The keys of a merge's mapping (`<<: *anchor` or `<<: {…}`) go into `merged`; one the mapping
   * already has explicitly is a duplicate, reported at the merged value as the reference library
   * does. Other merge values (sequences of aliases…) are left to the decoder.
   */
  private mergeProblem(into: YAMLMap, value: Node | null, seen: ReadonlyMap<string, Node>, merged: Set<string>): GaitError | undefined {
    const source = value && isAlias(value) ? this.aliasTargets.get(value) : value;
    // A map merged into itself is the recursive merge the alias checks report.
    if (!source || !isMap(source) || source === into) return undefined;
    for (const pair of source.items) {
      const key = this.scalarKey(pair.key as Node | null);
      if (key === undefined) continue;
      if (seen.has(key)) return yamlError(this.where((pair.value as Node | null) ?? (pair.key as Node)), `duplicate key ${JSON.stringify(key)}`);
      merged.add(key);
    }
    return undefined;
  }

  /** An alias to no anchor, reported at the name after the `*`, as the reference library does. */
  private undefinedAlias(alias: Alias): GaitError {
    const at = alias.range?.[0];
    return yamlError(this.where(at === undefined ? alias : at + 1), `could not find alias ${JSON.stringify(alias.source)}`);
  }

  private aliasProblem(): GaitError | undefined {
    for (const [alias, target] of this.aliasTargets) {
      if (target === undefined) return this.undefinedAlias(alias);
    }
    if (this.aliasTargets.size === 0) return undefined;
    try {
      this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const first = this.aliasTargets.keys().next().value;
      const detail = e instanceof Error ? e.message : String(e);
      return yamlError(this.where(first), `excessive aliasing (more than ${MAX_ALIAS_COUNT} alias expansions): ${detail}`);
    }
    return undefined;
  }

  /** Follow an alias to its anchored node (aliases never chain in YAML). */
  resolve(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) {
      if (++this.derefs > MAX_DEREFS) {
        throw yamlError(this.where(node), `excessive aliasing (more than ${MAX_DEREFS} alias dereferences)`);
      }
      const target = this.aliasTargets.get(node);
      if (target === undefined) throw this.undefinedAlias(node);
      return target;
    }
    return node ?? null;
  }

  /** Key text as a Go string key: plain scalars keep their source text, quoted ones their value. */
  scalarKey(keyNode: Node | null | undefined): string | undefined {
    const k = keyNode && isAlias(keyNode) ? this.aliasTargets.get(keyNode) : keyNode;
    if (!k) return '';
    if (!isScalar(k)) return undefined;
    if (typeof k.value === 'string') return k.value;
    return k.source ?? String(k.value);
  }

  private isMergeKey(keyNode: Node | null | undefined): boolean {
    return !!keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<';
  }

  /**
   * A mapping's entries with merge keys applied: explicit keys win over merged ones, and among
   * several merged mappings the earlier one wins (YAML merge-key semantics).
   */
  entries(map: YAMLMap): MapEntry[] {
    if (this.merging.has(map)) throw yamlError(this.where(map), 'recursive merge key');
    const explicit: MapEntry[] = [];
    const merged: MapEntry[] = [];
    this.merging.add(map);
    try {
      for (const pair of map.items) {
        const keyNode = pair.key as Node | null;
        if (this.isMergeKey(keyNode)) {
          const value = this.resolve(pair.value as Node | null);
          const sources = value && isSeq(value) ? value.items.map((n) => this.resolve(n as Node)) : [value];
          for (const src of sources) {
            if (!src || !isMap(src)) {
              throw yamlError(this.where(src ?? keyNode), 'merge key value must be a mapping or a sequence of mappings');
            }
            merged.push(...this.entries(src));
          }
          continue;
        }
        const key = this.scalarKey(keyNode);
        if (key === undefined) throw yamlError(this.where(keyNode), 'mapping keys must be scalars');
        explicit.push({ key, keyNode: keyNode ?? map, value: pair.value as Node | null });
      }
    } finally {
      this.merging.delete(map);
    }
    const seen = new Set(explicit.map((e) => e.key));
    for (const e of merged) {
      if (!seen.has(e.key)) {
        seen.add(e.key);
        explicit.push(e);
      }
    }
    return explicit;
  }
}
