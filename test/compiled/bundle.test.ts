// The decide-only build (`gait-wasm/compiled`): the YAML parser is in neither its import graph
// nor its bundles, the bundle plus core.wasm stays within 40 KiB gzipped, and the published
// bundle decides in a fresh process. Reads the build output: run `npm run build` first.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ENTRIES = ['node', 'browser', 'workerd', 'portable'];

/** Every module an entry imports, statically, as [importer, specifier] (relative ones followed). */
function importGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.')) {
        if (spec.endsWith('.wasm')) continue;
        visit(path.resolve(path.dirname(file), spec));
      } else bare.add(spec);
    }
  };
  visit(path.join(REPO, `dist/compiled/entry-${entry}.js`));
  return { files, bare };
}

describe('decide-only build', () => {
  it('is built', () => {
    for (const e of ENTRIES) expect(existsSync(path.join(REPO, `dist/bundle/compiled-${e}.js`)), e).toBe(true);
  });

  for (const entry of ENTRIES) {
    it(`${entry}: no YAML parser, policy file compiler or enforcement code in the import graph`, () => {
      const { files, bare } = importGraph(entry);
      expect([...bare].filter((s) => s === 'yaml' || s.startsWith('yaml/'))).toEqual([]);
      const names = [...files].map((f) => path.relative(path.join(REPO, 'dist'), f));
      // (core/compile.js is in it for its verdict-name table, which outcome.ts reads; the bundle keeps only that.)
      for (const banned of ['policy/parse.js', 'policy/yaml-source.js', 'policy/decode.js', 'policy/legacy.js', 'compiled/compile.js', 'gate.js', 'enforce.js', 'api.js', 'index.js']) {
        expect(names, banned).not.toContain(banned);
      }
      // The main entry's graph does hold the parser: the walk above would see it.
      expect(importGraph('node').files.size).toBeGreaterThan(20);
    });

    it(`${entry}: the bundle holds none of the yaml library, and with core.wasm is ≤ 40 KiB gzipped`, () => {
      const bundle = readFileSync(path.join(REPO, `dist/bundle/compiled-${entry}.js`));
      const text = bundle.toString('utf8');
      for (const marker of ['YAMLMap', 'YAMLSeq', 'Implicit keys of flow sequence', 'yaml-1.1']) expect(text, marker).not.toContain(marker);
      const wasm = readFileSync(path.join(REPO, 'dist/core.wasm'));
      const gz = gzipSync(bundle, { level: 9 }).length + gzipSync(wasm, { level: 9 }).length;
      expect(gz, `${(gz / 1024).toFixed(1)} KiB`).toBeLessThanOrEqual(40 * 1024);
    });
  }

  it('the main bundle does hold the yaml library (so the check above can see it)', () => {
    const text = readFileSync(path.join(REPO, 'dist/bundle/node.js'), 'utf8');
    expect(text).toContain('YAMLMap');
  });

  it('the published node bundle decides in a fresh process from a compiled policy (and refuses YAML)', () => {
    const script = `
      const { compilePolicy } = await import(${JSON.stringify(path.join(REPO, 'dist/compiled/compile.js'))});
      const gait = await import(${JSON.stringify(path.join(REPO, 'dist/bundle/compiled-node.js'))});
      const gate = gait.createGate(compilePolicy('default_verdict: block\\n'));
      const out = { entry: gait.RUNTIME_ENTRY, verdict: gate.verdict({ tool_name: 't', context: { identity: 'a', workspace: '/w', risk_class: 'low' } }).verdict };
      try { gait.createGate('default_verdict: allow\\n'); } catch (err) { out.yaml = err.message; }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.entry).toBe('node-compiled');
    expect(out.verdict).toBe('block');
    expect(out.yaml).toMatch(/takes compiled policies, not YAML text/);
  });
});
