/**
 * The workbench site's files from disk: a built site folder (every file in it), or this package,
 * where dist/ui/ holds the page and the engine and its WebAssembly are the package's own
 * dist/bundle/browser.js and dist/core.wasm (one copy of each in the package).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_FILES } from './site.js';

type FileReader = (name: string) => Promise<Uint8Array | undefined>;

async function readOrUndefined(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    return undefined;
  }
}

/** Reads the site's files from a built site folder (such as dist/ui/ after `npm run build`). */
export function uiFileReader(dir: string): FileReader {
  return async (name) => (Object.hasOwn(UI_FILES, name) ? readOrUndefined(join(dir, name)) : undefined);
}

/** Reads the site's files from a package root (the installed gait-wasm by default). */
export function packageUiFileReader(root: string = fileURLToPath(new URL('../../', import.meta.url))): FileReader {
  const shared: Record<string, string> = { 'engine.js': 'dist/bundle/browser.js', 'core.wasm': 'dist/core.wasm' };
  return async (name) => {
    if (!Object.hasOwn(UI_FILES, name)) return undefined;
    return readOrUndefined(join(root, shared[name] ?? `dist/ui/${name}`));
  };
}
