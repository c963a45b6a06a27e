/**
 * Encodes a prepared (normalized, context-stripped or bound) intent into the core's buffer format
 * (layout.ts): strings become the compiled policy's ids (0 when the policy never mentions them,
 * which can never match), pattern-matched strings travel as UTF-8 bytes after the words.
 */
import type { IntentTarget, IntentArgProvenance, NormalizedIntent } from '../intent/model.js';
import type { JsonValue } from '../canonical/jcs.js';
import type { CompiledPolicy } from './compile.js';
import * as L from './layout.js';
import { goTrim, goLower } from '../canonical/text.js';

/** The four Wrkr context values a rule's `context_*` selectors compare (already lower-cased). */
export interface WrkrContext {
  tool: string;
  data: string;
  endpoint: string;
  autonomy: string;
}

export interface EncodeOptions {
  /** Per-step Wrkr context for script steps (enrichment never leaks between steps). */
  stepContext?: (stepToolName: string) => WrkrContext | undefined;
}

const encoder = new TextEncoder();

export const NO_WRKR: WrkrContext = { tool: '', data: '', endpoint: '', autonomy: '' };

/** auth_context `wrkr.*` values must be strings; trimmed and lower-cased at compare time. */
function wrkrFromAuth(auth: Record<string, JsonValue> | undefined): WrkrContext {
  const get = (key: string): string => {
    const v = auth?.[key];
    return typeof v === 'string' ? goLower(goTrim(v)) : '';
  };
  return { tool: get('wrkr.tool_name'), data: get('wrkr.data_class'), endpoint: get('wrkr.endpoint_class'), autonomy: get('wrkr.autonomy_level') };
}

/**
 * policy.md §7.4 step 4: the freshness age from auth_context.context_age_seconds. JSON numbers
 * (float64 in Go) count when non-negative, truncated; strings when they are non-negative integers.
 */
export function contextAgeSeconds(auth: Record<string, JsonValue> | undefined): bigint | undefined {
  const v = auth?.['context_age_seconds'];
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) {
    const n = BigInt(v);
    return n <= 0x7fffffffffffffffn ? n : undefined;
  }
  return undefined;
}

/**
 * An encoded intent in the encoder's reusable buffer: the first `byteLength` bytes of `words`'
 * memory (words, then string bytes). Valid until the next encode; the engine copies it at once.
 */
export interface EncodedIntent {
  readonly words: Int32Array;
  readonly byteLength: number;
}

/**
 * Builds the buffer in reusable typed arrays: words first, string bytes in a pool appended at the
 * end. It allocates nothing per intent once its buffers are large enough.
 */
class IntentWriter implements EncodedIntent {
  words = new Int32Array(256);
  /** The same memory as `words`: finish() appends the string bytes here, after the words. */
  private wordBytes = new Uint8Array(this.words.buffer);
  length = 0;
  byteLength = 0;
  private pool = new Uint8Array(1024);
  private poolLength = 0;
  /** Word indexes holding pool offsets, patched in finish (a counted array: no per-call garbage). */
  private byteRefs = new Int32Array(64);
  private byteRefCount = 0;
  private ids: ReadonlyMap<string, number> = new Map();

  reset(ids: ReadonlyMap<string, number>, headerWords: number): void {
    this.ids = ids;
    this.length = 0;
    this.byteLength = 0;
    this.poolLength = 0;
    this.byteRefCount = 0;
    this.reserve(headerWords);
  }

