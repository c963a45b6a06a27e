// Bundles edge.js as Vercel's builder does: the edge-light condition, one classic script (no
// import.meta), and each `.wasm?module` import turned into a binding the host provides: the host
// compiles the .wasm file and hands the module to the function's realm as a global.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const wasm = {};
const wasmModules = {
  name: 'wasm-module-bindings',
  setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
      const path = createRequire(`${args.resolveDir}/`).resolve(args.path.slice(0, -'?module'.length));
      const binding = Object.keys(wasm).find((k) => wasm[k] === path) ?? `wasm_${Object.keys(wasm).length}`;
      wasm[binding] = path;
      return { path: binding, namespace: 'wasm-binding' };
    });
    b.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, (args) => ({ contents: `export default globalThis.${args.path};`, loader: 'js' }));
  },
};

// Bundles an edge function module into out/<name>.js, as Vercel wraps it: one fetch listener.
async function bundle(name) {
  await build({
    stdin: {
      contents: `import handler from './${name}.js'; addEventListener('fetch', (event) => event.respondWith(handler(event.request)));`,
      resolveDir: '.',
    },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022', // what edge runtimes run (esbuild's default, esnext, may use APIs they lack)
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    loader: { '.gaitc': 'binary' }, // a compiled policy bundled as bytes
    outfile: `out/${name}.js`,
    logLevel: 'warning',
    plugins: [wasmModules],
  });
}

await bundle('edge');
await bundle('edge-compiled');
writeFileSync('out/wasm-bindings.json', JSON.stringify(wasm));
