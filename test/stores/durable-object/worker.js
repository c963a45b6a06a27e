// Test worker for the Durable Object limit store: POST /consume?binding=LIMITS&... with
// {requests} and it answers what durableObjectLimitStore(env[binding], options).consume gave:
// 200 {counts}, or 503 {error} when the store failed (LimitStoreError), 500 for anything else.
// /via/<n>/consume goes through client service n (its own isolate) to the same objects.
// Besides GaitLimits (SQLite-backed, as it must be) it exports Durable Objects that fail:
// KvGaitLimits (GaitLimits on the key-value backend), Throwing, Slow and Garbled; and
// InspectableGaitLimits, a GaitLimits that also lists its stored rows (GET /rows?name=…).
import { GaitLimits, durableObjectLimitStore, LimitStoreError } from './gait/bundle/workerd.js';

export { GaitLimits };
export class KvGaitLimits extends GaitLimits {}

export class InspectableGaitLimits extends GaitLimits {
  constructor(ctx, env) {
    super(ctx, env);
    this.storage = ctx.storage;
  }

  async fetch(request) {
    if (request.method !== 'GET') return super.fetch(request);
    const rows = this.storage.sql.exec('SELECT name FROM sqlite_master WHERE name = ?', 'gait_counters').toArray().length
      ? this.storage.sql.exec('SELECT key, count FROM gait_counters ORDER BY key').toArray()
      : [];
    return Response.json({ rows, alarm: await this.storage.getAlarm() });
  }
}

export class Throwing {
  async fetch() {
    throw new Error('the object broke');
  }
}

export class Slow {
  async fetch() {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    return Response.json({ counts: [] });
  }
}

export class Garbled {
  async fetch(request) {
    const { requests } = await request.json();
    const kind = requests[0]?.key ?? '';
    if (kind.startsWith('not-json')) return new Response('{"counts": [');
    if (kind.startsWith('too-few')) return Response.json({ counts: [] });
    if (kind.startsWith('over-limit')) return Response.json({ counts: requests.map((r) => ({ used: r.requests + 1, exceeded: false })) });
    return Response.json({ counts: requests.map(() => ({ used: '1', exceeded: 'no' })) });
  }
}

const OPTIONS = ['name', 'prefix', 'shard', 'timeoutMs'];

async function consume(request, env) {
  const url = new URL(request.url);
  const options = {};
  for (const o of OPTIONS) {
    const v = url.searchParams.get(o);
    if (v !== null) options[o] = o === 'timeoutMs' ? Number(v) : v;
  }
  const store = durableObjectLimitStore(env[url.searchParams.get('binding') ?? 'LIMITS'], options);
  const { requests } = await request.json();
  try {
    return Response.json({ store: store.name, counts: await store.consume(requests) });
  } catch (err) {
    const error = { name: err.name, code: err.code, store: err.store, message: err.message };
    return Response.json({ error }, { status: err instanceof LimitStoreError ? 503 : 500 });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const via = url.pathname.match(/^\/via\/(\d+)(\/.*)$/);
    if (via) {
      const client = env[`CLIENT_${via[1]}`];
      if (!client) return new Response('no such client\n', { status: 404 });
      return client.fetch(new Request(new URL(via[2] + url.search, url), request));
    }
    if (request.method === 'POST' && url.pathname === '/consume') return consume(request, env);
    if (url.pathname === '/rows') {
      const ns = env.INSPECT;
      return ns.get(ns.idFromName(`gait:limits:${url.searchParams.get('name')}`)).fetch('https://inspect/rows');
    }
    return new Response('gait-wasm durable object limit store test worker\n');
  },
};
