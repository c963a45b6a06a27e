// Where the browser tests get a headless Chromium: CHROMIUM_PATH when set, else the system's
// (Debian's /usr/bin/chromium and the usual names), else the one shipped inside the npm package
// @sparticuz/chromium (a devDependency; Linux x64), so that `npm install && npm test` drives a real
// browser on a machine with nothing but Node. Only where none of these can be had (another
// platform) do the browser cases skip, and they say why (browserUnavailable()).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The @sparticuz/chromium package directory, when installed and usable on this platform. */
function npmChromiumDir() {
  // A glibc Linux x64 binary (it brings its own NSS, NSPR and expat, see resolveChromium).
  if (process.platform !== 'linux' || process.arch !== 'x64' || !process.report?.getReport().header.glibcVersionRuntime) return undefined;
  const dir = fileURLToPath(new URL('../../node_modules/@sparticuz/chromium/', import.meta.url));
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}

/** Where the browser comes from: { kind: 'path', path } | { kind: 'npm', dir } | { kind: 'none', reason }. */
export function chromiumSource() {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit && existsSync(explicit)) return { kind: 'path', path: explicit };
  if (!explicit) {
    const system = SYSTEM_PATHS.find((p) => existsSync(p));
    if (system) return { kind: 'path', path: system };
  }
  const dir = npmChromiumDir();
  if (dir) return { kind: 'npm', dir };
  const why = explicit ? `CHROMIUM_PATH=${explicit} does not exist` : 'no system Chromium';
  return {
    kind: 'none',
    reason: `${why}, and @sparticuz/chromium ships no browser for ${process.platform}-${process.arch} (glibc Linux x64 only): install Chromium or set CHROMIUM_PATH`,
  };
}

/** Why the browser cases cannot run here, or undefined when they can. */
export function browserUnavailable() {
  const source = chromiumSource();
  return source.kind === 'none' ? source.reason : undefined;
}

/**
 * The npm package's Chromium, unpacked once per version into the temporary directory. The package
 * unpacks into os.tmpdir() and trusts whatever it finds there, so it runs in a child with a private
 * TMPDIR, which is then renamed into place: concurrent test files never see half a binary.
 * Its libraries for Amazon Linux (NSS, NSPR, expat) are unpacked too, for machines without them.
 */
function unpackNpmChromium(dir) {
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const target = join(tmpdir(), `gait-wasm-chromium-${version}-${process.getuid?.() ?? 0}`);
  if (existsSync(join(target, 'chromium'))) return target;
  const work = mkdtempSync(`${target}.tmp-`);
  const script = "import('@sparticuz/chromium').then((m) => m.default.executablePath()).then((p) => process.stdout.write(p))";
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dirname(dirname(dirname(dir))), // the project that has node_modules/@sparticuz/chromium
    env: { ...process.env, TMPDIR: work, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || r.stdout !== join(work, 'chromium')) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`unpacking @sparticuz/chromium failed (exit ${r.status}): ${r.stderr || r.stdout}`);
  }
  try {
    renameSync(work, target);
  } catch (err) {
    rmSync(work, { recursive: true, force: true }); // another process got there first
    if (!existsSync(join(target, 'chromium'))) throw err;
  }
  return target;
}

/** Shared libraries the binary needs that the system lacks (from ldd). */
function missingLibraries(binary) {
  const r = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (r.error) return [];
  return [...r.stdout.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]);
}

/**
 * { path, env, source }: the Chromium to launch and the environment it needs. Throws when there is
 * none (callers check browserUnavailable() first and skip, saying why).
 */
export function resolveChromium() {
  const source = chromiumSource();
  if (source.kind === 'none') throw new Error(source.reason);
  if (source.kind === 'path') return { path: source.path, env: undefined, source: source.path };
  const dir = unpackNpmChromium(source.dir);
  const path = join(dir, 'chromium');
  const env = missingLibraries(path).length > 0 ? { ...process.env, LD_LIBRARY_PATH: [join(dir, 'al2023/lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') } : undefined;
  return { path, env, source: '@sparticuz/chromium' };
}

/** The path of the Chromium the browser tests launch (see resolveChromium for its environment). */
export function chromiumPath() {
  return resolveChromium().path;
}
