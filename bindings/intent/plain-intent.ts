/**
 * Reading plain intent objects for the fast paths (core/encode-object.ts, normalize-object.ts):
 * parsed JSON values (plain objects and arrays, members named exactly like the fields, values of
 * the field's JSON kind) are read directly; anything else calls `bail()`, and the fast path's
 * caller takes the full path (decode.ts, normalize.ts), which gives the answer or the error.
 * The checks accept only input the full path decodes and normalizes without error.
 */
import type { IntentArgProvenance, IntentTarget, JsonObject } from './model.js';
import type { JsonValue } from '../canonical/jcs.js';
import type { RawArgProvenance, RawDelegation, RawDelegationLink, RawSkillProvenance, RawTarget } from './decode.js';
import { isPlainArray, isPlainObject } from './fast-decode.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { isPlainRfc3339 } from '../time.js';
import { HEX64, normalizeProvenance, normalizeTargets } from './targets.js';

/** Signals "take the full path"; callers catch it (and anything else) and fall back. */
const FALLBACK = new Error('plain intent fallback');

export function bail(): never {
  throw FALLBACK;
}

/** Args nesting handled here; deeper values go to the full path (its limit is 64). */
export const MAX_DEPTH = 40;

export const hasOwn = Object.prototype.hasOwnProperty;

/** A string member ('' when null or absent). Lone surrogates are left to the full path. */
export function str(v: unknown): string {
  if (typeof v === 'string') {
    if (!v.isWellFormed()) bail();
    return v;
  }
  if (v === null || v === undefined) return '';
  return bail();
}

function bool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  return bail();
}

/** A member Go ignores here but still decodes: must be a string (or null). */
export function checkString(v: unknown): void {
  if (typeof v !== 'string' && v !== null && v !== undefined) bail();
}

/** A list of strings (null items allowed, as Go leaves them ''); the values are not needed. */
export function checkStrings(v: unknown): void {
  if (v === null || v === undefined) return;
  if (!isPlainArray(v)) bail();
  for (let i = 0; i < v.length; i++) checkString(v[i]);
}

/** A key normalization keeps and leaves non-empty: already trimmed, well formed. */
function checkKey(key: string): void {
  if (key === '' || !key.isWellFormed() || goTrim(key) !== key) bail();
}

/** Any JSON value the full path decodes and normalizes without error. */
function checkValue(v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(v)) bail();
      return;
    case 'object':
      if (v === null) return;
      if (depth > MAX_DEPTH) bail();
      if (isPlainArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          // JSON.stringify writes these as null inside arrays.
          if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') checkValue(item, depth + 1);
        }
        return;
      }
      checkObject(v, depth);
      return;
    default:
      bail();
  }
}

/** A JSON object (args, auth_context) whose normalization cannot fail or merge keys. */
export function checkObject(v: unknown, depth: number): void {
  if (v === null || v === undefined) return;
  if (!isPlainObject(v) || depth > MAX_DEPTH) bail();
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue; // dropped
    checkKey(key);
    checkValue(item, depth + 1);
  }
}

function rawTarget(v: unknown): RawTarget {
  if (!isPlainObject(v)) bail();
  const t: RawTarget = {
    kind: '', value: '', operation: '', sensitivity: '', endpoint_class: '', endpoint_domain: '', destructive: false,
    discovery_method: '', read_only_hint: false, destructive_hint: false, idempotent_hint: false, open_world_hint: false,
  };
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail(); // inherited enumerable members: not plain JSON
    const item = v[key];
    switch (key) {
      case 'kind': t.kind = str(item); break;
      case 'value': t.value = str(item); break;
      case 'operation': t.operation = str(item); break;
      case 'sensitivity': t.sensitivity = str(item); break;
      case 'endpoint_class': t.endpoint_class = str(item); break;
      case 'endpoint_domain': t.endpoint_domain = str(item); break;
      case 'discovery_method': t.discovery_method = str(item); break;
      case 'destructive': t.destructive = bool(item); break;
      case 'read_only_hint': t.read_only_hint = bool(item); break;
      case 'destructive_hint': t.destructive_hint = bool(item); break;
      case 'idempotent_hint': t.idempotent_hint = bool(item); break;
      case 'open_world_hint': t.open_world_hint = bool(item); break;
      default: bail();
    }
  }
  return t;
}

function rawProvenance(v: unknown): RawArgProvenance {
  if (!isPlainObject(v)) bail();
  const p: RawArgProvenance = { arg_path: '', source: '', source_ref: '', integrity_digest: '' };
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail(); // inherited enumerable members: not plain JSON
    const item = v[key];
    switch (key) {
      case 'arg_path': p.arg_path = str(item); break;
      case 'source': p.source = str(item); break;
      case 'source_ref': p.source_ref = str(item); break;
      case 'integrity_digest': p.integrity_digest = str(item); break;
      default: bail();
    }
  }
  return p;
}

function list<T>(v: unknown, item: (x: unknown) => T): T[] {
  if (v === null || v === undefined) return [];
  if (!isPlainArray(v)) bail();
  const out: T[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = item(v[i]);
  return out;
}

/** A JSON value as normalization leaves it (strings trimmed, at every depth); see checkValue. */
function normalValue(v: unknown, depth: number): JsonValue {
  switch (typeof v) {
    case 'string':
      if (!v.isWellFormed()) bail();
      return goTrim(v);
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v)) bail();
      return v;
    case 'object': {
      if (v === null) return null;
      if (depth > MAX_DEPTH) bail();
      if (isPlainArray(v)) {
        const out: JsonValue[] = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const item = v[i];
          // JSON.stringify writes these as null inside arrays.
          out[i] = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : normalValue(item, depth + 1);
        }
        return out;
      }
      return normalObject(v, depth);
    }
    default:
      return bail();
  }
}

