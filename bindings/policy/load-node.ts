/**
 * Node file loading for policies (`LoadPolicyFile`, policy.md §1): read failures become
 * `read policy: <os error>` in Go's wording (`open <path>: no such file or directory`), so CLI
 * output matches Gait's. Oversized files are refused from their size, before being read.
 */
import { open } from 'node:fs/promises';
import { invalidInput } from '../errors.js';
import { goPathError } from '../os-error.js';
import type { Policy } from './model.js';
import { parsePolicyBytes } from './parse.js';
import { MAX_POLICY_BYTES } from './yaml-source.js';

export async function loadPolicyFile(path: string): Promise<Policy> {
  let bytes: Uint8Array;
  let op = 'open';
  try {
    const handle = await open(path, 'r');
    try {
      op = 'read';
      const { size } = await handle.stat();
      if (size > MAX_POLICY_BYTES) throw invalidInput(`policy exceeds maximum size of ${MAX_POLICY_BYTES} bytes`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof Error && e.name === 'GaitError') throw e;
    throw invalidInput(`read policy: ${goPathError(e, op, path)}`);
  }
  return parsePolicyBytes(bytes);
}
