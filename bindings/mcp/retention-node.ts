/**
 * `gait mcp serve` retention (mcp.md §10.7): after each successful evaluation, prune the trace,
 * runpack, pack and session directories by age and/or count, and report what was removed as
 * warnings (`retention_trace_removed_age=<a> removed_count=<c>`) or, on any failure, only
 * `retention_<class>_error=<err>` for that class. Runs are serialized, so two requests finishing
 * together do not race to remove the same file; worker processes (`--workers`) do race, so a
 * file that is already gone is skipped and left to the count of the worker that removed it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { goPathError } from '../os-error.js';

export type RetentionClassName = 'trace' | 'runpack' | 'pack' | 'session';

export interface RetentionClass {
  readonly name: RetentionClassName;
  readonly dir: string;
  /** Nanoseconds; 0 disables the age rule. */
  readonly maxAgeNs: bigint;
  /** 0 disables the count rule. */
  readonly maxCount: number;
}

/** Which file names (lowercased) a class owns. */
const OWNS: Record<RetentionClassName, (name: string) => boolean> = {
  trace: (n) => n.endsWith('.json') && n.includes('trace'),
  runpack: (n) => n.endsWith('.zip') && (n.startsWith('runpack_') || n.includes('_cp_')),
  pack: (n) => n.endsWith('.zip') && n.startsWith('pack_'),
  session: (n) => n.endsWith('.json') || n.endsWith('.jsonl') || n.endsWith('.state'),
};

const ORDER: readonly RetentionClassName[] = ['trace', 'runpack', 'pack', 'session'];

class StepError extends Error {}

async function step<T>(op: string, file: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new StepError(goPathError(err, op, file));
  }
}

/** Same, but a file another server removed first (`--workers`, one folder) is `undefined`, not an error. */
async function stepUnlessGone<T>(op: string, file: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StepError(goPathError(err, op, file));
  }
}

async function prune(c: RetentionClass, nowNs: bigint): Promise<string | undefined> {
  const entries = await step('open', c.dir, () => fs.readdir(c.dir, { withFileTypes: true }));
  const files: Array<{ file: string; mtimeNs: bigint }> = [];
  for (const entry of entries) {
    if (entry.isDirectory() || !OWNS[c.name](entry.name.toLowerCase())) continue;
    const file = path.join(c.dir, entry.name);
    const stat = await stepUnlessGone('lstat', file, () => fs.lstat(file, { bigint: true }));
    if (stat === undefined) continue;
    files.push({ file, mtimeNs: stat.mtimeNs });
  }
  files.sort((a, b) => (a.mtimeNs !== b.mtimeNs ? (a.mtimeNs > b.mtimeNs ? -1 : 1) : a.file < b.file ? 1 : a.file > b.file ? -1 : 0));
  let byAge = 0;
  let byCount = 0;
  for (let i = 0; i < files.length; i++) {
    const { file, mtimeNs } = files[i]!;
    const old = c.maxAgeNs > 0n && nowNs - mtimeNs > c.maxAgeNs;
    const extra = c.maxCount > 0 && i >= c.maxCount;
    if (!old && !extra) continue;
    const removed = await stepUnlessGone('remove', file, () => fs.unlink(file).then(() => true));
    if (!removed) continue; // counted by the server that removed it
    if (old) byAge++;
    if (extra) byCount++;
  }
  return byAge + byCount > 0 ? `retention_${c.name}_removed_age=${byAge} removed_count=${byCount}` : undefined;
}

/**
 * The retention hook for createDecisionService, or undefined when no class has a directory and
 * a limit. Never rejects: every failure becomes that class's `retention_<class>_error=` warning.
 */
export function retentionHook(classes: readonly RetentionClass[], nowNs: () => bigint = () => BigInt(Date.now()) * 1_000_000n): (() => Promise<string[]>) | undefined {
  const active = ORDER.map((name) => classes.find((c) => c.name === name))
    .filter((c): c is RetentionClass => c !== undefined && c.dir !== '' && (c.maxAgeNs > 0n || c.maxCount > 0));
  if (active.length === 0) return undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const run = async (): Promise<string[]> => {
    const warnings: string[] = [];
    for (const c of active) {
      try {
        const w = await prune(c, nowNs());
        if (w) warnings.push(w);
      } catch (err) {
        warnings.push(`retention_${c.name}_error=${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return warnings;
  };
  return () => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
}
