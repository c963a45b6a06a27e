// The WASM core against policy.md §11.1, with hand-built normalized inputs.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../bindings/core/compile.js';
import { encodeIntent } from '../../bindings/core/encode.js';
import { createEngineSync } from '../../bindings/load/node.js';
import type { Policy } from '../../bindings/policy/model.js';
import type { NormalizedIntent } from '../../bindings/intent/model.js';
import { policy, rule, intent, target } from './builders.js';

const engine = createEngineSync();

function run(p: Policy, i: NormalizedIntent) {
  const compiled = compilePolicy(p);
  const loaded = engine.load(compiled);
  return engine.evaluate(loaded, encodeIntent(i, compiled), i.script?.steps.map((s) => s.tool_name) ?? []);
}

describe('core: policy.md §11.1 worked examples', () => {
  it('#1 default dry_run with no rules', () => {
    const o = run(policy({ default_verdict: 'dry_run' }), intent());
    expect(o.verdict).toBe('dry_run');
    expect(o.reason_codes).toEqual(['default_dry_run']);
    expect(o.violations).toEqual([]);
    expect(o.matched_rules).toEqual([]);
  });

  it('#2 block external host', () => {
    const p = policy({
      default_verdict: 'allow',
      rules: [rule('block-external-host', {
        priority: 1, effect: 'block', reason_codes: ['blocked_external'], violations: ['external_target'],
        match: { tool_names: ['tool.write'], target_kinds: ['host'], target_values: ['api.external.com'], risk_classes: ['high'] },
      })],
    });
    const i = intent({
      tool_name: 'tool.write',
      context: { risk_class: 'high' },
      targets: [target({ kind: 'host', value: 'api.external.com', operation: 'write', sensitivity: 'confidential', endpoint_class: 'net.http', endpoint_domain: 'api.external.com' })],
    });
    const o = run(p, i);
    expect(o.verdict).toBe('block');
    expect(o.reason_codes).toEqual(['blocked_external']);
    expect(o.violations).toEqual(['external_target']);
    expect(o.matched_rules).toEqual(['block-external-host']);
    // A different risk class does not match: default allow.
    expect(run(p, { ...i, context: { ...i.context, risk_class: 'low' } }).reason_codes).toEqual(['default_allow']);
  });

  it('#4 equal-priority tier takes the most restrictive effect and only its codes', () => {
    const p = policy({
      default_verdict: 'allow',
      rules: [
        rule('allow-write', { priority: 1, reason_codes: ['allow_write'], require_broker_credential: true, broker_reference: 'ref', rate_limit: { requests: 1, window: 'minute', scope: 'tool' }, match: { tool_names: ['tool.write'] } }),
        rule('block-write', { priority: 1, effect: 'block', reason_codes: ['block_write'], violations: ['blocked_write'], match: { tool_names: ['tool.write'] } }),
      ],
    });
    const o = run(p, intent({ tool_name: 'tool.write' }));
    expect(o.verdict).toBe('block');
    expect(o.reason_codes).toEqual(['block_write']);
    expect(o.violations).toEqual(['blocked_write']);
    expect(o.matched_rules).toEqual(['allow-write', 'block-write']);
    // The losing allow rule contributes nothing but its name.
    expect(o.require_broker_credential).toBe(false);
    expect(o.broker_references).toEqual([]);
    expect(o.rate_limit_rule).toBe(-1);
  });

  it('#5/#6 fail-closed checks', () => {
    const p5 = policy({ default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'], required_fields: ['arg_provenance', 'targets'] } });
    const o5 = run(p5, intent({ context: { risk_class: 'high' } }));
    expect(o5.verdict).toBe('block');
    expect(o5.reason_codes).toEqual(['fail_closed_missing_arg_provenance', 'fail_closed_missing_targets']);
    expect(o5.violations).toEqual(['missing_arg_provenance', 'missing_targets']);
    const p6 = policy({ default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['high'], required_fields: [] } });
    const o6 = run(p6, intent({ tool_name: 'tool.unknown', context: { risk_class: 'high' }, targets: [target({ kind: 'path', value: '/tmp/out.txt' })] }));
    expect(o6.reason_codes).toEqual(['fail_closed_endpoint_class_unknown']);
    expect(o6.violations).toEqual(['endpoint_class_unknown']);
  });

  it('fail-closed accepts known classes the policy never names (regression)', () => {
    const p = policy({ default_verdict: 'allow', fail_closed: { enabled: true, risk_classes: ['critical'], required_fields: [] } });
    for (const cls of ['fs.read', 'ui.click', 'ui.type', 'ui.navigate', 'net.dns']) {
      const o = run(p, intent({ tool_name: 'tool.read', context: { risk_class: 'critical' }, targets: [target({ kind: 'path', value: '/tmp/in.txt', endpoint_class: cls })] }));
      expect(o.reason_codes, cls).toEqual(['default_allow']);
    }
    const other = run(p, intent({ tool_name: 'tool.read', context: { risk_class: 'critical' }, targets: [target({ kind: 'path', value: '/tmp/in.txt', endpoint_class: 'other' })] }));
    expect(other.reason_codes).toEqual(['fail_closed_endpoint_class_unknown']);
  });

  it('#8/#9 dataflow replaces the effect', () => {
    const p8 = policy({
      default_verdict: 'allow',
      rules: [rule('tainted-egress', {
        match: { tool_names: ['tool.write'] },
        dataflow: { enabled: true, tainted_sources: ['external', 'tool_output'], destination_kinds: ['host'], destination_operations: ['write'], action: 'require_approval', reason_code: 'dataflow_tainted_egress', violation: 'tainted_egress' },
      })],
    });
    const i8 = intent({
      tool_name: 'tool.write',
      targets: [target({ kind: 'host', value: 'api.external.com', operation: 'write', endpoint_class: 'net.http', endpoint_domain: 'api.external.com' })],
      arg_provenance: [{ arg_path: '$.path', source: 'external', source_ref: '', integrity_digest: '' }],
    });
    const o8 = run(p8, i8);
    expect(o8.verdict).toBe('require_approval');
    expect(o8.reason_codes).toEqual(['dataflow_tainted_egress', 'matched_rule_tainted_egress']);
    expect(o8.violations).toEqual(['tainted_egress']);
    expect(o8.dataflow_triggered).toBe(true);
    expect(o8.min_approvals).toBe(1);

    const p9 = policy({
      default_verdict: 'allow',
      rules: [rule('tainted-default-egress', {
        match: { tool_names: ['tool.write'] },
        dataflow: { enabled: true, tainted_sources: ['external'], action: 'block', reason_code: 'tainted_default_egress', violation: 'tainted_egress' },
      })],
    });
    const url = intent({ tool_name: 'tool.write', arg_provenance: i8.arg_provenance, targets: [target({ kind: 'url', value: 'https://external.invalid', operation: 'write', endpoint_class: 'net.http', endpoint_domain: 'external.invalid' })] });
    expect(run(p9, url).verdict).toBe('block');
    expect(run(p9, url).reason_codes).toEqual(['matched_rule_tainted_default_egress', 'tainted_default_egress']);
    const path = intent({ tool_name: 'tool.write', arg_provenance: i8.arg_provenance, targets: [target({ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' })] });
    expect(run(p9, path).verdict).toBe('allow');
    expect(run(p9, path).reason_codes).toEqual(['matched_rule_tainted_default_egress']);
  });

  it('#10 endpoint path and domain constraints', () => {
    const p = policy({
      default_verdict: 'allow',
      rules: [rule('endpoint-guard', {
        match: { tool_names: ['tool.write'] },
        endpoint: { enabled: true, path_allowlist: ['/tmp/safe/**'], path_denylist: ['/tmp/safe/blocked/**'], domain_allowlist: ['api.internal.local'], egress_classes: ['net.http'], action: 'block', reason_code: 'endpoint_policy_violation', violation: 'endpoint_policy_violation' },
      })],
    });
    const o = run(p, intent({
      tool_name: 'tool.write',
      targets: [
        target({ kind: 'path', value: '/tmp/safe/blocked/file.txt', operation: 'write', endpoint_class: 'fs.write' }),
        target({ kind: 'url', value: 'https://api.external.com/export', operation: 'write', endpoint_class: 'net.http', endpoint_domain: 'api.external.com' }),
      ],
    }));
    expect(o.verdict).toBe('block');
    expect(o.reason_codes).toEqual(['endpoint_domain_not_allowlisted', 'endpoint_path_denied', 'endpoint_policy_violation', 'matched_rule_endpoint_guard']);
    expect(o.violations).toEqual(['endpoint_domain_not_allowlisted', 'endpoint_path_denied', 'endpoint_policy_violation']);
  });

  it('#11 destructive_action without action yields block', () => {
    const p = policy({
      default_verdict: 'allow',
      rules: [rule('endpoint-destructive', {
        match: { tool_names: ['tool.write'] },
        endpoint: { enabled: true, destructive_action: 'require_approval', action: 'block', reason_code: 'endpoint_policy_violation', violation: 'endpoint_policy_violation' },
      })],
    });
    const o = run(p, intent({ tool_name: 'tool.write', targets: [target({ kind: 'path', value: '/tmp/data.txt', operation: 'delete', endpoint_class: 'fs.delete', destructive: true })] }));
    expect(o.verdict).toBe('block');
    expect(o.reason_codes).toEqual(['destructive_apply_requires_approval', 'endpoint_destructive_operation', 'endpoint_policy_violation', 'matched_rule_endpoint_destructive']);
    expect(o.violations).toEqual(['destructive_operation', 'endpoint_policy_violation']);
  });

  it('#13 delegation selectors', () => {
    const p = policy({
      default_verdict: 'block',
      rules: [rule('allow-delegated-write', {
        match: { tool_names: ['tool.write'], require_delegation: true, allowed_delegator_identities: ['agent.lead'], allowed_delegate_identities: ['agent.specialist'], delegation_scopes: ['write'], max_delegation_depth: 2 },
      })],
    });
    const deleg = (delegator: string) => intent({
      tool_name: 'tool.write',
      delegation: {
        requester_identity: 'agent.specialist', scope_class: 'write', token_refs: [], issued_at: '', expires_at: '',
        chain: [{ delegator_identity: delegator, delegate_identity: 'agent.specialist', scope_class: 'write', token_ref: '', issued_at: '', expires_at: '' }],
      },
    });
    const ok = run(p, deleg('agent.lead'));
    expect(ok.verdict).toBe('allow');
    expect(ok.require_delegation).toBe(true);
    expect(ok.delegation_scopes).toEqual(['write']);
    const bad = run(p, deleg('agent.other'));
    expect(bad.verdict).toBe('block');
    expect(bad.reason_codes).toEqual(['default_block']);
  });

  it('#14 plan vs apply on destructive targets', () => {
    const p = policy({ default_verdict: 'allow', rules: [rule('allow-delete', { match: { tool_names: ['tool.delete'] } })] });
    const del = (phase: 'plan' | 'apply') => intent({ tool_name: 'tool.delete', context: { phase }, targets: [target({ kind: 'path', value: '/tmp/demo.txt', operation: 'delete', endpoint_class: 'fs.delete', destructive: true })] });
    const plan = run(p, del('plan'));
    expect(plan.verdict).toBe('dry_run');
    expect(plan.reason_codes).toEqual(['matched_rule_allow_delete', 'plan_phase_non_destructive']);
    expect(plan.min_approvals).toBe(0);
    const apply = run(p, del('apply'));
    expect(apply.verdict).toBe('require_approval');
    expect(apply.reason_codes).toEqual(['destructive_apply_requires_approval', 'matched_rule_allow_delete']);
    expect(apply.min_approvals).toBe(1);
  });

  it('#15 script roll-up', () => {
    const p = policy({
      default_verdict: 'allow',
      scripts: { max_steps: 8, require_approval_above: 1, block_mixed_risk: false },
      rules: [
        rule('allow-read', { match: { tool_names: ['tool.read'] } }),
        rule('approval-write', { effect: 'require_approval', min_approvals: 2, require_distinct_approvers: true, match: { tool_names: ['tool.write'] } }),
      ],
    });
    const steps = [
      { tool_name: 'tool.read', args: {}, targets: [target({ kind: 'path', value: '/tmp/in.txt', operation: 'read', endpoint_class: 'fs.read' })], arg_provenance: [] },
      { tool_name: 'tool.write', args: {}, targets: [target({ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' })], arg_provenance: [] },
    ];
    const o = run(p, intent({ tool_name: 'script', script: { steps }, targets: steps.flatMap((s) => s.targets) }));
    expect(o.script).toBe(true);
    expect(o.verdict).toBe('require_approval');
    expect(o.reason_codes).toEqual(['matched_rule_allow_read', 'matched_rule_approval_write', 'script_step_threshold_approval']);
    expect(o.min_approvals).toBe(2);
    expect(o.composite_risk_class).toBe('medium');
    expect(o.steps.map((s) => [s.index, s.tool_name, s.verdict, s.reason_codes, s.matched_rules])).toEqual([
      [0, 'tool.read', 'allow', ['matched_rule_allow_read'], ['allow-read']],
      [1, 'tool.write', 'require_approval', ['matched_rule_approval_write'], ['approval-write']],
    ]);
  });

  it('#16 context-constrained rule blocks without verified evidence', () => {
    const p = policy({ default_verdict: 'allow', rules: [rule('allow-with-context-proof', { priority: 10, require_context_evidence: true, required_context_evidence_mode: 'required', max_context_age_seconds: 30, match: { tool_names: ['tool.write'] } })] });
    const o = run(p, intent({ tool_name: 'tool.write', targets: [target({ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' })] }));
    expect(o.verdict).toBe('block');
    expect(o.reason_codes).toEqual(['context_evidence_missing', 'context_evidence_mode_mismatch', 'context_freshness_exceeded', 'context_set_digest_missing', 'matched_rule_allow_with_context_proof']);
    expect(o.violations).toEqual(['context_evidence_mode_violation', 'context_freshness_violation', 'missing_context_evidence']);
    const fresh = run(p, intent({
      tool_name: 'tool.write',
      targets: [target({ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' })],
      context: { context_set_digest: 'a'.repeat(64), context_evidence_mode: 'required', auth_context: { context_age_seconds: 5 } },
    }));
    expect(fresh.verdict).toBe('allow');
  });

  it('#17/#18 wrkr context and discovery selectors', () => {
    const p = policy({ default_verdict: 'allow', rules: [rule('block-wrkr-data-class', { effect: 'block', match: { tool_names: ['tool.read'], context_tool_names: ['tool.read'], context_data_classes: ['pii'] } })] });
    const o = run(p, intent({ tool_name: 'tool.read', context: { auth_context: { 'wrkr.tool_name': 'tool.read', 'wrkr.data_class': 'pii' } } }));
    expect(o.verdict).toBe('block');
    const p18 = policy({ default_verdict: 'block', rules: [rule('allow_unknown_discovery', { match: { endpoint_classes: ['fs.read'], discovery_method: ['unknown'] } })] });
    expect(run(p18, intent({ tool_name: 'tool.read', targets: [target({ kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' })] })).verdict).toBe('allow');
  });

  it('#19 approval controls and most restrictive rate limit', () => {
    const p = policy({
      default_verdict: 'allow',
      rules: [
        rule('approval-with-controls', { priority: 1, effect: 'require_approval', min_approvals: 2, require_distinct_approvers: true, require_broker_credential: true, broker_reference: 'egress', broker_scopes: ['export'], rate_limit: { requests: 3, window: 'minute', scope: 'tool_identity' }, match: { tool_names: ['tool.write'] } }),
        rule('approval-b', { priority: 1, effect: 'require_approval', rate_limit: { requests: 3, window: 'hour', scope: 'tool' }, match: { tool_names: ['tool.write'] } }),
      ],
    });
    const o = run(p, intent({ tool_name: 'tool.write' }));
    expect(o.verdict).toBe('require_approval');
    expect(o.min_approvals).toBe(2);
    expect(o.require_distinct_approvers).toBe(true);
    expect(o.require_broker_credential).toBe(true);
    expect(o.broker_references).toEqual(['egress']);
    expect(o.broker_scopes).toEqual(['export']);
    expect(p.rules[o.rate_limit_rule]!.name).toBe('approval-with-controls');
  });
});

describe('core: memory stays flat', () => {
  it('does not grow over many evaluations', () => {
    const p = policy({ default_verdict: 'allow', rules: [rule('r', { match: { tool_names: ['tool.write'] } })] });
    const compiled = compilePolicy(p);
    const loaded = engine.load(compiled);
    const buf = encodeIntent(intent({ tool_name: 'tool.write' }), compiled);
    engine.evaluate(loaded, buf, []);
    const before = engine.memoryBytes;
    for (let i = 0; i < 20000; i++) engine.evaluate(loaded, buf, []);
    expect(engine.memoryBytes).toBe(before);
  });
});
