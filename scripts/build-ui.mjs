/**
 * Build step (after rollup): the policy workbench as a static site in dist/ui/, hostable as is.
 *   dist/ui/index.html, style.css     copied from ui/
 *   dist/ui/app.js                    the page's own code (ui/*.js), bundled by rollup
 *   dist/ui/examples.js               Gait's example policies and intents (see below)
 *   dist/ui/engine.js, core.wasm      copies of the package's browser build and its WebAssembly
 *                                     (dist/bundle/browser.js, dist/core.wasm), which app.js
 *                                     imports by their public names
 * The package leaves the two copies out (package.json `files`): `gait ui` serves the originals.
 * Gait's example policies and intents (examples/policy_templates, examples/gait) are bundled into
 * examples.js as the module `gait:examples`, so the page needs no fetch for them.
 *
 *   node scripts/build-ui.mjs [--out <dir>]   (default dist/ui)
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const outArg = process.argv.indexOf('--out');
const OUT = outArg > 0 ? process.argv[outArg + 1] : join(ROOT, 'dist/ui');
const EXAMPLE_DIRS = ['examples/policy_templates', 'examples/gait'];
const EXAMPLES_ID = 'gait:examples';
const ENGINE = join(ROOT, 'dist/bundle/browser.js');

/** Every .yaml and .json file under the example folders, by repository-relative path (sorted). */
function exampleFiles() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/.test(name)) files.push(p);
    }
  };
  for (const d of EXAMPLE_DIRS) walk(join(ROOT, d));
  return files.map((p) => ({ path: relative(join(ROOT, 'examples'), p), text: readFileSync(p, 'utf8') }));
}

const examplesPlugin = {
  name: 'gait-examples',
  resolveId: (id) => (id === EXAMPLES_ID ? id : null),
  load(id) {
    if (id !== EXAMPLES_ID) return null;
    const files = exampleFiles();
    const policies = files.filter((f) => /\.ya?ml$/.test(f.path));
    const intents = files.filter((f) => f.path.endsWith('.json'));
    return `export const POLICIES = ${JSON.stringify(policies)};\nexport const INTENTS = ${JSON.stringify(intents)};\n`;
  },
};

const bundle = await rollup({
  input: { app: join(ROOT, 'ui/app.js') },
  plugins: [examplesPlugin],
  external: (id, importer) => importer !== undefined && join(importer, '..', id) === ENGINE,
  onwarn(warning) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.ids?.join() ?? '')) return;
    throw new Error(`rollup (ui): ${warning.message}`);
  },
});
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await bundle.write({
  dir: OUT,
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: '[name].js',
  manualChunks: (id) => (id === EXAMPLES_ID ? 'examples' : undefined),
  paths: (id) => (id === ENGINE ? './engine.js' : id),
});
await bundle.close();
for (const f of ['index.html', 'style.css']) copyFileSync(join(ROOT, 'ui', f), join(OUT, f));
copyFileSync(ENGINE, join(OUT, 'engine.js'));
copyFileSync(join(ROOT, 'dist/core.wasm'), join(OUT, 'core.wasm'));
