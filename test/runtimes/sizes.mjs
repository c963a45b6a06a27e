// Prints the README's sizes table: core.wasm and each runtime bundle, raw and gzipped (level 9).
//   npm run build && node test/runtimes/sizes.mjs
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const file = (p) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [['`dist/core.wasm`', 'dist/core.wasm']];
for (const name of ['node', 'deno', 'browser', 'workerd', 'portable']) rows.push([`\`dist/bundle/${name}.js\` (${name === 'portable' ? 'default' : name})`, `dist/bundle/${name}.js`]);
const lines = ['| file | raw | gzip -9 |', '|---|---:|---:|'];
for (const [label, path] of rows) {
  const bytes = file(path);
  lines.push(`| ${label} | ${kib(bytes.length)} | ${kib(gzipSync(bytes, { level: 9 }).length)} |`);
}
console.log(lines.join('\n'));
