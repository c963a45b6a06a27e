/**
 * GaitLimits: the Durable Object that holds rate-limit and destructive-budget counters for
 * durableObjectLimitStore (durable-object.ts). Export it from your worker's main module and bind
 * it as a SQLite-backed class (wrangler: `new_sqlite_classes`; workerd: `enableSql = true`).
 *
 * One POST `{requests}` is one `storage.transactionSync`: the counters it touches are read into a
 * Map, countInMap (the reference semantics) runs on it, and the changes are written back, so an
 * evaluation is counted all or nothing and no other request of this object sees half of it.
 * Counters expire `ttlSeconds` after they were last counted (an alarm deletes them; an expired
 * row is never read), besides countInMap's pruning of earlier buckets.
 */
import { countInMap, type LimitRequest } from '../limits.js';

interface SqlCursor {
  toArray(): Record<string, unknown>[];
}
interface SqlStorage {
  exec(query: string, ...bindings: unknown[]): SqlCursor;
}
/** The parts of workerd's DurableObjectStorage this class uses (no @cloudflare/workers-types). */
export interface GaitLimitsStorage {
  readonly sql: SqlStorage;
  transactionSync<T>(work: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
}
export interface GaitLimitsState {
  readonly storage: GaitLimitsStorage;
}

/** At most this many requests per call (an evaluation sends one or two). */
const MAX_REQUESTS = 64;

const SCHEMA = `CREATE TABLE IF NOT EXISTS gait_counters (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL
); CREATE INDEX IF NOT EXISTS gait_counters_expiry ON gait_counters (expires_at)`;

class BadRequest extends Error {}

/** The fields countInMap reads, checked: anything else is a 400, never a guess. */
export function parseLimitRequests(body: unknown): LimitRequest[] {
  const list = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(list)) throw new BadRequest('body must be {"requests": [...]}');
  if (list.length > MAX_REQUESTS) throw new BadRequest(`at most ${MAX_REQUESTS} requests per call`);
  return list.map((r: Record<string, unknown>, i) => {
    const text = (name: string) => {
      const v = r?.[name];
      // A lone surrogate would be stored as U+FFFD, so two keys could share one counter.
      if (typeof v !== 'string' || v === '' || !v.isWellFormed()) throw new BadRequest(`requests[${i}].${name} must be a non-empty, well-formed string`);
      return v;
    };
    const counterKey = text('counterKey');
    const windowPrefix = text('windowPrefix');
    const bucket = text('bucket');
    const requests = r.requests;
    if (typeof requests !== 'number' || !Number.isSafeInteger(requests) || requests < 0) throw new BadRequest(`requests[${i}].requests must be a whole number >= 0`);
    const ttlSeconds = r.ttlSeconds;
    if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new BadRequest(`requests[${i}].ttlSeconds must be a number > 0`);
    return { ...(r as unknown as LimitRequest), counterKey, windowPrefix, bucket, requests, ttlSeconds };
  });
}

/**
 * countInMap on the stored counters, inside the caller's transaction. Loads every counter
 * countInMap may read or prune (the requested keys and all keys of the requested windows), so the
 * result is exactly countInMap's on the whole store.
 */
function consumeInSql(sql: SqlStorage, requests: readonly LimitRequest[], now: number) {
  sql.exec('DELETE FROM gait_counters WHERE expires_at <= ?', now);
  const counters = new Map<string, number>();
  const load = (rows: Record<string, unknown>[]) => rows.forEach((row) => counters.set(String(row.key), Number(row.count)));
  for (const prefix of new Set(requests.map((r) => r.windowPrefix))) {
    load(sql.exec('SELECT key, count FROM gait_counters WHERE substr(key, 1, length(?1)) = ?1', prefix).toArray());
  }
  for (const r of requests) load(sql.exec('SELECT key, count FROM gait_counters WHERE key = ?', r.counterKey).toArray());

  const before = new Map(counters);
  const counts = countInMap(counters, requests);

  const ttl = new Map<string, number>();
  for (const r of requests) ttl.set(r.counterKey, Math.max(ttl.get(r.counterKey) ?? 0, r.ttlSeconds));
  for (const key of before.keys()) if (!counters.has(key)) sql.exec('DELETE FROM gait_counters WHERE key = ?', key);
  for (const [key, count] of counters) {
    if (before.get(key) === count) continue;
    sql.exec('INSERT OR REPLACE INTO gait_counters (key, count, expires_at) VALUES (?, ?, ?)', key, count, now + Math.ceil(ttl.get(key)! * 1000));
  }
  return counts;
}

function nextExpiry(sql: SqlStorage): number | undefined {
  const row = sql.exec('SELECT MIN(expires_at) AS next FROM gait_counters').toArray()[0];
  return typeof row?.next === 'number' ? row.next : undefined;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export class GaitLimits {
  private ready = false;
  /** When the alarm is set for (undefined: not known yet in this instance; null: none). */
  private alarmAt: number | null | undefined;

  constructor(private readonly ctx: GaitLimitsState, _env?: unknown) {}

  /** POST `{requests: LimitRequest[]}` → 200 `{counts: LimitCount[]}`; 400 bad input; 500 failure. */
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json({ error: 'POST {"requests": [...]}' }, 405);
    let requests: LimitRequest[];
    try {
      requests = parseLimitRequests(await request.json());
    } catch (err) {
      return json({ error: err instanceof BadRequest ? err.message : 'body must be JSON' }, 400);
    }
    try {
      const storage = this.ctx.storage;
      const counts = storage.transactionSync(() => {
        this.prepare();
        return consumeInSql(storage.sql, requests, Date.now());
      });
      await this.scheduleExpiry();
      return json({ counts });
    } catch (err) {
      // Not SQLite-backed, storage failure: the client turns any non-200 into LimitStoreError.
      return json({ error: `GaitLimits: ${(err as Error)?.message ?? String(err)}` }, 500);
    }
  }

  /** Deletes expired counters and sets the alarm for the next expiry. */
  async alarm(): Promise<void> {
    const storage = this.ctx.storage;
    storage.transactionSync(() => {
      this.prepare();
      storage.sql.exec('DELETE FROM gait_counters WHERE expires_at <= ?', Date.now());
    });
    this.alarmAt = null; // a fired alarm is no longer set
    await this.scheduleExpiry();
  }

  private prepare(): void {
    if (this.ready) return;
    this.ctx.storage.sql.exec(SCHEMA);
    this.ready = true;
  }

  /** An alarm at the earliest expiry, unless one is already set at or before it. */
  private async scheduleExpiry(): Promise<void> {
    const storage = this.ctx.storage;
    if (this.alarmAt === undefined) this.alarmAt = await storage.getAlarm();
    const next = nextExpiry(storage.sql);
    if (next === undefined || (this.alarmAt !== null && this.alarmAt <= next)) return;
    await storage.setAlarm(next);
    this.alarmAt = next;
  }
}
