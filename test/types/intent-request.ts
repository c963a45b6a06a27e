// Compiled by intent-request.test.ts (tsc -p test/types): the public IntentRequest type is what
// verdict, check, decide, enforce and ToolAdapter take, so wrong field types fail to compile.
// Each @ts-expect-error line must be an error, and every other line must compile.
import { createGate, ToolAdapter, type IntentRequest, type IntentInput } from '../../bindings/load/node.js';

const minimal: IntentRequest = {
  tool_name: 'tool.read',
  args: { path: '/tmp/report.txt' },
  targets: [{ kind: 'path', value: '/tmp/report.txt', operation: 'read' }],
  context: { identity: 'alice', workspace: '/repo', risk_class: 'low' },
};

const script: IntentRequest = {
  script: { steps: [{ tool_name: 'tool.read', targets: [{ kind: 'path', value: '/tmp/a' }] }] },
  context: { identity: 'alice', workspace: '/repo', risk_class: 'high', phase: 'plan' },
};

const full: IntentRequest = {
  schema_id: 'gait.gate.intent_request',
  schema_version: '1.0.0',
  created_at: '2026-01-02T03:04:05Z',
  producer_version: 'my-agent 1.0',
  tool_name: 'tool.write',
  args: { path: '/tmp/x', nested: { n: 1, list: [true, null] } },
  targets: [
    {
      kind: 'url', value: 'https://example.com/x', operation: 'write', sensitivity: 'internal', endpoint_class: 'net.http',
      endpoint_domain: 'example.com', destructive: false, discovery_method: 'static_mcp',
      read_only_hint: false, destructive_hint: false, idempotent_hint: true, open_world_hint: true,
    },
  ],
  arg_provenance: [{ arg_path: '$.path', source: 'tool_output', source_ref: 'trace_2', integrity_digest: 'a'.repeat(64) }],
  skill_provenance: { skill_name: 's', skill_version: '1', source: 'registry', publisher: 'Acme', digest: 'b'.repeat(64), signature_key_id: 'k' },
  delegation: {
    requester_identity: 'bob', scope_class: 'write', token_refs: ['t1'], issued_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00Z',
    chain: [{ delegator_identity: 'alice', delegate_identity: 'bob', scope_class: 'write', token_ref: 't1' }],
  },
  relationship: { parent_ref: { kind: 'session', id: 's1' } },
  context: {
    identity: 'alice', workspace: 'C:\\repo', risk_class: 'medium', phase: 'apply', job_id: 'j', session_id: 's', request_id: 'r',
    auth_context: { 'wrkr.risk_score': 3 }, credential_scopes: ['repo:read'], environment_fingerprint: 'env',
    context_set_digest: 'c'.repeat(64), context_evidence_mode: 'required', context_refs: ['ctx1'],
  },
};

// Wrong field types and missing required fields do not compile.
// @ts-expect-error tool_name is a string
const badToolName: IntentRequest = { tool_name: 42, context: { identity: 'a', workspace: '/w', risk_class: 'low' } };
// @ts-expect-error a tool call without tool_name (and without a script)
const noToolName: IntentRequest = { context: { identity: 'a', workspace: '/w', risk_class: 'low' } };
// @ts-expect-error context is required
const noContext: IntentRequest = { tool_name: 't' };
// @ts-expect-error context.identity is required
const noIdentity: IntentRequest = { tool_name: 't', context: { workspace: '/w', risk_class: 'low' } };
// @ts-expect-error targets is an array, not an object
const targetsObject: IntentRequest = { tool_name: 't', targets: { kind: 'path', value: '/x' }, context: { identity: 'a', workspace: '/w', risk_class: 'low' } };
const badKind: IntentRequest = {
  tool_name: 't',
  // @ts-expect-error not a target kind
  targets: [{ kind: 'file', value: '/x' }],
  context: { identity: 'a', workspace: '/w', risk_class: 'low' },
};
const badPhase: IntentRequest = {
  tool_name: 't',
  // @ts-expect-error phase is plan or apply
  context: { identity: 'a', workspace: '/w', risk_class: 'low', phase: 'run' },
};
const badDestructive: IntentRequest = {
  tool_name: 't',
  // @ts-expect-error destructive is a boolean
  targets: [{ kind: 'path', value: '/x', destructive: 'yes' }],
  context: { identity: 'a', workspace: '/w', risk_class: 'low' },
};
const typo: IntentRequest = {
  tool_name: 't',
  // @ts-expect-error misspelt field (Gait would drop it silently)
  target: [],
  context: { identity: 'a', workspace: '/w', risk_class: 'low' },
};
// @ts-expect-error args is an object, not a string
const argsText: IntentRequest = { tool_name: 't', args: 'path=/x', context: { identity: 'a', workspace: '/w', risk_class: 'low' } };

// The gate's methods take an IntentRequest (or its JSON text or bytes).
const gate = createGate('schema_id: gait.gate.policy\nschema_version: 1.0.0\ndefault_verdict: block\n');
gate.verdict(minimal);
gate.check(script);
gate.decide(full);
gate.evaluate('{"tool_name":"t"}');
gate.verdict(new TextEncoder().encode('{}'));
void gate.enforce(minimal);
// @ts-expect-error verdict checks the intent's fields
gate.verdict({ tool_name: 't', context: { identity: 1, workspace: '/w', risk_class: 'low' } });
// @ts-expect-error check checks the intent's fields
gate.check({ tool_name: 't', targets: [{ kind: 'path' }], context: { identity: 'a', workspace: '/w', risk_class: 'low' } });
// @ts-expect-error enforce checks the intent's fields
void gate.enforce({ tool_name: ['t'], context: { identity: 'a', workspace: '/w', risk_class: 'low' } });
// @ts-expect-error a number is no intent
gate.decide(7);

const adapter = new ToolAdapter(gate);
void adapter.execute({ intent: minimal, executor: (judged) => judged.tool_name });
// @ts-expect-error ToolAdapter.execute checks the intent's fields
void adapter.execute({ intent: { tool_name: 't', context: { identity: 'a', workspace: '/w' } }, executor: () => 1 });

const inputs: IntentInput[] = [minimal, '{}', new Uint8Array()];
export { minimal, script, full, badToolName, noToolName, noContext, noIdentity, targetsObject, badKind, badPhase, badDestructive, typo, argsText, inputs };
