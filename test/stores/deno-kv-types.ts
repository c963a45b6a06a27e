// Type-checked by `deno check` (deno-kv-example.test.ts): Deno's own Deno.Kv fits the store's
// KvLike, so Deno users pass their KV as it is.
import { denoKvLimitStore } from '../../bindings/stores/deno-kv.ts';

const kv: Deno.Kv = await Deno.openKv(':memory:');
denoKvLimitStore(kv, { prefix: ['app', 'limits'], timeoutMs: 500, maxRetries: 10 });
kv.close();
