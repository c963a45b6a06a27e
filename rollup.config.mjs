// Bundles the tsc output (dist/load/*.js) into one ESM file per runtime entry in dist/bundle/.
// Dependencies (yaml, @noble/hashes) are inlined so each bundle stands alone (browsers, workerd);
// core.wasm is never inlined: every bundle points at the one dist/core.wasm ('../core.wasm').
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

// The Redis client stays a dependency imported when a redis:// URL is used (stores/redis.ts),
// never inlined: bundles and CLI start-up do not carry a Redis client they rarely need. The MCP
// SDK is an optional peer, imported only by `gait mcp gate` (integrations/mcp-server*.ts).
const external = (id) =>
  id.startsWith('node:') || id.endsWith('.wasm') || id === '@redis/client' || id.startsWith('@modelcontextprotocol/sdk');

const entries = ['node', 'deno', 'browser', 'workerd', 'portable'];

const runtimeBundles = entries.map((name) => ({
  input: `dist/load/${name}.js`,
  output: {
    file: `dist/bundle/${name}.js`,
    format: 'es',
    banner: `// gait-wasm ${name} entry (bundled by rollup from dist/load/${name}.js)`,
  },
  // node: builtins stay imports; the .wasm stays a separate file (workerd imports it as a module).
  external,
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
  output: [
    // One copy of the CLI, as a classic script for bin/gait.js, which runs it through vm.Script with the
    // V8 code cache that scripts/cli-code-cache.mjs writes beside it (cli-script.js.cache): ES
    // modules cannot take a code cache on Node 20 (no module.enableCompileCache). The file is one
    // function expression taking CommonJS's wrapper arguments; its source must not change after the
    // cache is made (V8 rejects a cache whose source differs, and the loader then compiles afresh).
    {
      file: 'dist/bundle/cli-script.js',
      format: 'cjs',
      inlineDynamicImports: true,
      dynamicImportInCjs: false, // vm.Script has no dynamic import() without a callback: require() instead
      banner: '// gait-wasm CLI as a script for bin/gait.js (bundled by rollup from dist/cli/main.js)\n(function (exports, require, module, __filename, __dirname) {',
      footer: '})',
    },
  ],
  external,
  plugins: [nodeResolve({ exportConditions: ['import', 'module', 'default'], preferBuiltins: true })],
  onwarn(warning) {
    if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.ids?.join() ?? '')) return;
    throw new Error(`rollup (cli): ${warning.message}`);
  },
};

// The decide-only entries (`gait-wasm/compiled`): compiled policies in, decisions out; no YAML
// parser in their import graph (test/compiled/bundle.test.ts checks the output).
const decideEntries = ['node', 'browser', 'workerd', 'portable'];
const decideBundles = decideEntries.map((name) => ({
  input: `dist/compiled/entry-${name}.js`,
  output: { file: `dist/bundle/compiled-${name}.js`, format: 'es', banner: `// gait-wasm decide-only ${name} entry (bundled by rollup from dist/compiled/entry-${name}.js)` },
  external,
  // Minified: an edge function pays for every byte it downloads and parses on a cold start.
  plugins: [
    nodeResolve({ exportConditions: ['import', 'module', 'default'], browser: name === 'browser', preferBuiltins: true }),
    terser({ module: true, ecma: 2022, format: { comments: false, preamble: `// gait-wasm decide-only ${name} entry (bundled by rollup from dist/compiled/entry-${name}.js)` } }),
  ],
  onwarn(warning) {
    throw new Error(`rollup (compiled-${name}): ${warning.message}`);
  },
}));

export default [...runtimeBundles, ...decideBundles, cliBundle];
