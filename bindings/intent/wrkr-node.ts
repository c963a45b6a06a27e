/**
 * Loading a Wrkr inventory from disk (intent.md §5): path trimmed and cleaned like Go's
 * filepath.Clean, `stat`/`read` errors in Go's wording, and a per-process cache keyed by the
 * cleaned path that is refreshed when the file's modification time changes. Only a regular file
 * of at most MAX_WRKR_INVENTORY_BYTES is read (Gait has no limit; a FIFO or `/dev/zero` is refused).
 */
import { promises as fs } from 'node:fs';
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { goPathError } from './load-node.js';
import { readRegularFile, readFailureText, utf8Text } from '../read-file-node.js';
import { parseWrkrInventory, type WrkrInventoryMap } from './wrkr.js';

/** 16 MiB: tens of thousands of tools. */
export const MAX_WRKR_INVENTORY_BYTES = 16 * 1024 * 1024;

/** Go's filepath.Clean for slash-separated paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

const cache = new Map<string, { mtimeMs: number; tools: WrkrInventoryMap }>();

/** Loads (or returns the cached) inventory. Throws GaitError (invalid_input) with Gait's texts. */
export async function loadWrkrInventory(path: string): Promise<WrkrInventoryMap> {
  const trimmed = goTrim(path);
  if (trimmed === '') throw invalidInput('wrkr inventory path is required');
  const clean = cleanPath(trimmed);
  let mtimeMs: number;
  try {
    mtimeMs = (await fs.stat(clean)).mtimeMs;
  } catch (err) {
    throw invalidInput(`stat wrkr inventory: ${goPathError(err, 'stat', clean)}`);
  }
  const hit = cache.get(clean);
  if (hit && hit.mtimeMs === mtimeMs) return hit.tools;
  let text: string;
  try {
    text = utf8Text(await readRegularFile(clean, MAX_WRKR_INVENTORY_BYTES));
  } catch (err) {
    throw invalidInput(`read wrkr inventory: ${readFailureText(err, clean)}`);
  }
  const tools = parseWrkrInventory(text);
  cache.set(clean, { mtimeMs, tools });
  return tools;
}
