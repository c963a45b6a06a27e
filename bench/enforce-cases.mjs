/**
 * The enforcement pipeline (`gate.enforce`: the whole `gait gate eval` less file I/O) as bench
 * cases: with no tokens on a memory limit store, and with one approval token, its signature
 * verified cold (cache cleared every call) or cached; and, when redis-server is installed, on a
 * Redis store on loopback (its own server, started here and killed at exit: one round trip per
 * evaluation). Every call signs a trace (Ed25519, WebCrypto where the runtime has it). Setup
 * checks each case's verdict once.
 */
import { readFileSync } from 'node:fs';
import { Gate } from '../dist/gate.js';
import { parsePolicyYaml } from '../dist/policy/parse.js';
import { memoryLimitStore } from '../dist/stores/memory.js';
import { redisLimitStore } from '../dist/stores/redis.js';
import { mintApprovalToken } from '../dist/tokens/index.js';
import { parsePrivateKey } from '../dist/crypto/keys.js';
import { clearVerifyCache } from '../dist/crypto/ed25519.js';
import { startBenchRedis } from './redis-server.mjs';

const here = (rel) => new URL(rel, import.meta.url);
const KEY = parsePrivateKey(readFileSync(here('../test/fixtures/gait/scenarios/keys/approval_private.key'), 'utf8'));
const NOW = '2026-03-01T00:00:10Z';
const INTENT = {
  tool_name: 'tool.write', args: { path: '/tmp/out.txt' },
  targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write', endpoint_class: 'fs.write' }],
  context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'high' },
};
const LIMITED = 'default_verdict: block\nrules:\n  - name: allow-write\n    effect: allow\n    match: { tool_names: [tool.write] }\n    rate_limit: { requests: 1000000000, window: hour, scope: tool_identity }\n';
const APPROVAL = 'default_verdict: block\nrules:\n  - name: approve-write\n    effect: require_approval\n    match: { tool_names: [tool.write] }\n';

export async function enforceCases(engine) {
  const limited = new Gate(engine, parsePolicyYaml(LIMITED));
  const store = memoryLimitStore();
  const plain = { signingKey: KEY, now: NOW, limitStore: store };
  const approval = new Gate(engine, parsePolicyYaml(APPROVAL));
  const probe = await approval.enforce(INTENT, plain);
  const token = await mintApprovalToken({
    intentDigest: probe.result.intent_digest, policyDigest: probe.result.policy_digest, ttl: '1h', scope: ['tool:tool.write'],
    approver: 'bob', reasonCode: 'reviewed', now: NOW, privateKey: KEY,
  });
  const withToken = { ...plain, approval: { tokens: [token], verifyKey: KEY } };
  const expect = async (gate, options, verdict) => {
    const r = await gate.enforce(INTENT, options);
    if (r.result.verdict !== verdict) throw new Error(`enforce bench setup: expected ${verdict}, got ${r.result.verdict} ${r.result.reason_codes}`);
  };
  await expect(limited, plain, 'allow');
  await expect(approval, withToken, 'allow');
  const cases = [
    {
      id: 'enforce/memory-store', group: 'enforce', layer: 'pipeline', isAsync: true,
      what: 'gate.enforce(object): evaluate + rate limit on a memory store + signed trace, no tokens',
      fn: async () => (await limited.enforce(INTENT, plain)).exit_code + 1,
    },
    {
      id: 'enforce/approval-token-cold', group: 'enforce', layer: 'pipeline', isAsync: true,
      what: 'gate.enforce(object) with one approval token, verify cache cleared every call',
      fn: async () => {
        clearVerifyCache();
        return (await approval.enforce(INTENT, withToken)).exit_code + 1;
      },
    },
    {
      id: 'enforce/approval-token-cached', group: 'enforce', layer: 'pipeline', isAsync: true,
      what: 'gate.enforce(object) with one approval token, signature verification cached',
      fn: async () => (await approval.enforce(INTENT, withToken)).exit_code + 1,
    },
  ];
  const redis = await startBenchRedis();
  if (!redis) {
    process.stderr.write('enforce/redis-store skipped: redis-server not installed (set REDIS_SERVER to its path)\n');
    return cases;
  }
  // A generous timeout for setup on a loaded machine; the case measures the round trip, not it.
  const onRedis = { ...plain, limitStore: redisLimitStore(redis.url, { prefix: 'gait-bench:', timeoutMs: 10_000 }), limitStoreTimeoutMs: 10_000 };
  await expect(limited, onRedis, 'allow');
  cases.push({
    id: 'enforce/redis-store', group: 'enforce', layer: 'pipeline', isAsync: true,
    what: 'gate.enforce(object): evaluate + rate limit on a Redis store on loopback (one EVALSHA round trip) + signed trace',
    fn: async () => (await limited.enforce(INTENT, onRedis)).exit_code + 1,
  });
  return cases;
}
