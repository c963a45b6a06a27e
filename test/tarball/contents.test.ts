// What `npm pack` puts in the tarball (after `npm run build`): the runtime bundles, the one CLI,
// the integrations, the declarations the `types` point to, Gait's example files with their
// notice, and nothing else: no sources, tests or second copy of the CLI. Every shipped module is
// reachable from an `exports`, `types` or `bin` target, and every package it imports is declared.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'rollup/parseAst';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const BUILT = existsSync(path.join(REPO, 'dist/bundle/cli-script.js'));

interface PackResult {
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

let pack: PackResult;
let files: Set<string>;
beforeAll(() => {
  if (!BUILT) return;
  // --ignore-scripts: `prepack` would rebuild dist/ under the feet of the other tests.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  pack = JSON.parse(out)[0];
  files = new Set(pack.files.map((f) => f.path));
}, 60_000);

/** Every string target under `exports` (all conditions), `types` and `bin`, as package paths. */
function entryTargets(): string[] {
  const targets: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') targets.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.types);
  walk(pkg.bin);
  return [...new Set(targets.map((t) => path.posix.normalize(t)))];
}

/**
 * The module specifiers a JavaScript file imports (static, dynamic and require() with a literal)
 * and the relative files it locates with `new URL(<literal>, import.meta.url)`.
 */
function jsImports(file: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as Record<string, any>;
    const literal = (s: any): void => {
      if (s?.type === 'Literal' && typeof s.value === 'string') found.push(s.value);
    };
    if (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') literal(n.source);
    if (n.type === 'ImportExpression') literal(n.source);
    if (n.type === 'CallExpression' && n.callee?.type === 'Identifier' && n.callee.name === 'require') literal(n.arguments?.[0]);
    // A file found beside the module: new URL('../core.wasm', import.meta.url).
    if (n.type === 'NewExpression' && n.callee?.name === 'URL' && n.arguments?.[1]?.object?.type === 'MetaProperty' && /^\.\.?\//.test(n.arguments[0]?.value ?? '')) literal(n.arguments[0]);
    for (const key of Object.keys(n)) if (key !== 'type') visit(n[key]);
  };
  visit(parseAst(readFileSync(path.join(REPO, file), 'utf8')));
  return found;
}

/** The module specifiers a declaration file imports (import/export ... from, import('...')). */
function dtsImports(file: string): string[] {
  const text = readFileSync(path.join(REPO, file), 'utf8');
  return [...text.matchAll(/(?:^(?:import|export)\b[^'";]*?\bfrom\s*|\bimport\(\s*)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** The package name of a bare specifier (`@scope/name/sub` -> `@scope/name`), or undefined. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Files reachable from `starts` through relative imports, and the packages they import. */
function closure(starts: string[], imports: (file: string) => string[], map: (target: string) => string = (t) => t) {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(js|d\.ts)$/.test(file) || !existsSync(path.join(REPO, file))) continue;
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) queue.push(map(path.posix.join(path.posix.dirname(file), spec)));
      else if (packageOf(spec)) packages.set(packageOf(spec)!, file);
    }
  }
  return { files: seen, packages };
}

const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);

describe.skipIf(!BUILT)('the packed tarball (npm pack --dry-run)', () => {
  it('has the licence, the notice for Gait\'s example files, the README and package.json', () => {
    for (const f of ['LICENSE', 'NOTICE', 'README.md', 'package.json']) expect(files, f).toContain(f);
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(pkg.license).toBe('Apache-2.0');
    const notice = readFileSync(path.join(REPO, 'NOTICE'), 'utf8');
    expect(notice).toMatch(/Gait/);
    for (const dir of ['examples/gait/', 'examples/policy_templates/']) {
      expect(notice).toContain(dir);
      expect([...files].some((f) => f.startsWith(dir)), dir).toBe(true);
    }
  });

  it('has every exports, types and bin target', () => {
    const missing = entryTargets().filter((t) => !files.has(t.replace(/^\.\//, '')));
    expect(missing).toEqual([]);
  });

  it('has no sources, tests, build scripts or development files', () => {
    const unwanted = [...files].filter(
      (f) =>
        /^(assembly|bindings|test|bench|scripts|conformance|build|ui|\.ci)\//.test(f) ||
        (/\.(ts|mts|cts)$/.test(f) && !/\.d\.ts$/.test(f)) ||
        /\.(map|tgz|tsbuildinfo)$/.test(f) ||
        /(^|\/)(tsconfig[^/]*|vitest\.config\.ts|rollup\.config\.mjs|asconfig\.json|package-lock\.json)$/.test(f),
    );
    expect(unwanted).toEqual([]);
  });

  it('has one copy of the CLI: the script bin/gait.js runs, with its code cache', () => {
    expect(files).toContain('dist/bundle/cli-script.js');
    expect(files).toContain('dist/bundle/cli-script.js.cache');
    expect([...files].filter((f) => /^dist\/bundle\/cli/.test(f) && !/^dist\/bundle\/cli-script\.js(\.cache)?$/.test(f))).toEqual([]);
    expect([...files].filter((f) => f.startsWith('dist/cli/'))).toEqual([]);
  });

  it('ships only JavaScript that an exports or bin target reaches (or the workbench page gait ui serves)', () => {
    const page = readFileSync(path.join(REPO, 'dist/ui/index.html'), 'utf8');
    const pageScripts = [...page.matchAll(/<script[^>]*\ssrc="\.\/([^"]+)"/g)].map((m) => `dist/ui/${m[1]}`);
    expect(pageScripts.length).toBeGreaterThan(0);
    const starts = [...entryTargets().map((t) => t.replace(/^\.\//, '')).filter((t) => t.endsWith('.js')), ...pageScripts];
    const reach = closure(starts, jsImports);
    const unreachable = [...files].filter((f) => f.endsWith('.js') && !reach.files.has(f));
    expect(unreachable).toEqual([]);
  });

  it('imports at run time only packages it declares (dependencies or peer dependencies)', () => {
    const starts = entryTargets().map((t) => t.replace(/^\.\//, '')).filter((t) => t.endsWith('.js'));
    const { packages } = closure(starts, jsImports);
    const undeclared = [...packages].filter(([name]) => !declared.has(name)).map(([name, from]) => `${name} (imported by ${from})`);
    expect(undeclared).toEqual([]);
  });

  it('ships every declaration the types reach, and those import only declared packages', () => {
    const starts = entryTargets().map((t) => t.replace(/^\.\//, '')).filter((t) => t.endsWith('.d.ts'));
    const reach = closure(starts, dtsImports, (t) => t.replace(/\.js$/, '.d.ts'));
    expect([...reach.files].filter((f) => !files.has(f))).toEqual([]);
    const undeclared = [...reach.packages].filter(([name]) => !declared.has(name)).map(([name, from]) => `${name} (imported by ${from})`);
    expect(undeclared).toEqual([]);
  });

  it('has no runtime dependencies: the bundles inline what they use', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependenciesMeta?.['@redis/client']?.optional).toBe(true);
  });

  it('builds on pack, not on every install, and declares no import-time side effects', () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.test).toMatch(/^npm run build && /);
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.repository?.url).toBeTruthy();
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.keywords?.length).toBeGreaterThan(0);
  });

  it('reports its size', () => {
    console.log(`gait-wasm tarball: ${pack.files.length} files, ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked`);
    expect(pack.size).toBeGreaterThan(0);
  });
});
