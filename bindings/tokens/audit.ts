/**
 * The `relationship` block of the approval and delegation audit records (signed_artifacts.md §6):
 * parent trace, entity refs (sorted by kind then id), policy ref, agent chain, edges and the
 * related ids. Empty ids are left out.
 */
import { compareBytewise } from '../canonical/order.js';
import { goTrim } from '../canonical/text.js';
import type { RelationshipAgent, RelationshipEdge, RelationshipRef, TraceRelationship } from '../crypto/trace.js';

export interface AuditRelationshipInput {
  traceId: string;
  toolName: string;
  policyDigest: string;
  /** Identities that become `agent` entity refs. */
  agents: readonly string[];
  /** Delegation links (delegator → delegate): agent chain items and `delegates_to` edges. */
  links?: ReadonlyArray<{ delegator: string; delegate: string }>;
}

const refKey = (r: RelationshipRef): string => `${r.kind}\u0000${r.id}`;
const compareRefs = (a: RelationshipRef, b: RelationshipRef): number =>
  compareBytewise(a.kind, b.kind) || compareBytewise(a.id, b.id);

function unique<T>(items: readonly T[], key: (t: T) => string, cmp: (a: T, b: T) => number): T[] {
  const seen = new Map<string, T>();
  for (const it of items) if (!seen.has(key(it))) seen.set(key(it), it);
  return [...seen.values()].sort(cmp);
}

export function auditRelationship(input: AuditRelationshipInput): TraceRelationship {
  const traceId = goTrim(input.traceId);
  const tool = goTrim(input.toolName);
  const digest = goTrim(input.policyDigest);

  const refs: RelationshipRef[] = [];
  const add = (kind: string, id: string): void => {
    const v = goTrim(id);
    if (v !== '') refs.push({ kind, id: v });
  };
  for (const agent of input.agents) add('agent', agent);
  const agents: RelationshipAgent[] = [];
  const edges: RelationshipEdge[] = [];
  for (const link of input.links ?? []) {
    const from = goTrim(link.delegator);
    const to = goTrim(link.delegate);
    add('agent', from);
    add('agent', to);
    if (from !== '') agents.push({ identity: from, role: 'delegator' });
    if (to !== '') agents.push({ identity: to, role: 'delegate' });
    if (from !== '' && to !== '') edges.push({ kind: 'delegates_to', from: { kind: 'agent', id: from }, to: { kind: 'agent', id: to } });
  }
  add('policy', digest);
  add('tool', tool);
  add('trace', traceId);
  if (tool !== '' && digest !== '') {
    edges.push({ kind: 'governed_by', from: { kind: 'tool', id: tool }, to: { kind: 'policy', id: digest } });
  }

  const entityRefs = unique(refs, refKey, compareRefs);
  const out: TraceRelationship = {};
  if (traceId !== '') out.parent_ref = { kind: 'trace', id: traceId };
  if (entityRefs.length > 0) out.entity_refs = entityRefs;
  if (digest !== '') out.policy_ref = { policy_digest: digest };
  const chain = unique(
    agents,
    (a) => `${a.role}\u0000${a.identity}`,
    (a, b) => compareBytewise(a.role, b.role) || compareBytewise(a.identity, b.identity),
  );
  if (chain.length > 0) out.agent_chain = chain;
  const sortedEdges = unique(
    edges,
    (e) => `${e.kind}\u0000${refKey(e.from)}\u0000${refKey(e.to)}`,
    (a, b) => compareBytewise(a.kind, b.kind) || compareRefs(a.from, b.from) || compareRefs(a.to, b.to),
  );
  if (sortedEdges.length > 0) out.edges = sortedEdges;
  if (traceId !== '') out.parent_record_id = traceId;
  const ids = [...new Set(entityRefs.map((r) => r.id))].sort(compareBytewise);
  if (ids.length > 0) out.related_entity_ids = ids;
  return out;
}
