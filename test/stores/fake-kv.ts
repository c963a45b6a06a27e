// An in-memory stand-in for Deno.Kv's get/atomic surface (KvLike), for the Node-side tests of
// the Deno KV store: versionstamps that grow with each commit, checks, sets, deletes, and a
// macrotask yield before every answer so concurrent transactions really interleave.
import type { KvKey, KvLike, KvAtomicLike } from '../../bindings/stores/deno-kv.js';

interface Slot {
  value: unknown;
  versionstamp: string;
  expireIn?: number;
}

const id = (key: KvKey): string => JSON.stringify(key.map((p) => (typeof p === 'bigint' ? `${p}n` : p)));
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export class FakeKv implements KvLike {
  readonly slots = new Map<string, Slot>();
  private version = 0;
  commits = 0;
  conflicts = 0;
  /** When set, every call rejects with it (a closed or broken KV). */
  failWith?: Error;

  async get(key: KvKey): Promise<{ value: unknown; versionstamp: string | null }> {
    await tick();
    if (this.failWith) throw this.failWith;
    const s = this.slots.get(id(key));
    return { value: s?.value ?? null, versionstamp: s?.versionstamp ?? null };
  }

  /** Writes a value directly (a garbled or foreign value), as kv.set would. */
  put(key: KvKey, value: unknown): void {
    this.slots.set(id(key), { value, versionstamp: this.nextVersion() });
  }

  entry(key: KvKey): Slot | undefined {
    return this.slots.get(id(key));
  }

  private nextVersion(): string {
    return (++this.version).toString(16).padStart(20, '0');
  }

  atomic(): KvAtomicLike {
    const checks: { key: KvKey; versionstamp: string | null }[] = [];
    const mutations: (() => void)[] = [];
    let versionstamp = '';
    const op: KvAtomicLike = {
      check: (...c) => (checks.push(...c), op),
      set: (key, value, options) => (mutations.push(() => this.slots.set(id(key), { value, versionstamp, expireIn: options?.expireIn })), op),
      delete: (key) => (mutations.push(() => this.slots.delete(id(key))), op),
      commit: async () => {
        await tick();
        if (this.failWith) throw this.failWith;
        const ok = checks.every((c) => (this.slots.get(id(c.key))?.versionstamp ?? null) === c.versionstamp);
        if (!ok) {
          this.conflicts++;
          return { ok: false };
        }
        versionstamp = this.nextVersion();
        for (const m of mutations) m();
        this.commits++;
        return { ok: true };
      },
    };
    return op;
  }
}
