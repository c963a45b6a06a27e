/**
 * Node implementation of {@link KeyIO}: regular files of at most MAX_KEY_FILE_BYTES (a FIFO or
 * `/dev/zero` is refused), environment from
 * `process.env` (or a given map). Read errors carry Go's `os` error text
 * (`open <path>: no such file or directory`), which the key loader wraps as
 * `read private key: …` / `read public key: …` (signed_artifacts.md §1.1).
 */
import type { KeyIO } from './keys.js';
import { goPathError } from '../os-error.js';
import { readRegularFile, readRegularFileSync, readFailureText, utf8Text, FileTooLargeError } from '../read-file-node.js';

/**
 * Key files are a line of base64 (an ed25519 key is 88 characters at most): 64 KiB leaves room
 * for whitespace and comments and still refuses anything that is not a key.
 */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Go's `*PathError` text for a failed `os.ReadFile(path)`. */
export function goReadFileError(err: unknown, path: string): string {
  const e = err as { code?: string; op?: unknown };
  if (err instanceof FileTooLargeError || typeof e?.op === 'string') return readFailureText(err, path);
  // os.ReadFile opens first (open errors), then reads (a directory fails at read time in Go).
  return goPathError(err, e?.code === 'EISDIR' ? 'read' : 'open', path);
}

/**
 * `syncReads`: read key files with the synchronous reader (same checks, same errors), for a server
 * that re-reads its key for every request and would otherwise pay for four promise round trips.
 */
export function nodeKeyIO(env: Readonly<Record<string, string | undefined>> = process.env, options: { syncReads?: boolean } = {}): KeyIO {
  const read = options.syncReads ? async (path: string) => readRegularFileSync(path, MAX_KEY_FILE_BYTES) : (path: string) => readRegularFile(path, MAX_KEY_FILE_BYTES);
  return {
    async readFile(path: string): Promise<string> {
      try {
        return utf8Text(await read(path));
      } catch (err) {
        throw new Error(goReadFileError(err, path));
      }
    },
    env(name: string): string | undefined {
      return env[name];
    },
  };
}
