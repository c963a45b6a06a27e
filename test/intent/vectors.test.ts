/**
 * Every intent, args, script and delegation digest in the spec (intent.md §3.11 and §9, cli.md §10,
 * signed_artifacts.md) that can be rebuilt from fixtures or from the spec's description of the
 * inputs. Inputs marked "scenario" are the Gait scenario files the spec names, inlined here.
 */
import { describe, expect, test } from 'vitest';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { sha256Hex } from '../../bindings/canonical/sha256.js';
import { argsDigest, delegationDigest, intentDigest, intentProjection, delegationProjection, scriptHash } from '../../bindings/intent/digest.js';
import { stripContextClaims, withAuthContextKeys } from '../../bindings/intent/normalize.js';
import { wrkrAuthContext } from '../../bindings/intent/wrkr.js';
import { baseIntent, expectInvalid, fixtureText, norm } from './helpers.js';

describe('§3.11 verified vectors', () => {
  const integration = {
    tool_name: 'tool.write',
    args: { path: '/tmp/out.txt' },
    targets: [{ kind: 'host', value: 'api.external.com' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
  };

  test('integration fixture: exact canonical bytes, intent and args digests', () => {
    const n = norm(integration);
    expect(canonicalize(intentProjection(n))).toBe(
      '{"arg_provenance":[{"arg_path":"$.path","source":"user"}],"args":{"path":"/tmp/out.txt"},"context":{"identity":"alice","phase":"apply","risk_class":"high","workspace":"/repo/gait"},"targets":[{"discovery_method":"unknown","endpoint_class":"net.http","endpoint_domain":"api.external.com","kind":"host","value":"api.external.com"}],"tool_name":"tool.write"}',
    );
    expect(n.intent_digest).toBe('74d4a052fd27c63f110e0879f227215aed15a8e522946d38a2fb515374fbafa8');
    expect(intentDigest(n)).toBe(n.intent_digest);
    expect(n.args_digest).toBe('1bb68c85c9c51b9b733114cb635626545b38b115a266f1ce490655bb2fbfa3ff');
    expect(sha256Hex('{"path":"/tmp/out.txt"}')).toBe(n.args_digest);
  });

  test('empty args digest', () => {
    expect(argsDigest({})).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  // scenarios/gait/approval-token-valid and approval-expiry-1s-past intent.json
  const tokenIntent = (path: string) => ({
    schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
    tool_name: 'tool.write', args: { path },
    targets: [{ kind: 'path', value: path, operation: 'write', endpoint_class: 'fs.write' }],
    arg_provenance: [{ arg_path: '$.path', source: 'user' }],
    context: { identity: 'agent.scenario', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-tier11' },
  });

  test('approval token scenarios (E18)', () => {
    expect(norm(JSON.stringify(tokenIntent('/tmp/approve-valid.txt'))).intent_digest).toBe('4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913');
    expect(norm(tokenIntent('/tmp/approve-expired.txt')).intent_digest).toBe('5560b84bd90ae0b84079bd0125a27d74750fb25f55a62a12a6b718eaca3dca51');
  });

  test('E19: claims change only the unstripped digest', () => {
    const base = tokenIntent('/tmp/approve-valid.txt');
    const claimed = norm({ ...base, context: { ...base.context, context_set_digest: 'A'.repeat(64), context_evidence_mode: 'Required' } });
    expect(claimed.context.context_evidence_mode).toBe('required');
    expect(claimed.context.context_set_digest).toBe('a'.repeat(64));
    expect(claimed.intent_digest).toBe('00a74d5c3f152cbd9c04c575b1f1b1351697caae6a53a3c814c8bcc1a7af87d7');
    expect(stripContextClaims(claimed).intent_digest).toBe('4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913');
    const req2 = norm({ ...base, context: { ...base.context, request_id: 'req-2' } });
    expect(req2.intent_digest).toBe('289786aba367b86b7eb221dce1770af0ae151c75b8c8b1434f663e19e514271e');
    expect(stripContextClaims(req2).intent_digest).toBe(req2.intent_digest);
  });
});

describe('§9 worked examples', () => {
  const e1Normalized =
    '{"arg_provenance":[{"arg_path":"args.path","source":"user"},{"arg_path":"args.payload","source":"tool_output","source_ref":"trace_2"}],"args":{"path":"/tmp/out.txt","payload":{"tags":["alpha","beta"],"x":1}},"context":{"identity":"alice","phase":"apply","risk_class":"high","session_id":"s1","workspace":"/repo/work"},"targets":[{"discovery_method":"unknown","endpoint_class":"net.http","endpoint_domain":"api.internal","kind":"host","value":"api.internal"},{"discovery_method":"unknown","endpoint_class":"fs.write","kind":"path","operation":"write","value":"/tmp/out.txt"}],"tool_name":"tool.write"}';

  const e1a = `{
    "schema_id": "gait.gate.intent_request", "schema_version": "1.0.0",
    "created_at": "2026-02-05T00:00:00Z", "producer_version": "0.1.0",
    "tool_name": "tool.write",
    "args": {"path": "/tmp/out.txt", "payload": {"tags": ["alpha", "beta"], "x": 1}},
    "targets": [
      {"kind": "path", "value": "/tmp/out.txt", "operation": "write"},
      {"kind": "host", "value": "api.internal"}
    ],
    "arg_provenance": [
      {"arg_path": "args.path", "source": "user"},
      {"arg_path": "args.payload", "source": "tool_output", "source_ref": "trace_2"}
    ],
    "context": {"identity": "alice", "workspace": "/repo/work", "risk_class": "HIGH", "session_id": "s1"}
  }`;
  const e1b = `{
    "schema_id": "gait.gate.intent_request", "schema_version": "1.0.0",
    "created_at": "2026-02-06T12:30:00.5+02:00", "producer_version": "9.9.9",
    "tool_name": "  Tool.Write ",
    "args": {"payload": {"x": 1, "tags": [" alpha", "beta "]}, "path": " /tmp/out.txt "},
    "targets": [
      {"kind": " host ", "value": " api.internal "},
      {"kind": "PATH", "value": "/tmp/out.txt ", "operation": "WRITE"},
      {"kind": "path", "value": "/tmp/out.txt", "operation": "write"}
    ],
    "arg_provenance": [
      {"arg_path": " args.payload", "source": "TOOL_OUTPUT", "source_ref": " trace_2 "},
      {"arg_path": "args.path", "source": " User "}
    ],
    "context": {"identity": " alice ", "workspace": "/repo/work ", "risk_class": " high ", "session_id": " s1"}
  }`;

  test('E1: equivalent fixtures normalize to the same bytes and digests', () => {
    const a = norm(e1a);
    const b = norm(e1b);
    expect(canonicalize(intentProjection(a))).toBe(e1Normalized);
    expect(canonicalize(intentProjection(b))).toBe(e1Normalized);
    for (const n of [a, b]) {
      expect(n.intent_digest).toBe('2bae77d908ce5435fba6a8a4417be8718571f5d68bd89c67d548e791cc3771ca');
      expect(n.args_digest).toBe('28ff2d9b90ec9335c60f2efeaeecd0720ae18fa2774dd93b5560d02a9315ffc3');
    }
    // Not digested, but kept (UTC).
    expect(a.created_at).toBe('2026-02-05T00:00:00Z');
    expect(b.created_at).toBe('2026-02-06T10:30:00.5Z');
  });

  test('E1: intent_different (payload.x = 2)', () => {
    const n = norm(e1a.replace('"x": 1', '"x": 2'));
    expect(n.intent_digest).toBe('66ab8932ca394f4074931904515d6acdaf0af8cf2c76fb643d220bff4174f8db');
    expect(n.args_digest).toBe('0188e83133a0f4f2c7e25cf41448ac4cfa49e4c25febeb0636fb4020baf05052');
  });

  test('E2: messy input normalizes to the documented bytes', () => {
    const n = norm({
      tool_name: ' tool.write ',
      args: { ' path ': ' /tmp/out.txt ', options: { ' mode ': ' append ' } },
      targets: [
        { kind: 'path', value: '/tmp/out.txt' },
        { kind: ' path ', value: ' /tmp/out.txt ' },
        { kind: 'host', value: ' api.internal ' },
      ],
      arg_provenance: [
        { arg_path: 'args.path', source: ' user ' },
        { arg_path: 'args.path', source: 'user' },
        { arg_path: 'args.options', source: 'external', integrity_digest: 'A'.repeat(64) },
      ],
      context: {
        identity: ' alice ', workspace: 'C:\\repo\\gait', risk_class: ' HIGH ', session_id: ' s1 ', request_id: ' req-1 ',
        environment_fingerprint: ' env:prod-us-east-1 ', credential_scopes: [' tools.read ', 'tools.write', 'tools.read'],
        auth_context: { provider: ' oidc ', claims: { tenant: ' acme ' } },
      },
    });
    expect(canonicalize(intentProjection(n))).toBe(
      `{"arg_provenance":[{"arg_path":"args.options","integrity_digest":"${'a'.repeat(64)}","source":"external"},{"arg_path":"args.path","source":"user"}],"args":{"options":{"mode":"append"},"path":"/tmp/out.txt"},"context":{"auth_context":{"claims":{"tenant":"acme"},"provider":"oidc"},"credential_scopes":["tools.read","tools.write"],"environment_fingerprint":"env:prod-us-east-1","identity":"alice","phase":"apply","request_id":"req-1","risk_class":"high","session_id":"s1","workspace":"C:/repo/gait"},"targets":[{"discovery_method":"unknown","endpoint_class":"net.http","endpoint_domain":"api.internal","kind":"host","value":"api.internal"},{"discovery_method":"unknown","endpoint_class":"fs.write","kind":"path","value":"/tmp/out.txt"}],"tool_name":"tool.write"}`,
    );
    expect(n.intent_digest).toBe('ce2a9db3d905be1f1d998c5ab473b01a1b2754f65b4288afe62c0979d99b550d');
    expect(n.args_digest).toBe('ce07b9bc8e21c137290af0dc6f9d50289188ef42d40ddce17814323bd1b901ac');
    expect(n.schema_id).toBe('gait.gate.intent_request');
    expect(n.schema_version).toBe('1.0.0');
  });

  test('E3: endpoint classification', () => {
    const n = norm({
      tool_name: 'tool.exec',
      args: { command: 'rm -rf /tmp/demo' },
      targets: [
        { kind: 'path', value: '/tmp/in.txt', operation: 'read' },
        { kind: 'path', value: '/tmp/out.txt', operation: 'write' },
        { kind: 'path', value: '/tmp/out.txt', operation: 'delete' },
        { kind: 'host', value: 'api.internal', operation: 'dns' },
        { kind: 'url', value: 'https://example.com/path' },
        { kind: 'other', value: 'shell', operation: 'exec' },
      ],
      context: { identity: 'alice', workspace: '/tmp/work', risk_class: 'high' },
    });
    expect(n.targets.map((t) => [t.kind, t.value, t.endpoint_class, t.endpoint_domain, t.destructive])).toEqual([
      ['host', 'api.internal', 'net.dns', 'api.internal', false],
      ['other', 'shell', 'proc.exec', '', true],
      ['path', '/tmp/in.txt', 'fs.read', '', false],
      ['path', '/tmp/out.txt', 'fs.delete', '', true],
      ['path', '/tmp/out.txt', 'fs.write', '', false],
      ['url', 'https://example.com/path', 'net.http', 'example.com', false],
    ]);
    expect(n.intent_digest).toBe('5f9d09742d779ed7baca678bd0e3e1be734250e1510809fd80301e8c484317b1');
  });

  const e4ctx = { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' };

  test('E4: script digest determinism', () => {
    const a = norm({
      tool_name: 'script', args: {}, context: e4ctx,
      script: { steps: [
        { tool_name: 'tool.read', args: { path: '/tmp/in.txt', opts: { follow: true } },
          targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }, { kind: 'path', value: '/tmp/in.txt', operation: 'read' }] },
        { tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] },
      ] },
    });
    const b = norm({
      tool_name: ' script ', args: {}, context: e4ctx,
      script: { steps: [
        { tool_name: ' tool.read ', args: { opts: { follow: true }, path: '/tmp/in.txt' }, targets: [{ kind: ' path ', value: ' /tmp/in.txt ', operation: 'read' }] },
        { tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] },
      ] },
    });
    for (const n of [a, b]) {
      expect(n.script_hash).toBe('81321f4b3437aad5466e381c29404e3fd94e91849e328cb7ad489e771e58cf95');
      expect(scriptHash(n)).toBe(n.script_hash);
      expect(n.intent_digest).toBe('0e7dfcc9b62b76ae582ae2051d40dd25100c5c38e37b06fca320b46de6eff003');
      expect(n.args_digest).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
      expect(n.tool_name).toBe('script');
      expect(n.targets.map((t) => `${t.value}:${t.endpoint_class}`)).toEqual(['/tmp/in.txt:fs.read', '/tmp/out.txt:fs.write']);
    }
  });

  test('E4: TestScriptHash (one step, no targets)', () => {
    const n = norm({ tool_name: 'script', args: {}, context: e4ctx, script: { steps: [{ tool_name: 'tool.read', args: { path: '/tmp/in.txt' } }] } });
    expect(n.script_hash).toBe('519348d78652c720ca8c493f800a4e256d92610246fd7257601bcdb08275f9a9');
    expect(n.targets).toEqual([]);
    expect(n.intent_digest).toBe('846540949ac80530b2072bf7e7f81d3c8d30bfa8af248e10f8fc55356c284d24');
    expect(scriptHash(norm(baseIntent()))).toBe('');
  });

  describe('E5: delegation', () => {
    const base = {
      tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
      targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }],
      context: { identity: 'agent.specialist', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-1' },
    };

    test('normalized bytes and digests', () => {
      const n = norm({ ...base, delegation: {
        requester_identity: ' agent.specialist ', scope_class: ' WRITE ', token_refs: [' token_b ', 'token_a', 'token_a'],
        chain: [{ delegator_identity: 'agent.lead', delegate_identity: 'agent.specialist', scope_class: 'write', token_ref: 'token_b' }],
      } });
      expect(canonicalize(delegationProjection(n.delegation!))).toBe(
        '{"chain":[{"delegate_identity":"agent.specialist","delegator_identity":"agent.lead","expires_at":"0001-01-01T00:00:00Z","issued_at":"0001-01-01T00:00:00Z","scope_class":"write","token_ref":"token_b"}],"expires_at":"0001-01-01T00:00:00Z","issued_at":"0001-01-01T00:00:00Z","requester_identity":"agent.specialist","scope_class":"write","token_refs":["token_a","token_b"]}',
      );
      expect(n.intent_digest).toBe('fe45edf511a067f842a86400888700466872b1c36a455ebf2995790ae38d8428');
      expect(delegationDigest(n)).toBe('32a867715ccc2f7f7180fc3b0253d2426e0f4f2a605695722a16f3c20461cc64');
      expect(delegationDigest(norm(base))).toBe('');
    });

    test('modified delegation', () => {
      const n = norm({ ...base, delegation: {
        requester_identity: 'agent.specialist', scope_class: 'write', token_refs: ['token_a'],
        chain: [{ delegator_identity: 'agent.root', delegate_identity: 'agent.specialist', scope_class: 'write', token_ref: 'token_a' }],
      } });
      expect(n.intent_digest).toBe('2c91b4ec63cbb2c0b53d7e18888b51ce6c2ce85b4e737b162766e657e66c3425');
    });

    test('chain rejections', () => {
      expectInvalid(() => norm({ ...base, delegation: { requester_identity: 'agent.worker', chain: [
        { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager' },
        { delegator_identity: 'agent.other', delegate_identity: 'agent.worker' },
      ] } }), 'delegation.chain[1] delegator_identity must match delegation.chain[0].delegate_identity');
      expectInvalid(() => norm({ ...base, delegation: { requester_identity: 'agent.worker', chain: [
        { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager' },
      ] } }), 'delegation.chain last delegate_identity must match delegation.requester_identity');
    });
  });

  test('E6/E7: fixture intents', () => {
    const cases: Array<[string, string, string?]> = [
      ['policy-test/intent.json', 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e', 'ce8ca77ac28994a21eec3dda3dab1a7734de817f7096e8701ab6b77f4b242c84'],
      ['policy/intents/intent_write.json', 'dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e', 'ce8ca77ac28994a21eec3dda3dab1a7734de817f7096e8701ab6b77f4b242c84'],
      ['policy/intents/intent_delete.json', 'bb0a019bb5c1677041c780acde04ac38e2bb65e960f6574a5c8da439f70ffd56'],
      ['policy/intents/intent_tainted_egress.json', '3d61f934270abefba410ebc25d041b8509f98c6f429607c0376803b999127537'],
      ['policy/intents/intent_delegated_egress_valid.json', 'dd91fd72add2a0a7d50a7c1bc682bb84387e12b6573176c32e12298014da0f81'],
      ['policy/intents/intent_delegated_egress_invalid.json', '07822a3bb6bd414159abb37a9b006c81c525f6161ea7eac89c9299decfb743c2'],
    ];
    for (const [file, digest, args] of cases) {
      const n = norm(fixtureText(file));
      expect(n.intent_digest, file).toBe(digest);
      if (args) expect(n.args_digest, file).toBe(args);
    }
    // Only the abbreviated form 7cb7de9d…e88f is given for intent_read.
    const read = norm(fixtureText('policy/intents/intent_read.json')).intent_digest;
    expect(read.startsWith('7cb7de9d') && read.endsWith('e88f')).toBe(true);
    const del = norm(fixtureText('policy/intents/intent_delete.json'));
    expect(del.targets[0]!.endpoint_class).toBe('fs.delete'); // from the tool hint `delete`
    expect(del.targets[0]!.destructive).toBe(true);
  });

  const base = baseIntent();
  const baseCtx = base.context as Record<string, string>;

  test('E8: plan vs apply', () => {
    const make = (phase?: string) => norm({
      ...base, tool_name: 'tool.delete', targets: [{ kind: 'path', value: '/tmp/demo.txt', operation: 'delete' }],
      context: phase === undefined ? baseCtx : { ...baseCtx, phase },
    });
    expect(make('plan').intent_digest).toBe('c830e59e1b3b485b7adf23c00702948725d4686d19d3264c69bece1a3ce7d025');
    expect(make('apply').intent_digest).toBe('9c471ae38c87d8f87d4683f58d2b5c693836dc8fdb826df12905ea1f320e4443');
    expect(make(' APPLY ').intent_digest).toBe('9c471ae38c87d8f87d4683f58d2b5c693836dc8fdb826df12905ea1f320e4443');
    expect(make().intent_digest).toBe('9c471ae38c87d8f87d4683f58d2b5c693836dc8fdb826df12905ea1f320e4443');
  });

  test('E9: script rollup script hash', () => {
    const n = norm({ ...base, tool_name: 'script', script: { steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/in.txt' }, targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }] },
    ] } });
    expect(n.script_hash).toBe('395c4d63c41bb4f656c1104818fea5953f413a53af7a79eb58d403caabc218ae');
  });

  // scenarios/gait/script-*/intent.json (risk medium) and the E11 acceptance intent (risk high)
  const scenarioScript = (risk: string) => JSON.stringify({
    schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-20T00:00:00Z', producer_version: 'scenario-script-threshold',
    tool_name: 'script', args: {}, targets: [],
    context: { identity: 'alice', workspace: '/repo/gait', risk_class: risk },
    script: { steps: [
      { tool_name: 'tool.read', args: { path: '/tmp/input.txt' }, targets: [{ kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' }] },
      { tool_name: 'tool.write', args: { path: '/tmp/output.txt' }, targets: [{ kind: 'path', value: '/tmp/output.txt', operation: 'write', endpoint_class: 'fs.write' }] },
    ] },
  });

  test('E10/E11: script scenarios', () => {
    const medium = norm(scenarioScript('medium'));
    expect(medium.script_hash).toBe('4a132cd1a51cc226c73b0cbae9528905fbbaa80b7fe06bb632a62d9647001c11');
    expect(medium.intent_digest).toBe('311e31ce67a6b94a50f2f2e37f1bff8b417730b5da87ec37527848220f2f5d98');
    const high = norm(scenarioScript('high'));
    expect(high.script_hash).toBe('4a132cd1a51cc226c73b0cbae9528905fbbaa80b7fe06bb632a62d9647001c11');
    expect(high.intent_digest).toBe('18fa1e4f16f15d27af7890f743ec9bb762f6c417c13792cb9e4e58af537291bc');
  });

  test('approved-script entry: the pre-discovery_method script bytes hash to a0dce61c…', () => {
    expect(sha256Hex('{"steps":[{"args":{"path":"/tmp/input.txt"},"targets":[{"endpoint_class":"fs.read","kind":"path","operation":"read","value":"/tmp/input.txt"}],"tool_name":"tool.read"},{"args":{"path":"/tmp/output.txt"},"targets":[{"endpoint_class":"fs.write","kind":"path","operation":"write","value":"/tmp/output.txt"}],"tool_name":"tool.write"}]}'))
      .toBe('a0dce61c1eb7cf56c8ec32292df93ff2df4229d6847c18b714fa72dc440adf25');
  });

  test('E12: Wrkr enrichment of a single intent', () => {
    const prepared = withAuthContextKeys(
      stripContextClaims(norm(fixtureText('policy/intents/intent_write.json'))),
      wrkrAuthContext({ tool_name: 'tool.write', data_class: 'secret', endpoint_class: 'fs.write', autonomy_level: 'assist' }),
    );
    expect(canonicalize(intentProjection(prepared).context)).toBe(
      '{"auth_context":{"wrkr.autonomy_level":"assist","wrkr.data_class":"secret","wrkr.endpoint_class":"fs.write","wrkr.tool_name":"tool.write"},"identity":"example-user","phase":"apply","risk_class":"high","workspace":"/tmp/workspace"}',
    );
    expect(prepared.intent_digest).toBe('ffa9f542695945ced6a8a1d8949f4d814ca5c365b45c53a8c0fab7e87942e98a');
    expect(prepared.args_digest).toBe('ce8ca77ac28994a21eec3dda3dab1a7734de817f7096e8701ab6b77f4b242c84');
  });

  test('E13: endpoint fixtures', () => {
    expect(norm(fixtureText('policy/endpoint/fixtures/intent_allow.json')).intent_digest).toBe('bb3cd42d1d455bd89ecde32fbd361414c4eca0c35b60ee9a160ac8d3417322c2');
    expect(norm(fixtureText('policy/endpoint/fixtures/intent_block.json')).intent_digest).toBe('56306d8bd752d5b462e3f017d2482ce575985e3ef673945c39a1a58411214149');
    expect(norm(fixtureText('policy/endpoint/fixtures/intent_destructive.json')).intent_digest).toBe('c6027177ce6b0468c8a8650d4b4325b0cb76f8f014d3000517c65b5e71afd046');
  });

  test('E14: tainted dataflow intent', () => {
    const n = norm({
      ...base, tool_name: 'tool.write',
      targets: [{ kind: 'host', value: 'api.external.com', operation: 'write' }],
      arg_provenance: [{ arg_path: '$.path', source: 'external' }],
    });
    expect(n.intent_digest).toBe('fb8650dbc91a9b68c3bb0538c47a8957698bf02153d92a5c9771166eb83c6ad6');
  });

  test('E17: skill provenance keeps publisher case', () => {
    const write = JSON.parse(fixtureText('policy/intents/intent_write.json')) as Record<string, unknown>;
    const n = norm({ ...write, skill_provenance: { skill_name: 'safe-curl', skill_version: '1.0.0', source: 'registry', publisher: 'acme' } });
    expect(n.intent_digest).toBe('871ca86b772450a2d99e07c11b7f8467b8888b8b36cc9a76dffa879df06362d3');
    const upper = norm({ ...write, skill_provenance: { skill_name: 'safe-curl', skill_version: '1.0.0', source: ' Registry ', publisher: 'Acme' } });
    expect(upper.skill_provenance!.publisher).toBe('Acme');
    expect(upper.skill_provenance!.source).toBe('registry');
    expect(upper.intent_digest).not.toBe(n.intent_digest);
  });
});

describe('cli.md §10 and signed_artifacts.md derived vectors', () => {
  // scenarios/gait/policy-block-destructive/intents.jsonl, lines 1, 4 and 5
  const line = (tool: string, args: Record<string, string>, target: Record<string, string>, argPath: string, risk: string) => JSON.stringify({
    schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-18T00:00:00Z', producer_version: '0.0.0-dev',
    tool_name: tool, args, targets: [target], arg_provenance: [{ arg_path: argPath, source: 'user' }],
    context: { identity: 'agent.scenario', workspace: '/repo/gait', risk_class: risk, session_id: 'sess-tier11' },
  });

  test('policy-block-destructive intents #1, #4, #5', () => {
    const one = norm(line('tool.read', { path: '/tmp/input.txt' }, { kind: 'path', value: '/tmp/input.txt', operation: 'read', endpoint_class: 'fs.read' }, '$.path', 'medium')).intent_digest;
    expect(one.startsWith('721f3743') && one.endsWith('4005')).toBe(true);
    expect(norm(line('tool.delete', { path: '/tmp/unsafe.txt' }, { kind: 'path', value: '/tmp/unsafe.txt', operation: 'delete', endpoint_class: 'fs.delete' }, '$.path', 'high')).intent_digest)
      .toBe('2b37c283eeb5ac6263262cfcdad205add5cfcc9ff0c121ca2b3113c446ed7199');
    const five = norm(line('tool.exec', { cmd: 'rm -rf /tmp/unsafe' }, { kind: 'other', value: 'rm -rf /tmp/unsafe', operation: 'exec', endpoint_class: 'proc.exec' }, '$.cmd', 'high')).intent_digest;
    expect(five.startsWith('2dc24d95') && five.endsWith('2e3c')).toBe(true);
  });

  test('demo --policy intent', () => {
    const n = norm({
      schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-02-14T00:00:00Z', producer_version: '0.0.0-dev',
      tool_name: 'tool.delete', args: { path: '/tmp/demo/delete-me.txt' },
      targets: [{ kind: 'path', value: '/tmp/demo/delete-me.txt', operation: 'delete', endpoint_class: 'fs.delete', destructive: true }],
      context: { identity: 'demo.user', workspace: '/tmp/demo', risk_class: 'high' },
    });
    expect(n.intent_digest).toBe('f924b778f1fe15ddd39d1e03cf8a8763b4b661d0e30f4c37bd8757b031e9ec47');
  });

  test('delegation-chain-depth-3 binding digest', () => {
    const refs = ['694428976ab1b10859171a05', '7e37847cf7d9320eb0854cc8', '8a715283a36e6b05e9287e12'];
    const n = norm({
      tool_name: 'tool.write', args: { path: '/tmp/delegated.txt' },
      targets: [{ kind: 'path', value: '/tmp/delegated.txt', operation: 'write', endpoint_class: 'fs.write' }],
      arg_provenance: [{ arg_path: '$.path', source: 'user' }],
      delegation: {
        requester_identity: 'agent.worker', scope_class: 'write', token_refs: refs,
        chain: [
          { delegator_identity: 'agent.lead', delegate_identity: 'agent.manager', scope_class: 'write', token_ref: refs[0] },
          { delegator_identity: 'agent.manager', delegate_identity: 'agent.senior', scope_class: 'write', token_ref: refs[1] },
          { delegator_identity: 'agent.senior', delegate_identity: 'agent.worker', scope_class: 'write', token_ref: refs[2] },
        ],
      },
      context: { identity: 'agent.worker', workspace: '/repo/gait', risk_class: 'high', session_id: 'sess-tier11' },
    });
    expect(delegationDigest(n)).toBe('cacd63947af15d0850bb55ddf8573def88204d13f4bc8290141003635e04dc08');
    expect(n.delegation!.chain.map((l) => l.delegate_identity)).toEqual(['agent.manager', 'agent.senior', 'agent.worker']);
  });
});