  /** Appends `n` zero words; returns the index of the first. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.words.length) this.grow(at + n);
    const w = this.words;
    for (let i = at; i < at + n; i++) w[i] = 0; // a loop beats fill() on a few words
    this.length = at + n;
    return at;
  }

  private grow(words: number): void {
    const grown = new Int32Array(Math.max(this.words.length * 2, words));
    grown.set(this.words.subarray(0, this.length));
    this.words = grown;
    this.wordBytes = new Uint8Array(grown.buffer);
  }

  set(at: number, value: number): void {
    this.words[at] = value;
  }

  id(s: string): number {
    return s === '' ? 0 : this.ids.get(s) ?? 0;
  }

  /** Writes (offset, length) of a string's UTF-8 bytes at `at`; the offset is patched in finish. */
  bytes(at: number, s: string): void {
    const max = s.length * 3;
    if (this.poolLength + max > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + max));
      grown.set(this.pool.subarray(0, this.poolLength));
      this.pool = grown;
    }
    const start = this.poolLength;
    let n = 0;
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      this.pool[start + i] = c;
    }
    if (ascii) n = s.length;
    else n = encoder.encodeInto(s, this.pool.subarray(start)).written;
    if (this.byteRefCount === this.byteRefs.length) {
      const grown = new Int32Array(this.byteRefs.length * 2);
      grown.set(this.byteRefs);
      this.byteRefs = grown;
    }
    this.byteRefs[this.byteRefCount++] = at;
    this.words[at] = start;
    this.words[at + 1] = n;
    this.poolLength += n;
  }

  targets(targets: readonly IntentTarget[]): number {
    const at = this.reserve(1);
    this.words[at] = targets.length;
    for (const t of targets) {
      const r = this.reserve(L.TARGET_WORDS);
      const w = this.words;
      w[r + L.T_KIND] = this.id(t.kind);
      w[r + L.T_VALUE_ID] = this.id(t.value);
      w[r + L.T_OPERATION] = this.id(t.operation);
      w[r + L.T_SENSITIVITY] = this.id(t.sensitivity);
      w[r + L.T_CLASS] = this.id(t.endpoint_class);
      w[r + L.T_DOMAIN_ID] = this.id(t.endpoint_domain);
      w[r + L.T_DISCOVERY] = this.id(t.discovery_method);
      w[r + L.T_FLAGS] =
        (t.destructive ? L.TF_DESTRUCTIVE : 0) |
        (t.read_only_hint ? L.TF_READ_ONLY : 0) |
        (t.destructive_hint ? L.TF_DESTRUCTIVE_HINT : 0) |
        (t.idempotent_hint ? L.TF_IDEMPOTENT : 0) |
        (t.open_world_hint ? L.TF_OPEN_WORLD : 0);
      if (t.kind === 'path') this.bytes(r + L.T_VALUE_OFF, t.value);
      if (t.endpoint_domain !== '') this.bytes(r + L.T_DOMAIN_OFF, t.endpoint_domain);
    }
    return at;
  }

  /** Every entry is kept, even with a source the policy never names (id 0): counts matter. */
  provenance(entries: readonly IntentArgProvenance[]): number {
    const at = this.reserve(1 + entries.length);
    this.words[at] = entries.length;
    for (let i = 0; i < entries.length; i++) this.words[at + 1 + i] = this.id(entries[i]!.source);
    return at;
  }

  /** Appends the pool's bytes after the words and patches the string offsets. */
  finish(): this {
    const wordBytes = this.length * 4;
    const refs = this.byteRefs;
    for (let i = 0; i < this.byteRefCount; i++) this.words[refs[i]!] += wordBytes;
    const n = this.poolLength;
    const total = wordBytes + n;
    if (total > this.wordBytes.length) this.grow(Math.ceil(total / 4));
    const out = this.wordBytes;
    const pool = this.pool;
    if (n <= 64) for (let i = 0; i < n; i++) out[wordBytes + i] = pool[i]!;
    else out.set(pool.subarray(0, n), wordBytes);
    this.byteLength = total;
    return this;
  }

  /** The finished bytes as a view (valid until the next encode). */
  view(): Uint8Array {
    return this.wordBytes.subarray(0, this.byteLength);
  }
}

const writer = new IntentWriter();

/**
 * The header words every intent has: flags, tool, risk class, identity, workspace and the four
 * Wrkr context ids. Skill, delegation and context-age words stay 0 unless the caller sets them.
 */
function writeHeader(w: IntentWriter, compiled: CompiledPolicy, flags: number, tool: string, riskClass: string, identity: string, workspace: string, wrkr: WrkrContext): void {
  w.reset(compiled.ids, L.I_HEADER_WORDS);
  w.set(L.I_FLAGS, flags);
  w.set(L.I_TOOL_ID, w.id(tool));
  w.set(L.I_RISK_ID, w.id(riskClass));
  w.set(L.I_IDENTITY_ID, w.id(identity));
  w.bytes(L.I_WORKSPACE_OFF, workspace);
  w.set(L.I_CTX_TOOL, w.id(wrkr.tool));
  w.set(L.I_CTX_DATA, w.id(wrkr.data));
  w.set(L.I_CTX_ENDPOINT, w.id(wrkr.endpoint));
  w.set(L.I_CTX_AUTONOMY, w.id(wrkr.autonomy));
}

/** An empty list at I_CHAIN or I_STEPS. */
function writeEmptyList(w: IntentWriter, field: number): void {
  const at = w.reserve(1);
  w.set(field, at);
}

const NO_OPTIONS: EncodeOptions = {};

/** Encodes a prepared intent. The result is valid until the next call (see IntentWriter). */
export function encodeIntent(intent: NormalizedIntent, compiled: CompiledPolicy, options: EncodeOptions = NO_OPTIONS): Uint8Array {
  return encodePrepared(intent, compiled, options).view();
}

