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

class IntentWriter {
  words: number[] = [];
  private readonly strings: Uint8Array[] = [];
  private stringBytes = 0;
  private readonly byteRefs: number[] = [];

  constructor(private readonly ids: ReadonlyMap<string, number>) {}

  id(s: string): number {
    return s === '' ? 0 : this.ids.get(s) ?? 0;
  }

  /** Reserves (offset, length) for a string's bytes; the offset is patched in `finish`. */
  bytes(at: number, s: string): void {
    const b = encoder.encode(s);
    this.byteRefs.push(at);
    this.words[at] = this.stringBytes;
    this.words[at + 1] = b.length;
    this.strings.push(b);
    this.stringBytes += b.length;
  }

  idList(values: readonly string[]): number {
    const at = this.words.length;
    const ids = values.map((v) => this.id(v)).filter((x) => x !== 0);
    this.words.push(ids.length, ...ids);
    return at;
  }

  targets(targets: readonly IntentTarget[]): number {
    const at = this.words.length;
    this.words.push(targets.length);
    for (const t of targets) {
      const r = this.words.length;
      for (let i = 0; i < L.TARGET_WORDS; i++) this.words.push(0);
      this.words[r + L.T_KIND] = this.id(t.kind);
      this.words[r + L.T_VALUE_ID] = this.id(t.value);
      if (t.kind === 'path') this.bytes(r + L.T_VALUE_OFF, t.value);
      this.words[r + L.T_OPERATION] = this.id(t.operation);
      this.words[r + L.T_SENSITIVITY] = this.id(t.sensitivity);
      this.words[r + L.T_CLASS] = this.id(t.endpoint_class);
      this.words[r + L.T_DOMAIN_ID] = this.id(t.endpoint_domain);
      if (t.endpoint_domain !== '') this.bytes(r + L.T_DOMAIN_OFF, t.endpoint_domain);
      this.words[r + L.T_DISCOVERY] = this.id(t.discovery_method);
      this.words[r + L.T_FLAGS] =
        (t.destructive ? L.TF_DESTRUCTIVE : 0) |
        (t.read_only_hint ? L.TF_READ_ONLY : 0) |
        (t.destructive_hint ? L.TF_DESTRUCTIVE_HINT : 0) |
        (t.idempotent_hint ? L.TF_IDEMPOTENT : 0) |
        (t.open_world_hint ? L.TF_OPEN_WORLD : 0);
    }
    return at;
  }

  /** Every entry is kept, even with a source the policy never names (id 0): counts matter. */
  provenance(entries: readonly IntentArgProvenance[]): number {
    const at = this.words.length;
    this.words.push(entries.length, ...entries.map((p) => this.id(p.source)));
    return at;
  }

  finish(): Uint8Array {
    const wordBytes = this.words.length * 4;
    for (const at of this.byteRefs) this.words[at] = wordBytes + this.words[at]!;
    const out = new Uint8Array(wordBytes + this.stringBytes);
    const view = new DataView(out.buffer);
    for (let i = 0; i < this.words.length; i++) view.setInt32(i * 4, this.words[i]!, true);
    let offset = wordBytes;
    for (const s of this.strings) {
      out.set(s, offset);
      offset += s.length;
    }
    return out;
  }
}

export function encodeIntent(intent: NormalizedIntent, compiled: CompiledPolicy, options: EncodeOptions = {}): Uint8Array {
  const w = new IntentWriter(compiled.ids);
  for (let i = 0; i < L.I_HEADER_WORDS; i++) w.words.push(0);
  const ctx = intent.context;
  const header = (field: number, value: number): void => {
    w.words[field] = value;
  };
  const age = contextAgeSeconds(ctx.auth_context);
  header(
    L.I_FLAGS,
    (intent.script ? L.IF_SCRIPT : 0) |
      (intent.delegation ? L.IF_DELEGATION : 0) |
      (intent.skill_provenance ? L.IF_SKILL : 0) |
      (ctx.phase === 'plan' ? L.IF_PHASE_PLAN : 0) |
      (ctx.context_set_digest !== '' ? L.IF_CONTEXT_DIGEST : 0) |
      (ctx.context_evidence_mode === 'required' ? L.IF_CONTEXT_MODE_REQUIRED : 0) |
      (age !== undefined ? L.IF_CONTEXT_AGE : 0),
  );
  header(L.I_TOOL_ID, w.id(intent.tool_name));
  header(L.I_RISK_ID, w.id(ctx.risk_class));
  header(L.I_IDENTITY_ID, w.id(ctx.identity));
  w.bytes(L.I_WORKSPACE_OFF, ctx.workspace);
  const wrkr = wrkrFromAuth(ctx.auth_context);
  header(L.I_CTX_TOOL, w.id(wrkr.tool));
  header(L.I_CTX_DATA, w.id(wrkr.data));
  header(L.I_CTX_ENDPOINT, w.id(wrkr.endpoint));
  header(L.I_CTX_AUTONOMY, w.id(wrkr.autonomy));
  if (intent.skill_provenance) {
    header(L.I_SKILL_PUBLISHER, w.id(goLower(intent.skill_provenance.publisher)));
    header(L.I_SKILL_SOURCE, w.id(intent.skill_provenance.source));
  }
  const chain: number[] = [];
  if (intent.delegation) {
    header(L.I_DELEG_REQUESTER, w.id(intent.delegation.requester_identity));
    header(L.I_DELEG_SCOPE, w.id(intent.delegation.scope_class));
    for (const link of intent.delegation.chain) {
      chain.push(w.id(link.delegator_identity), w.id(link.delegate_identity), w.id(link.scope_class));
    }
  }
  header(L.I_CHAIN, w.words.length);
  w.words.push(chain.length / 3, ...chain);
  const ageValue = age ?? 0n;
  header(L.I_CONTEXT_AGE_LO, Number(BigInt.asIntN(32, ageValue)));
  header(L.I_CONTEXT_AGE_HI, Number(BigInt.asIntN(32, ageValue >> 32n)));
  header(L.I_TARGETS, w.targets(intent.targets));
  header(L.I_PROVENANCE, w.provenance(intent.arg_provenance));

  const steps = intent.script?.steps ?? [];
  header(L.I_STEPS, w.words.length);
  w.words.push(steps.length);
  const stepAt = w.words.length;
  for (let i = 0; i < steps.length * L.STEP_WORDS; i++) w.words.push(0);
  steps.forEach((step, i) => {
    const r = stepAt + i * L.STEP_WORDS;
    const stepWrkr = options.stepContext?.(step.tool_name) ?? wrkr;
    w.words[r + L.S_TOOL_ID] = w.id(step.tool_name);
    w.words[r + L.S_TARGETS] = w.targets(step.targets);
    w.words[r + L.S_PROVENANCE] = w.provenance(step.arg_provenance);
    w.words[r + L.S_CTX_TOOL] = w.id(stepWrkr.tool);
    w.words[r + L.S_CTX_DATA] = w.id(stepWrkr.data);
    w.words[r + L.S_CTX_ENDPOINT] = w.id(stepWrkr.endpoint);
    w.words[r + L.S_CTX_AUTONOMY] = w.id(stepWrkr.autonomy);
  });
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
