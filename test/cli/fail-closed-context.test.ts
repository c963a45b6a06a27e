// policy.md §7.1: the fail-closed field checks (step 3) return before Wrkr context is applied
// (step 5) and before the context source is recorded (step 7). So a fail-closed block has no
// `context_source` (neither `context_envelope` nor the inventory) and its intent digest carries
// no `wrkr.*` keys. Expected values from Gait v1.3.6 (found by the differential runner).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait } from './run.js';

const POLICY = 'fail_closed:\n  enabled: true\n  risk_classes: [high]\n  required_fields: [endpoint_class]\n';
const INTENT = { tool_name: 'tool.delete', targets: [{ kind: 'other', value: 'thing' }], context: { identity: 'a', workspace: '/r', risk_class: 'high' } };
const INVENTORY = { items: [{ tool_name: 'tool.delete', data_class: 'secret', endpoint_class: 'fs.delete', autonomy_level: 'high' }] };
const ENVELOPE = {
  schema_id: 'gait.context.envelope', schema_version: '1.0.0', created_at: '2099-01-01T00:00:00Z', producer_version: 'test', context_set_id: 'set-1', evidence_mode: 'best_effort',
  records: [{ ref_id: 'ref-0', source_type: 'doc', source_locator: 'file:///ctx/ref-0', query_digest: 'a'.repeat(64), content_digest: 'b'.repeat(64), retrieved_at: '2099-01-01T00:00:00Z', redaction_mode: 'none', immutability: 'unknown' }],
};

function dir() {
  const d = mkdtempSync(path.join(tmpdir(), 'gait-fc-context-'));
  for (const [name, value] of [['p.yaml', POLICY], ['i.json', INTENT], ['inv.json', INVENTORY], ['env.json', ENVELOPE]] as const) {
    writeFileSync(path.join(d, name), typeof value === 'string' ? value : JSON.stringify(value));
  }
  return d;
}

describe('a fail-closed block records no context source', () => {
  it('with a Wrkr inventory hit: no context_source, and the intent digest without wrkr keys', async () => {
    const cwd = dir();
    const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--wrkr-inventory', 'inv.json', '--json'], { cwd });
    expect(r.exit).toBe(3);
    expect(r.json.reason_codes).toEqual(['fail_closed_endpoint_class_unknown', 'fail_closed_missing_endpoint_class']);
    expect(r.json.context_source).toBeUndefined();
    expect(r.json.intent_digest).toBe('0e95e0dea55669b3143145bec75520829ffc26be848c397752e21c47b55ec3bc');
  });

  it('with a context envelope: the envelope is bound (its fields shown) but no context_source', async () => {
    const cwd = dir();
    const r = await gait(['gate', 'eval', '--policy', 'p.yaml', '--intent', 'i.json', '--context-envelope', 'env.json', '--json'], { cwd });
    expect(r.exit).toBe(3);
    expect(r.json.context_source).toBeUndefined();
    expect(r.json.context_evidence_mode).toBe('best_effort');
    expect(r.json.context_ref_count).toBe(1);
  });
});
