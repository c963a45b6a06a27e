// Rate limits on Deno KV: every isolate, process or Deno Deploy instance that opens the same KV
// shares the counters, and counts stay exact (atomic check-and-count, retried on conflict).
//   npm run build && deno run --unstable-kv --allow-read --allow-write examples/deno-kv/main.ts [kv file]
// Without a file the KV is in memory (`:memory:`). Deno.openKv needs --unstable-kv on Deno 2.
import { init, createGate, denoKvLimitStore, type IntentRequest } from 'gait-wasm';

await init();
const gate = createGate(await Deno.readTextFile(new URL('./policy.yaml', import.meta.url)));
const kv = await Deno.openKv(Deno.args[0] ?? ':memory:');
const limitStore = denoKvLimitStore(kv, { prefix: ['example', 'limits'] });

const search = (query: string, identity = 'agent.research'): IntentRequest => ({
  tool_name: 'web.search',
  args: { query },
  targets: [{ kind: 'host', value: 'search.example', operation: 'read' }],
  context: { identity, workspace: '/tmp/gait-example', risk_class: 'low' },
});
// A fixed evaluation time, so every call falls in one minute's window.
const now = '2026-12-03T10:00:00Z';

async function gated(label: string, intent: IntentRequest): Promise<void> {
  const { result } = await gate.enforce(intent, { limitStore, now });
  const used = result.rate_limit_used === undefined ? '' : ` (used ${result.rate_limit_used}, remaining ${result.rate_limit_remaining ?? 0})`;
  console.log(`${label}: ${result.verdict} [${result.reason_codes}]${used}`);
}

for (let i = 1; i <= 4; i++) await gated(`search #${i}`, search(`query ${i}`));
await gated('another identity', search('query 1', 'agent.other'));
kv.close();
// The store cannot answer now: the gate blocks (fails closed) instead of allowing.
await gated('after the KV closed', search('query 5'));
