// Consumer projects built from the packed tarball, as a user's project would see gait-wasm: the
// tarball extracted to node_modules/gait-wasm (what `npm install ./gait-wasm-x.tgz` leaves), every
// other package linked from the repository's node_modules (the bundlers are its devDependencies),
// so nothing is fetched at test time. One `npm pack` per run; dist/ must be built first.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM helpers
import { ROOT, exec } from '../runtimes/runtimes.mjs';

const FIXTURES = fileURLToPath(new URL('./consumers/', import.meta.url));

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
      for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
        if (entry === 'gait-wasm' || entry === '.package-lock.json') continue;
        symlinkSync(join(ROOT, 'node_modules', entry), join(modules, entry));
      }
      return dir;
    },
    close: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `npm run <script>` in a consumer project; throws with its output when it fails. */
export async function npmRun(dir, script, { timeoutMs = 240_000 } = {}) {
  const r = await exec('npm', ['run', '--silent', script], { cwd: dir, timeoutMs, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  if (r.code !== 0) throw new Error(`npm run ${script} in ${dir} failed (exit ${r.code ?? r.signal}):\n${r.stdout}\n${r.stderr}`.slice(-6000));
  return r;
}