/** encodeIntent, handing the engine the encoder's words (no byte view made, no extra copy). */
export function encodePrepared(intent: NormalizedIntent, compiled: CompiledPolicy, options: EncodeOptions = NO_OPTIONS): EncodedIntent & { view(): Uint8Array } {
  const w = writer;
  const ctx = intent.context;
  const age = contextAgeSeconds(ctx.auth_context);
  const wrkr = ctx.auth_context ? wrkrFromAuth(ctx.auth_context) : NO_WRKR;
  const flags =
    (intent.script ? L.IF_SCRIPT : 0) |
    (intent.delegation ? L.IF_DELEGATION : 0) |
    (intent.skill_provenance ? L.IF_SKILL : 0) |
    (ctx.phase === 'plan' ? L.IF_PHASE_PLAN : 0) |
    (ctx.context_set_digest !== '' ? L.IF_CONTEXT_DIGEST : 0) |
    (ctx.context_evidence_mode === 'required' ? L.IF_CONTEXT_MODE_REQUIRED : 0) |
    (age !== undefined ? L.IF_CONTEXT_AGE : 0);
  writeHeader(w, compiled, flags, intent.tool_name, ctx.risk_class, ctx.identity, ctx.workspace, wrkr);
  if (intent.skill_provenance) {
    w.set(L.I_SKILL_PUBLISHER, w.id(goLower(intent.skill_provenance.publisher)));
    w.set(L.I_SKILL_SOURCE, w.id(intent.skill_provenance.source));
  }
  const chain = intent.delegation?.chain ?? [];
  if (intent.delegation) {
    w.set(L.I_DELEG_REQUESTER, w.id(intent.delegation.requester_identity));
    w.set(L.I_DELEG_SCOPE, w.id(intent.delegation.scope_class));
  }
  const chainAt = w.reserve(1 + chain.length * 3);
  w.set(L.I_CHAIN, chainAt);
  w.set(chainAt, chain.length);
  chain.forEach((link, i) => {
    w.set(chainAt + 1 + 3 * i, w.id(link.delegator_identity));
    w.set(chainAt + 2 + 3 * i, w.id(link.delegate_identity));
    w.set(chainAt + 3 + 3 * i, w.id(link.scope_class));
  });
  if (age !== undefined) {
    w.set(L.I_CONTEXT_AGE_LO, Number(BigInt.asIntN(32, age)));
    w.set(L.I_CONTEXT_AGE_HI, Number(BigInt.asIntN(32, age >> 32n)));
  }
  w.set(L.I_TARGETS, w.targets(intent.targets));
  w.set(L.I_PROVENANCE, w.provenance(intent.arg_provenance));

  const steps = intent.script?.steps ?? [];
  const stepsAt = w.reserve(1 + steps.length * L.STEP_WORDS);
  w.set(L.I_STEPS, stepsAt);
  w.set(stepsAt, steps.length);
  steps.forEach((step, i) => {
    const r = stepsAt + 1 + i * L.STEP_WORDS;
    const stepWrkr = options.stepContext?.(step.tool_name) ?? wrkr;
    w.set(r + L.S_TOOL_ID, w.id(step.tool_name));
    w.set(r + L.S_TARGETS, w.targets(step.targets));
    w.set(r + L.S_PROVENANCE, w.provenance(step.arg_provenance));
    w.set(r + L.S_CTX_TOOL, w.id(stepWrkr.tool));
    w.set(r + L.S_CTX_DATA, w.id(stepWrkr.data));
    w.set(r + L.S_CTX_ENDPOINT, w.id(stepWrkr.endpoint));
    w.set(r + L.S_CTX_AUTONOMY, w.id(stepWrkr.autonomy));
  });
  return w.finish();
}

/**
 * What the core reads of a single (non-script) intent with no delegation and no skill provenance,
 * its context claims stripped (no envelope): the decision-only path (encode-object.ts) builds
 * these straight from a parsed object.
 */
export interface SingleIntent {
  tool: string;
  riskClass: string;
  identity: string;
  workspace: string;
  planPhase: boolean;
  wrkr: WrkrContext;
  targets: readonly IntentTarget[];
  provenance: readonly IntentArgProvenance[];
}

/** Encodes a SingleIntent: the same bytes encodeIntent writes for such an intent. */
export function encodeSingleIntent(s: SingleIntent, compiled: CompiledPolicy): EncodedIntent {
  const w = writer;
  writeHeader(w, compiled, s.planPhase ? L.IF_PHASE_PLAN : 0, s.tool, s.riskClass, s.identity, s.workspace, s.wrkr);
  writeEmptyList(w, L.I_CHAIN);
  w.set(L.I_TARGETS, w.targets(s.targets));
  w.set(L.I_PROVENANCE, w.provenance(s.provenance));
  writeEmptyList(w, L.I_STEPS);
  return w.finish();
}

/** An intent that failed normalization: only its raw risk class matters (fail-closed check). */
export function encodeInvalidIntent(rawRiskClass: string, compiled: CompiledPolicy): Uint8Array {
  const words = new Int32Array(L.I_HEADER_WORDS + 4);
  words[L.I_FLAGS] = L.IF_INVALID;
  words[L.I_RISK_ID] = rawRiskClass === '' ? 0 : compiled.ids.get(rawRiskClass) ?? 0;
  // Empty lists so that a core reading them stays in bounds.
  words[L.I_CHAIN] = L.I_HEADER_WORDS;
  words[L.I_TARGETS] = L.I_HEADER_WORDS + 1;
  words[L.I_PROVENANCE] = L.I_HEADER_WORDS + 2;
  words[L.I_STEPS] = L.I_HEADER_WORDS + 3;
  return new Uint8Array(words.buffer);
}
