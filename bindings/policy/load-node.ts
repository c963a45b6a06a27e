/**
 * Node file loading for policies (`LoadPolicyFile`, policy.md §1): read failures become
 * `read policy: <os error>` in Go's wording (`open <path>: no such file or directory`), so CLI
 * output matches Gait's. Only a regular file is read (a FIFO or `/dev/zero` is refused), and never
 * more than the size limit + 1 bytes.
 */
import { invalidInput } from '../errors.js';
import { readRegularFile, readRegularFileSync, readFailureText, FileTooLargeError } from '../read-file-node.js';
import type { Policy } from './model.js';
import { parsePolicyBytes } from './parse.js';
import { MAX_POLICY_BYTES } from './yaml-source.js';

/** The bytes of a policy file (at most MAX_POLICY_BYTES). Throws GaitError (invalid_input). */
export async function readPolicyFile(path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, MAX_POLICY_BYTES);
  } catch (e) {
    throw policyReadError(e, path);
  }
}

/** readPolicyFile, synchronously (a server re-reading its policy for every request). */
export function readPolicyFileSync(path: string): Uint8Array {
  try {
    return readRegularFileSync(path, MAX_POLICY_BYTES);
  } catch (e) {
    throw policyReadError(e, path);
  }
}

function policyReadError(e: unknown, path: string): Error {
  if (e instanceof FileTooLargeError) return invalidInput(`policy exceeds maximum size of ${MAX_POLICY_BYTES} bytes`);
  return invalidInput(`read policy: ${readFailureText(e, path)}`);
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  return parsePolicyBytes(await readPolicyFile(path));
}
