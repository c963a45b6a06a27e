/**
 * Stage A (policy.md §1.1): reject the six top-level keys of the abandoned "proposal" policy
 * format with a migration message, before strict decoding would call them unknown fields. Runs on
 * a loose view of the document and stays silent when that view cannot be built (stage B then
 * reports the real problem).
 */
import { isMap } from 'yaml';
import { invalidInput, type GaitError } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import type { YamlSource } from './yaml-source.js';
import { LEGACY_POLICY_HINT } from './constants.js';

interface LegacyField {
  field: string;
  replacement_fields: string[];
  note: string;
}

/** Fixed order: the order of names in the error message. */
const LEGACY: readonly LegacyField[] = [
  { field: 'version', replacement_fields: ['schema_id', 'schema_version'], note: 'set schema_id=gait.gate.policy and schema_version=1.0.0' },
  { field: 'name', replacement_fields: [], note: 'remove the top-level policy name; rule names remain under rules[].name when needed' },
  { field: 'boundaries', replacement_fields: ['rules', 'mcp_trust'], note: '' },
  { field: 'defaults', replacement_fields: ['default_verdict', 'fail_closed'], note: '' },
  { field: 'trust_sources', replacement_fields: ['mcp_trust.snapshot'], note: 'render external trust data to a local snapshot before evaluation' },
  { field: 'unknown_server', replacement_fields: ['mcp_trust.action'], note: 'enforce unknown servers through local snapshot coverage and a fail-closed action' },
];

export { LEGACY_POLICY_HINT };

function detail(f: LegacyField): string {
  if (f.replacement_fields.length > 0) {
    return `${f.field}->${f.replacement_fields.join('|')}` + (f.note ? ` (${f.note})` : '');
  }
  return `${f.field}->${f.note || 'remove'}`;
}

/** The legacy-key error for a set of top-level keys, or undefined when none is legacy. */
export function legacyKeysError(topLevelKeys: Iterable<string>): GaitError | undefined {
  const present = new Set<string>();
  for (const k of topLevelKeys) present.add(goTrim(k));
  const found = LEGACY.filter((f) => present.has(f.field));
  if (found.length === 0) return undefined;
  const names = found.map((f) => f.field).join(', ');
  const details = found.map(detail).join('; ');
  return invalidInput(`parse policy yaml: legacy policy proposal fields are not supported [${names}]: ${details}`, {
    // Gait's struct, in its field order; empty `replacement_fields` and `note` are omitted.
    migration: {
      kind: 'policy_fields',
      deprecated_fields: found.map((f) => f.field),
      field_replacements: found.map((f) => ({
        field: f.field,
        ...(f.replacement_fields.length > 0 ? { replacement_fields: [...f.replacement_fields] } : {}),
        ...(f.note ? { note: f.note } : {}),
      })),
    },
    hint: LEGACY_POLICY_HINT,
  });
}

/** Stage A on a parsed document; undefined when the loose view fails or has no legacy key. */
export function detectLegacyKeys(src: YamlSource): GaitError | undefined {
  if (src.firstProblem()) return undefined;
  let keys: string[];
  try {
    const root = src.resolve(src.doc.contents);
    if (!root || !isMap(root)) return undefined;
    keys = src.entries(root).map((e) => e.key);
  } catch {
    return undefined;
  }
  return legacyKeysError(keys);
}
