/**
 * The job-state port on a file system (mcp.md §7.6): `<job-root>/<job_id>/state.json`, as
 * Gait's job runtime lays it out. Rejects with the reason the state is unavailable (`job not
 * found`, …), which blocks the call.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ReadJobState } from './types.js';

const MAX_STATE_BYTES = 1 << 20;

export function fileJobState(jobRoot: string): ReadJobState {
  return async (jobId) => {
    const file = path.join(jobRoot, jobId, 'state.json');
    let text: string;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new Error('job state is not a regular file');
      if (stat.size > MAX_STATE_BYTES) throw new Error('job state exceeds size limit');
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new Error('job not found');
      throw err;
    }
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch (err) {
      throw new Error(`decode job state: ${(err as Error).message}`);
    }
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new Error('decode job state: not an object');
    const { status, stop_reason } = state as Record<string, unknown>;
    return { status: typeof status === 'string' ? status : '', stop_reason: typeof stop_reason === 'string' ? stop_reason : '' };
  };
}
