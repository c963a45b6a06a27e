/**
 * The pass-through `relationship` envelope (intent.md §1.7): values trimmed, kinds and roles
 * lower-cased, entries with empty parts or unknown kinds/roles silently dropped, lists
 * de-duplicated and sorted, and nothing at all when nothing is left. Never an error; never
 * digested nor evaluated.
 */
import type { JsonValue } from '../canonical/jcs.js';
import type { JsonObject } from './model.js';
import type { RawNodeRef, RawRelationship } from './decode.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { compareBytewise, sortedUnique } from '../canonical/order.js';

const PARENT_KINDS = new Set(['trace', 'run', 'session', 'intent', 'policy', 'agent', 'evidence']);
const ENTITY_KINDS = new Set(['agent', 'tool', 'resource', 'policy', 'run', 'trace', 'delegation', 'evidence']);
const AGENT_ROLES = new Set(['requester', 'delegator', 'delegate']);
const EDGE_KINDS = new Set(['delegates_to', 'calls', 'governed_by', 'targets', 'derived_from', 'emits_evidence']);

/** Keeps the first of equal tuples, then sorts by the tuple, byte-wise. */
function uniqueSortedBy<T>(items: T[], tuple: (t: T) => string[]): T[] {
  const seen = new Set<string>();
  const out = items.filter((item) => {
    const key = JSON.stringify(tuple(item));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out.sort((a, b) => {
    const ta = tuple(a);
    const tb = tuple(b);
    for (let i = 0; i < ta.length; i++) {
      const c = compareBytewise(ta[i]!, tb[i]!);
      if (c !== 0) return c;
    }
    return 0;
  });
}

const trimAll = (values: readonly string[]): string[] => sortedUnique(values.map(goTrim));

function ref(r: RawNodeRef, kinds: Set<string> | undefined): { kind: string; id: string } | undefined {
  const kind = trimLower(r.kind);
  const id = goTrim(r.id);
  if (kind === '' || id === '' || (kinds && !kinds.has(kind))) return undefined;
  return { kind, id };
}

const defined = <T>(v: T | undefined): v is T => v !== undefined;

export function normalizeRelationship(raw: RawRelationship | null): JsonValue | undefined {
  if (!raw) return undefined;
  const out: JsonObject = {};

  const parent = raw.parent_ref ? ref(raw.parent_ref, PARENT_KINDS) : undefined;
  if (parent) out.parent_ref = parent;

  const entities = uniqueSortedBy(raw.entity_refs.map((r) => ref(r, ENTITY_KINDS)).filter(defined), (r) => [r.kind, r.id]);
  if (entities.length > 0) out.entity_refs = entities;

  if (raw.policy_ref) {
    const p: JsonObject = {};
    const id = goTrim(raw.policy_ref.policy_id);
    const version = goTrim(raw.policy_ref.policy_version);
    const digest = trimLower(raw.policy_ref.policy_digest);
    const rules = trimAll(raw.policy_ref.matched_rule_ids);
    if (id) p.policy_id = id;
    if (version) p.policy_version = version;
    if (digest) p.policy_digest = digest;
    if (rules.length > 0) p.matched_rule_ids = rules;
    if (Object.keys(p).length > 0) out.policy_ref = p;
  }

  const chain = uniqueSortedBy(
    raw.agent_chain
      .map((l) => ({ identity: goTrim(l.identity), role: trimLower(l.role) }))
      .filter((l) => l.identity !== '' && AGENT_ROLES.has(l.role)),
    (l) => [l.role, l.identity],
  );
  if (chain.length > 0) out.agent_chain = chain;

  const edges = uniqueSortedBy(
    raw.edges
      .map((e) => {
        const kind = trimLower(e.kind);
        const from = ref(e.from, undefined);
        const to = ref(e.to, undefined);
        return EDGE_KINDS.has(kind) && from && to ? { kind, from, to } : undefined;
      })
      .filter(defined),
    (e) => [e.kind, e.from.kind, e.from.id, e.to.kind, e.to.id],
  );
  if (edges.length > 0) out.edges = edges;

  const parentRecord = goTrim(raw.parent_record_id);
  if (parentRecord) out.parent_record_id = parentRecord;
  const records = trimAll(raw.related_record_ids);
  if (records.length > 0) out.related_record_ids = records;
  // Related entity ids default to the ids of the entity refs.
  const entityIds = trimAll(raw.related_entity_ids);
  const ids = entityIds.length > 0 ? entityIds : sortedUnique(entities.map((e) => e.id));
  if (ids.length > 0) out.related_entity_ids = ids;

  const lineage = uniqueSortedBy(
    raw.agent_lineage
      .map((l) => ({ agent_id: goTrim(l.agent_id), delegated_by: goTrim(l.delegated_by), delegation_record_id: goTrim(l.delegation_record_id) }))
      .filter((l) => l.agent_id !== ''),
    (l) => [l.agent_id, l.delegated_by, l.delegation_record_id],
  );
  if (lineage.length > 0) {
    out.agent_lineage = lineage.map((l) => {
      const o: JsonObject = { agent_id: l.agent_id };
      if (l.delegated_by) o.delegated_by = l.delegated_by;
      if (l.delegation_record_id) o.delegation_record_id = l.delegation_record_id;
      return o;
    });
  }

  return Object.keys(out).length > 0 ? out : undefined;
}
