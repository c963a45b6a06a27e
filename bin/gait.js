#!/usr/bin/env node
// The `gait` command. Start-up is most of a call, so the CLI is bundled into one file and, where
// the build left one, compiled from a V8 code cache: dist/bundle/cli-script.js (a classic script,
// one function expression) with dist/bundle/cli-script.js.cache, written at build time by
// scripts/cli-code-cache.mjs after a warm-up run. A missing or rejected cache (another Node/V8
// version or flags) only costs the compile.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

async function loadCli() {
  const file = fileURLToPath(new URL('../dist/bundle/cli-script.js', import.meta.url));
  let source;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    // Only a source checkout can lack it: the package ships the built CLI.
    process.stderr.write(`gait: ${file} is missing: run \`npm run build\` in the gait-wasm checkout first\n`);
    process.exit(1);
  }
  let cachedData;
  if (!process.env.GAIT_NO_CODE_CACHE) {
    try {
      cachedData = readFileSync(`${file}.cache`);
    } catch {
      // no cache: compile from source
    }
  }
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

const { runCli } = await loadCli();

// A reader that goes away (`gait ... | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
