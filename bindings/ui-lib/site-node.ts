/** The workbench site's files read from a directory (the package's dist/ui/ by default). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_FILES } from './site.js';

/** dist/ui/ of this package (seen from dist/ui-lib/ or dist/bundle/). */
export const UI_DIR: string = fileURLToPath(new URL('../ui/', import.meta.url));

/** Reads one of the site's files from `dir`; undefined for any other name or a missing file. */
export function uiFileReader(dir: string = UI_DIR): (name: string) => Promise<Uint8Array | undefined> {
  return async (name) => {
    if (!Object.hasOwn(UI_FILES, name)) return undefined;
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch {
      return undefined;
    }
  };
}