/**
 * A JSON object (args, auth_context) as normalization leaves it: a fresh object, members in
 * input order, keys already trimmed (a key that would change, merge or be `__proto__` bails).
 */
export function normalObject(v: unknown, depth: number): JsonObject {
  const out: JsonObject = {};
  if (v === null || v === undefined) return out;
  if (!isPlainObject(v) || depth > MAX_DEPTH) bail();
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue; // dropped
    checkKey(key);
    if (key === '__proto__') bail();
    out[key] = normalValue(item, depth + 1);
  }
  return out;
}

/** A list of strings, each trimmed (null items as ''). */
export function trimmedStrings(v: unknown): string[] {
  const out = strs(v);
  for (let i = 0; i < out.length; i++) out[i] = goTrim(out[i]!);
  return out;
}

/** The normalized targets and provenance of a single intent (a NormalizeError bails too). */
export function normalTargetsAndProvenance(
  targets: unknown, provenance: unknown, toolName: string,
): { targets: IntentTarget[]; provenance: IntentArgProvenance[] } {
  try {
    return {
      targets: normalizeTargets(list(targets, rawTarget), toolName),
      provenance: normalizeProvenance(list(provenance, rawProvenance)),
    };
  } catch {
    return bail(); // the full path fails closed with the error's message
  }
}

/** A list of strings as decoded (null items as ''). */
function strs(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (!isPlainArray(v)) bail();
  const out: string[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = str(v[i]);
  return out;
}

/** A time member as decoded: null when null, absent or '' (the object API's unset). */
function timeText(v: unknown): string | null {
  const text = str(v);
  if (text === '') return null;
  if (!isPlainRfc3339(text)) bail(); // other shapes: decode.ts parses (and words the error)
  return text;
}

export function rawSkill(v: unknown): RawSkillProvenance {
  if (!isPlainObject(v)) bail();
  const s: RawSkillProvenance = { skill_name: '', skill_version: '', source: '', publisher: '', digest: '', signature_key_id: '' };
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    switch (key) {
      case 'skill_name': s.skill_name = str(item); break;
      case 'skill_version': s.skill_version = str(item); break;
      case 'source': s.source = str(item); break;
      case 'publisher': s.publisher = str(item); break;
      case 'digest': s.digest = str(item); break;
      case 'signature_key_id': s.signature_key_id = str(item); break;
      default: bail();
    }
  }
  return s;
}

function rawLink(v: unknown): RawDelegationLink {
  if (!isPlainObject(v)) bail();
  const l: RawDelegationLink = { delegator_identity: '', delegate_identity: '', scope_class: '', token_ref: '', issued_at: null, expires_at: null };
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    switch (key) {
      case 'delegator_identity': l.delegator_identity = str(item); break;
      case 'delegate_identity': l.delegate_identity = str(item); break;
      case 'scope_class': l.scope_class = str(item); break;
      case 'token_ref': l.token_ref = str(item); break;
      case 'issued_at': l.issued_at = timeText(item); break;
      case 'expires_at': l.expires_at = timeText(item); break;
      default: bail();
    }
  }
  return l;
}

export function rawDelegation(v: unknown): RawDelegation {
  if (!isPlainObject(v)) bail();
  const d: RawDelegation = { requester_identity: '', scope_class: '', token_refs: [], chain: [], issued_at: null, expires_at: null };
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    switch (key) {
      case 'requester_identity': d.requester_identity = str(item); break;
      case 'scope_class': d.scope_class = str(item); break;
      case 'token_refs': d.token_refs = strs(item); break;
      case 'chain': d.chain = list(item, rawLink); break;
      case 'issued_at': d.issued_at = timeText(item); break;
      case 'expires_at': d.expires_at = timeText(item); break;
      default: bail();
    }
  }
  return d;
}

/** The context fields normalization requires or checks, as it leaves them. */
export interface ContextCore {
  identity: string;
  workspace: string;
  riskClass: string;
  /** 'plan' or 'apply' ('' given means apply). */
  phase: string;
  contextSetDigest: string;
  evidenceMode: string;
}

/** normalize.ts's normalizeContext rules for these fields; any failure bails. */
export function contextCore(identity: string, workspace: string, risk: string, phase: string, setDigest: string, mode: string): ContextCore {
  const c: ContextCore = {
    identity: goTrim(identity),
    workspace: goTrim(workspace),
    riskClass: trimLower(risk),
    phase: trimLower(phase) || 'apply',
    contextSetDigest: trimLower(setDigest),
    evidenceMode: trimLower(mode),
  };
  if (c.workspace.includes('\\')) c.workspace = c.workspace.replaceAll('\\', '/');
  if (c.identity === '' || c.workspace === '' || c.riskClass === '') bail();
  if (c.contextSetDigest !== '' && !HEX64.test(c.contextSetDigest)) bail();
  if (c.evidenceMode !== '' && c.evidenceMode !== 'best_effort' && c.evidenceMode !== 'required') bail();
  if (c.phase !== 'plan' && c.phase !== 'apply') bail();
  return c;
}
