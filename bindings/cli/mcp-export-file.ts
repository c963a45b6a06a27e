/**
 * Export files of `gait mcp proxy|serve` (mcp.md §11): one JSON line appended per evaluation,
 * parent folders made 0750, the file 0600, a sibling `<file>.lock` held while appending.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GaitError, invalidInput } from '../errors.js';
import { acquireStateLock } from './state-lock.js';
import { mkdirAll, resolveOutputPath, OutputPathError } from './files.js';
import type { McpExportTarget } from '../mcp/proxy.js';

const NOT_LOCAL = 'append export file: path must be local relative or absolute';

/** The cleaned export path; Gait's error for a relative path climbing out (`..`). */
export function exportFilePath(given: string): string {
  const cleaned = path.normalize(given.trim());
  if (cleaned === '' || cleaned === '.') throw invalidInput(NOT_LOCAL);
  if (!path.isAbsolute(cleaned) && (cleaned === '..' || cleaned.startsWith('../'))) throw invalidInput(NOT_LOCAL);
  return cleaned;
}

/** An export target appending to `given` (reported under that trimmed name). */
export function exportFileTarget(given: string): McpExportTarget {
  const name = given.trim();
  const file = exportFilePath(given);
  return {
    name,
    async append(line: string): Promise<void> {
      try {
        await mkdirAll(path.dirname(file), 0o750);
      } catch (err) {
        throw invalidInput(`append export file: ${(err as Error).message}`);
      }
      let lock;
      try {
        lock = await acquireStateLock(`${file}.lock`);
      } catch (err) {
        if (err instanceof GaitError) throw new GaitError(`append export file: lock timeout: ${file}.lock`, err.category);
        throw err;
      }
      try {
        // Refuses FIFOs, devices, folders and dangling links before opening (a FIFO would block).
        const target = await resolveOutputPath(file);
        const handle = await fs.open(target, 'a', 0o600);
        try {
          const stat = await handle.stat();
          if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
          await handle.appendFile(line);
        } finally {
          await handle.close();
        }
      } catch (err) {
        if (err instanceof GaitError) throw err;
        if (err instanceof OutputPathError) throw invalidInput(`append export file: ${err.message}`);
        throw new GaitError(`append export file: ${(err as Error).message}`, 'io_failure');
      } finally {
        await lock.release();
      }
    },
  };
}
