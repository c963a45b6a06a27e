// Prints the README's sizes table: core.wasm and each runtime bundle, raw and gzipped (level 9).
//   npm run build && node test/runtimes/sizes.mjs
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const file = (p) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [['`dist/core.wasm`', 'dist/core.wasm']];
for (const name of ['node', 'deno', 'browser', 'workerd', 'portable']) rows.push([`\`dist/bundle/${name}.js\` (${name === 'portable' ? 'default' : name})`, `dist/bundle/${name}.js`]);
// The decide-only entries (gait-wasm/compiled): no YAML parser; the goal counts core.wasm with them.
for (const name of ['node', 'browser', 'workerd', 'portable']) rows.push([`\`dist/bundle/compiled-${name}.js\` (gait-wasm/compiled, ${name === 'portable' ? 'default' : name})`, `dist/bundle/compiled-${name}.js`]);
const lines = ['| file | raw | gzip -9 |', '|---|---:|---:|'];
for (const [label, path] of rows) {
  const bytes = file(path);
  lines.push(`| ${label} | ${kib(bytes.length)} | ${kib(gzipSync(bytes, { level: 9 }).length)} |`);
}
const wasmGzip = gzipSync(file('dist/core.wasm'), { level: 9 }).length;
const decide = Math.max(...['node', 'browser', 'workerd', 'portable'].map((n) => gzipSync(file(`dist/bundle/compiled-${n}.js`), { level: 9 }).length));
lines.push(`| decide-only bundle + \`core.wasm\` (largest) | | ${kib(decide + wasmGzip)} |`);
console.log(lines.join('\n'));
