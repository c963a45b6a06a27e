// Bundles the tsc output (dist/load/*.js) into one ESM file per runtime entry in dist/bundle/.
// Dependencies (yaml, @noble/hashes) are inlined so each bundle stands alone (browsers, workerd);
// core.wasm is never inlined: every bundle points at the one dist/core.wasm ('../core.wasm').
import { nodeResolve } from '@rollup/plugin-node-resolve';

const entries = ['node', 'deno', 'browser', 'workerd', 'portable'];

const runtimeBundles = entries.map((name) => ({
  input: `dist/load/${name}.js`,
  output: {
    file: `dist/bundle/${name}.js`,
    format: 'es',
    banner: `// gait-wasm ${name} entry (bundled by rollup from dist/load/${name}.js)`,
  },
  // node: builtins stay imports; the .wasm stays a separate file (workerd imports it as a module).
  external: (id) => id.startsWith('node:') || id.endsWith('.wasm'),
  plugins: [
    // yaml's `default` export is its ESM build (its `node` one is CommonJS): prefer it everywhere.
    nodeResolve({ exportConditions: ['import', 'module', 'default'], browser: name === 'browser', preferBuiltins: true }),
  ],
  onwarn(warning, warn) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.ids?.join() ?? '')) return;
    throw new Error(`rollup (${name}): ${warning.message}`);
  },
}));

// The CLI as one file: a command-line call is mostly start-up, and resolving and loading ~100
// small modules (70 of them yaml's CommonJS build) costs more than parsing one bundle.
const cliBundle = {
  input: 'dist/cli/main.js',
  output: { file: 'dist/bundle/cli.js', format: 'es', inlineDynamicImports: true, banner: '// gait-wasm CLI (bundled by rollup from dist/cli/main.js)' },
  external: (id) => id.startsWith('node:') || id.endsWith('.wasm'),
  plugins: [nodeResolve({ exportConditions: ['import', 'module', 'default'], preferBuiltins: true })],
  onwarn(warning) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.ids?.join() ?? '')) return;
    throw new Error(`rollup (cli): ${warning.message}`);
  },
};

export default [...runtimeBundles, cliBundle];
