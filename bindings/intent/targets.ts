/**
 * Target and argument-provenance normalization (intent.md §2.3, §2.4): trimming and case-folding,
 * endpoint-class and endpoint-domain inference, the destructive flag, validation with Gait's exact
 * messages, de-duplication and byte-order sorting.
 */
import type { IntentArgProvenance, IntentTarget } from './model.js';
import type { RawArgProvenance, RawTarget } from './decode.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { compareBytewise } from '../canonical/order.js';
import { urlHostname } from './url-host.js';

/** A validation failure; `message` is Gait's text (callers may add a prefix). */
export class NormalizeError extends Error {}

const TARGET_KINDS = new Set(['path', 'url', 'host', 'repo', 'bucket', 'table', 'queue', 'topic', 'other']);
const ENDPOINT_CLASSES = new Set([
  'fs.read', 'fs.write', 'fs.delete', 'proc.exec', 'net.http', 'net.dns', 'ui.click', 'ui.type', 'ui.navigate', 'other',
]);
const DISCOVERY_METHODS = new Set(['webmcp', 'dynamic_mcp', 'a2a', 'mcp', 'static_mcp', 'manual', 'unknown']);
const PROVENANCE_SOURCES = new Set(['user', 'tool_output', 'external', 'system']);

const PATH_READ_OPS = new Set(['read', 'get', 'list', 'open', 'cat', 'head', 'download', 'stat']);
const PATH_WRITE_OPS = new Set(['write', 'append', 'put', 'create', 'update', 'save', 'copy', 'move', 'rename']);
const PATH_DELETE_OPS = new Set(['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate']);
const DNS_OPS = new Set(['dns', 'resolve', 'lookup']);
const EXEC_OPS = new Set(['exec', 'spawn', 'run', 'shell', 'command']);
const DESTRUCTIVE_OPS = new Set(['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate', 'exec', 'spawn']);

/** Lowercase SHA-256 hex, the form normalized digests take. */
export const HEX64 = /^[a-f0-9]{64}$/;

/** The last `/` segment of the (already lower-cased) tool name: hints are tested in it by substring. */
function toolHint(toolName: string): string {
  return toolName.slice(toolName.lastIndexOf('/') + 1);
}

function hintHas(hint: string, words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) if (hint.includes(words[i]!)) return true;
  return false;
}

const READ_HINTS = ['read', 'list', 'fetch', 'search'];
const WRITE_HINTS = ['write', 'update', 'save', 'create'];
const DELETE_HINTS = ['delete', 'remove', 'rm', 'drop'];
const EXEC_HINTS = ['exec', 'shell', 'command', 'spawn', 'run'];

/** The path class a tool name hints at (a pure function of the name, kept for the names seen). */
const pathHints = new Map<string, string>();

function pathHintClass(toolName: string): string {
  let cls = pathHints.get(toolName);
  if (cls === undefined) {
    const hint = toolHint(toolName);
    cls = hintHas(hint, READ_HINTS) ? 'fs.read' : hintHas(hint, WRITE_HINTS) ? 'fs.write' : hintHas(hint, DELETE_HINTS) ? 'fs.delete' : 'other';
    if (pathHints.size >= 1024) pathHints.clear(); // bounded: tool names come from callers
    pathHints.set(toolName, cls);
  }
  return cls;
}

/** §2.3.1. Substring hints misfire on purpose-compatible names: `format` has `rm`, `thread` has `read`. */
export function inferEndpointClass(kind: string, operation: string, toolName: string): string {
  switch (kind) {
    case 'path': {
      if (operation !== '') {
        if (PATH_READ_OPS.has(operation)) return 'fs.read';
        if (PATH_WRITE_OPS.has(operation)) return 'fs.write';
        if (PATH_DELETE_OPS.has(operation)) return 'fs.delete';
      }
      return pathHintClass(toolName);
    }
    case 'host':
    case 'url':
      return DNS_OPS.has(operation) ? 'net.dns' : 'net.http';
    case 'other':
      if (EXEC_OPS.has(operation)) return 'proc.exec';
      if (hintHas(toolHint(toolName), EXEC_HINTS)) return 'proc.exec';
      return 'other';
    default:
      return 'other';
  }
}

/** §2.3.2: hosts by string surgery (case-sensitive scheme strip), URLs by Go's URL parser. */
export function inferEndpointDomain(kind: string, value: string): string {
  if (kind === 'host') {
    let v = goTrim(value);
    if (v.startsWith('http://')) v = v.slice('http://'.length);
    else if (v.startsWith('https://')) v = v.slice('https://'.length);
    const slash = v.indexOf('/');
    if (slash >= 0) v = v.slice(0, slash);
    const colon = v.indexOf(':');
    if (colon >= 0) v = v.slice(0, colon);
    return trimLower(v);
  }
  if (kind === 'url') return trimLower(urlHostname(value));
  return '';
}

