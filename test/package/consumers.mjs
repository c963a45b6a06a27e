// Consumer projects built from the packed tarball, as a user's project would see gait-wasm: the
// tarball extracted to node_modules/gait-wasm (what `npm install ./gait-wasm-x.tgz` leaves), every
// other package linked from the repository's node_modules (the bundlers are its devDependencies),
// so nothing is fetched at test time. One `npm pack` per run; dist/ must be built first.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM helpers
import { ROOT, exec } from '../runtimes/runtimes.mjs';

const FIXTURES = fileURLToPath(new URL('./consumers/', import.meta.url));
/** The tools the consumer projects build with (the repository's pinned devDependencies). */
const TOOLS = ['vite', 'webpack', 'esbuild', 'wrangler', 'bun'];

/** A package's dependencies and theirs, as installed (hoisted) in the repository's node_modules. */
function dependencyClosure(packageJson) {
  const seen = new Set();
  const visit = (file) => {
    const { dependencies = {}, optionalDependencies = {} } = JSON.parse(readFileSync(file, 'utf8'));
    for (const name of Object.keys({ ...dependencies, ...optionalDependencies })) {
      const installed = join(ROOT, 'node_modules', name, 'package.json');
      if (seen.has(name) || !existsSync(installed)) continue; // an optional one not installed here
      seen.add(name);
      visit(installed);
    }
  };
  visit(packageJson);
  return seen;
}

/** Packs the repository (without re-running the build: tests must not rewrite dist/ under others). */
export async function packTarball(into) {
  const r = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', into], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`npm pack failed (exit ${r.code}):\n${r.stderr}`);
  const [{ filename }] = JSON.parse(r.stdout);
  return join(into, filename.replace(/^@[^/]+\//, '').replace('/', '-'));
}

/** A fresh workspace with one packed tarball; `consumer(name)` lays out a project in it. */
export async function packageWorkspace() {
  const root = mkdtempSync(join(tmpdir(), 'gait-package-'));
  const tarball = await packTarball(root);
  return {
    root,
    tarball,
    /** Copies consumers/<name> and consumers/shared into a new project with the tarball installed. */
    async consumer(name) {
      const dir = join(root, name);
      cpSync(join(FIXTURES, name), dir, { recursive: true });
      cpSync(join(FIXTURES, 'shared'), dir, { recursive: true });
      const modules = join(dir, 'node_modules');
      const pkg = join(modules, 'gait-wasm');
      mkdirSync(pkg, { recursive: true });
      const tar = await exec('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
      if (tar.code !== 0) throw new Error(`tar failed: ${tar.stderr}`);
      // What `npm install gait-wasm.tgz` plus the bundler devDependencies would leave, no more: the
      // package's own dependencies (and theirs), the tools, and .bin. Optional peers are not there.
      const linked = [...TOOLS, ...dependencyClosure(join(pkg, 'package.json'))];
      for (const name of new Set(['.bin', ...linked])) {
        mkdirSync(dirname(join(modules, name)), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
      }
      return dir;
    },
    close: () => rmSync(root, { recursive: true, force: true }),
  };
}

// No telemetry, error reports or update checks from the tools (tests talk to loopback only).
const QUIET = { NO_COLOR: '1', DO_NOT_TRACK: '1', npm_config_update_notifier: 'false', WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false' };

/** `npm run <script>` in a consumer project; throws with its output when it fails. */
export async function npmRun(dir, script, { timeoutMs = 240_000 } = {}) {
  const r = await exec('npm', ['run', '--silent', script], { cwd: dir, timeoutMs, env: { ...process.env, ...QUIET } });
  if (r.code !== 0) throw new Error(`npm run ${script} in ${dir} failed (exit ${r.code ?? r.signal}):\n${r.stdout}\n${r.stderr}`.slice(-6000));
  return r;
}
