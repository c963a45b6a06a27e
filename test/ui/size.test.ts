// The workbench's own JavaScript stays small: no editor library, just the page's code (app.js)
// beside the engine (engine.js, the package's browser build) and Gait's bundled examples.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const UI = new URL('../../dist/ui/', import.meta.url);
const size = (name: string) => {
  const bytes = readFileSync(new URL(name, UI));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};

describe('the workbench size budget', () => {
  it('app.js (the page) under 32 KiB raw and 10 KiB gzipped', () => {
    const app = size('app.js');
    expect(app.raw).toBeLessThan(32 * 1024);
    expect(app.gzip).toBeLessThan(10 * 1024);
  });

  it('engine.js is the package browser build, unchanged', () => {
    expect(readFileSync(new URL('engine.js', UI))).toEqual(readFileSync(new URL('../bundle/browser.js', UI)));
  });

  it('the page imports only its own files', () => {
    const app = readFileSync(new URL('app.js', UI), 'utf8');
    const imports = [...app.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['./engine.js', './examples.js']);
  });
});
