/**
 * Node file loading for policies (`LoadPolicyFile`, policy.md §1): read failures become
 * `read policy: <os error>` in Go's wording (`open <path>: no such file or directory`), so CLI
 * output matches Gait's. Oversized files are refused from their size, before being read.
 */
import { open } from 'node:fs/promises';
import { invalidInput } from '../errors.js';
import type { Policy } from './model.js';
import { parsePolicyBytes } from './parse.js';
import { MAX_POLICY_BYTES } from './yaml-source.js';

// Go's syscall error strings for the errno codes a read can plausibly hit.
const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** Go's *PathError text: `<op> <path>: <errno text>`. */
function goPathError(op: string, path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const text = GO_ERRNO_TEXT[err?.code ?? ''];
  if (text === undefined) return err instanceof Error ? err.message : String(e);
  return `${op} ${path}: ${text}`;
}

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
    throw invalidInput(`read policy: ${goPathError(op, path, e)}`);
  }
  return parsePolicyBytes(bytes);
}
