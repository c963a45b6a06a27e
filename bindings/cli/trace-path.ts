/** Where a command writes its trace (cli.md §2.8 path rules), shared by `gate eval` and `mcp proxy`. */
import * as path from 'node:path';
import { invalidInput } from '../errors.js';

/** The cleaned `--trace-out` path, or `trace_<id>.json` when it is blank; Gait's errors for bad paths. */
export function resolveTracePath(flag: string, traceId: string): string {
  if (flag.trim() === '') return `trace_${traceId}.json`;
  const cleaned = path.normalize(flag.trim());
  if (cleaned === '.' || cleaned === '/') throw invalidInput('trace path is required');
  if (!path.isAbsolute(cleaned) && cleaned.split(path.sep).includes('..')) {
    throw invalidInput('relative trace path must not traverse parent directories');
  }
  return cleaned;
}

/** Go's `20060102T150405.000000000` in UTC: the timestamp in default artifact names. */
export function fileTimestamp(date: Date, nanosWithinMs = 0): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = date.getUTCMilliseconds() * 1_000_000 + nanosWithinMs;
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}T${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}.${p(nanos, 9)}`;
}
