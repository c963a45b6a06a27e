#!/usr/bin/env node
// The `gait` command: runs the CLI bundled into one file (dist/bundle/cli.js; start-up is most of a call).
import { runCli } from '../dist/bundle/cli.js';

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
