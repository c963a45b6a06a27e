// webpack 5 with no loaders: `new URL('../core.wasm', import.meta.url)` in gait-wasm becomes an asset.
import webpack from 'webpack';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
webpack({ mode: 'production', context: here, entry: './main.js', target: 'web', output: { path: `${here}dist`, filename: 'main.js', publicPath: 'auto' } }, (err, stats) => {
  if (err || stats.hasErrors()) {
    console.error(err ?? stats.toString('errors-only'));
    process.exit(1);
  }
});