/** Trimmed, lower-cased, `-` and ` ` as `_`; 'unknown' when empty. */
function discoveryMethod(text: string): string {
  const m = trimLower(text);
  if (m === '') return 'unknown';
  return m.includes('-') || m.includes(' ') ? m.replace(/[- ]/g, '_') : m;
}

function normalizeTarget(raw: RawTarget, toolName: string): IntentTarget {
  const kind = trimLower(raw.kind);
  const value = goTrim(raw.value);
  const operation = trimLower(raw.operation);
  const discovery = discoveryMethod(raw.discovery_method);
  if (kind === '' || value === '') throw new NormalizeError('targets require kind and value');
  if (!TARGET_KINDS.has(kind)) throw new NormalizeError(`unsupported target kind: ${kind}`);
  const givenClass = trimLower(raw.endpoint_class);
  // An inferred class is always a supported one; only a given one needs the check.
  const endpointClass = givenClass || inferEndpointClass(kind, operation, toolName);
  if (givenClass !== '' && !ENDPOINT_CLASSES.has(endpointClass)) throw new NormalizeError(`unsupported endpoint class: ${endpointClass}`);
  if (discovery !== 'unknown' && !DISCOVERY_METHODS.has(discovery)) throw new NormalizeError(`unsupported discovery method: ${discovery}`);
  const destructive =
    raw.destructive || raw.destructive_hint || endpointClass === 'fs.delete' || endpointClass === 'proc.exec' ||
    (operation !== '' && DESTRUCTIVE_OPS.has(operation));
  return {
    kind,
    value,
    operation,
    sensitivity: trimLower(raw.sensitivity),
    endpoint_class: endpointClass,
    endpoint_domain: trimLower(raw.endpoint_domain) || inferEndpointDomain(kind, value),
    destructive,
    discovery_method: discovery,
    read_only_hint: raw.read_only_hint,
    destructive_hint: raw.destructive_hint,
    idempotent_hint: raw.idempotent_hint,
    open_world_hint: raw.open_world_hint,
  };
}

/** false before true. */
function compareFlags(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

// The dedupe/sort tuple, strings first then booleans (false before true), as §2.3 lists it;
// field by field, since sorting a script's aggregated targets compares often.
function compareTargets(a: IntentTarget, b: IntentTarget): number {
  return (
    compareBytewise(a.kind, b.kind) ||
    compareBytewise(a.value, b.value) ||
    compareBytewise(a.operation, b.operation) ||
    compareBytewise(a.sensitivity, b.sensitivity) ||
    compareBytewise(a.endpoint_class, b.endpoint_class) ||
    compareBytewise(a.endpoint_domain, b.endpoint_domain) ||
    compareFlags(a.destructive, b.destructive) ||
    compareBytewise(a.discovery_method, b.discovery_method) ||
    compareFlags(a.read_only_hint, b.read_only_hint) ||
    compareFlags(a.destructive_hint, b.destructive_hint) ||
    compareFlags(a.idempotent_hint, b.idempotent_hint) ||
    compareFlags(a.open_world_hint, b.open_world_hint)
  );
}

/** Normalizes, validates (in input order), de-duplicates and sorts. Throws NormalizeError. */
export function normalizeTargets(raw: readonly RawTarget[], toolName: string): IntentTarget[] {
  const out: IntentTarget[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = normalizeTarget(raw[i]!, toolName);
  // Duplicates are equal on the whole sort tuple, so after sorting they are adjacent; which copy
  // survives does not matter (they are identical).
  return sortUnique(out, compareTargets);
}

/** Sorts and drops neighbours that compare equal. */
function sortUnique<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length < 2) return items;
  items.sort(compare);
  let n = 1;
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1]!, items[i]!) !== 0) items[n++] = items[i]!;
  items.length = n;
  return items;
}

function compareProvenance(a: IntentArgProvenance, b: IntentArgProvenance): number {
  return (
    compareBytewise(a.arg_path, b.arg_path) ||
    compareBytewise(a.source, b.source) ||
    compareBytewise(a.source_ref, b.source_ref) ||
    compareBytewise(a.integrity_digest, b.integrity_digest)
  );
}

/** §2.4. Throws NormalizeError. */
export function normalizeProvenance(raw: readonly RawArgProvenance[]): IntentArgProvenance[] {
  const out: IntentArgProvenance[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const p: IntentArgProvenance = {
      arg_path: goTrim(r.arg_path),
      source: trimLower(r.source),
      source_ref: goTrim(r.source_ref),
      integrity_digest: trimLower(r.integrity_digest),
    };
    if (p.arg_path === '' || p.source === '') throw new NormalizeError('arg provenance requires arg_path and source');
    if (!PROVENANCE_SOURCES.has(p.source)) throw new NormalizeError(`unsupported provenance source: ${p.source}`);
    if (p.integrity_digest !== '' && !HEX64.test(p.integrity_digest)) {
      throw new NormalizeError(`invalid provenance integrity_digest: ${p.integrity_digest}`);
    }
    out[i] = p;
  }
  return sortUnique(out, compareProvenance);
}
