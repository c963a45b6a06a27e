/**
 * `next:` hints that run as printed, from where the user is: the command is `gait` when this
 * package's `gait` is on the PATH (a global install), else `npx gait` (a project's dependency, or
 * this checkout); a file is named relative to the working directory when it lies inside it, else
 * by its absolute path; arguments the shell would split or expand are quoted.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { packagePath } from './files.js';

/** `gait` or `npx gait`, whichever runs this package's CLI from the user's shell. */
export function gaitCommand(env: Readonly<Record<string, string | undefined>>): string {
  const bin = packagePath('bin/gait.js');
  if (!bin) return 'npx gait';
  let own: string;
  try {
    own = realpathSync(bin);
  } catch {
    return 'npx gait';
  }
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    // npm and npx put node_modules/.bin on the PATH of the command they run, not of the user's shell.
    if (dir === '' || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue;
    try {
      if (realpathSync(path.join(dir, 'gait')) === own) return 'gait';
    } catch {
      // not there
    }
  }
  return 'npx gait';
}

/** A file as the user can name it from `cwd`, quoted for a POSIX shell where needed. */
export function userPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const shown = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shellWord(shown);
}

/** `word`, single-quoted unless it is made only of characters the shell takes literally. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
