/**
 * The trust-snapshot port on a local filesystem (Node, Bun, Deno's node:fs): the policy's
 * `mcp_trust.snapshot` path resolved against a working directory and read with the bounded
 * regular-file reader, so a FIFO or `/dev/zero` there is "unavailable" instead of a hang.
 */
import * as path from 'node:path';
import { readRegularFile, readFailureText } from '../read-file-node.js';
import type { ReadTrustSnapshot } from './types.js';

/** Gait reads the snapshot whole; this bound only keeps a hostile path from exhausting memory. */
export const MAX_TRUST_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/** Reads snapshot paths relative to `cwd`; a failure rejects with Go's wording (`open <path>: …`). */
export function nodeTrustSnapshotReader(cwd: string, limit = MAX_TRUST_SNAPSHOT_BYTES): ReadTrustSnapshot {
  return async (file: string) => {
    try {
      return await readRegularFile(path.resolve(cwd, file), limit);
    } catch (err) {
      throw new Error(readFailureText(err, file));
    }
  };
}
