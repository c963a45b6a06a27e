/**
 * Node implementation of {@link KeyIO}: files through `node:fs/promises`, environment from
 * `process.env` (or a given map). Read errors carry Go's `os` error text
 * (`open <path>: no such file or directory`), which the key loader wraps as
 * `read private key: …` / `read public key: …` (signed_artifacts.md §1.1).
 */
import { readFile } from 'node:fs/promises';
import type { KeyIO } from './keys.js';
import { goPathError } from '../os-error.js';

/** Go's `*PathError` text for a failed `os.ReadFile(path)`. */
export function goReadFileError(err: unknown, path: string): string {
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  // os.ReadFile opens first (open errors), then reads (a directory fails at read time in Go).
  const op = code === 'EISDIR' ? 'read' : 'open';
  return goPathError(err, op, path);
}

export function nodeKeyIO(env: Readonly<Record<string, string | undefined>> = process.env): KeyIO {
  return {
    async readFile(path: string): Promise<string> {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        throw new Error(goReadFileError(err, path));
      }
    },
    env(name: string): string | undefined {
      return env[name];
    },
  };
}
