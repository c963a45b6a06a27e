/**
 * Finding and compiling the package's core.wasm with `fs` (Node and Bun): shared by the main
 * node entry and the decide-only one. Nothing here runs at import time.
 */
import { readFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../core/engine.js';
import { assertWebAssembly, fetchCoreModule } from './runtime.js';

/** Why the installed package could not be resolved, or its core.wasm path. */
function resolveInstalled(from: string): { path?: string; why?: string } {
  try {
    return { path: createRequire(from).resolve('gait-wasm/core.wasm') };
  } catch (err) {
    return { why: (err as { code?: string }).code === 'MODULE_NOT_FOUND' ? 'not found' : (err as Error).message };
  }
}

/** This script's file URL: undefined in a CommonJS bundle (esbuild --format=cjs) that dropped import.meta. */
function scriptUrl(): string | undefined {
  const url: unknown = import.meta.url;
  return typeof url === 'string' && url.startsWith('file:') ? url : undefined;
}

/**
 * Finds core.wasm: beside the package's own script (dist/core.wasm from dist/bundle/ or dist/load/;
 * from the sources in tests), beside a bundle that inlined this code (copy core.wasm there), then
 * the installed package as seen from this script and from the working directory.
 */
function wasmPath(): string {
  const tried: string[] = [];
  const here = scriptUrl();
  if (here) {
    for (const rel of ['../core.wasm', './core.wasm', '../../dist/core.wasm']) {
      const p = fileURLToPath(new URL(rel, here));
      if (existsSync(p)) return p;
      if (!tried.includes(`  ${p}`)) tried.push(`  ${p}`);
    }
  }
  for (const from of [here, join(process.cwd(), 'package.json')]) {
    if (!from) continue;
    const found = resolveInstalled(from);
    if (found.path && existsSync(found.path)) return found.path;
    tried.push(`  the installed package "gait-wasm/core.wasm" (from ${from.startsWith('file:') ? fileURLToPath(from) : from}): ${found.why ?? `${found.path} is missing`}`);
  }
  throw new EngineError(
    `core.wasm not found; gait-wasm looked for:\n${tried.join('\n')}\n` +
      'If you bundled gait-wasm, copy node_modules/gait-wasm/dist/core.wasm next to your bundle, or pass it yourself: ' +
      "`import { readFileSync } from 'node:fs'; initSync(readFileSync(new URL('./core.wasm', import.meta.url)))` " +
      "(or `await init('/path/to/core.wasm')`). In the gait-wasm repository itself, run `npm run build`.",
  );
}

function readError(path: string, err: unknown): EngineError {
  return new EngineError(`core.wasm could not be read from ${path}: ${(err as Error).message}`);
}

function compileSync(bytes: Uint8Array): WebAssembly.Module {
  try {
    return new WebAssembly.Module(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

async function compile(bytes: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as BufferSource);
  } catch (err) {
    throw new EngineError(`core.wasm failed to load: ${(err as Error).message}`);
  }
}

let cached: WebAssembly.Module | undefined;

export function loadCoreModuleSync(): WebAssembly.Module {
  if (cached) return cached;
  assertWebAssembly();
  const path = wasmPath();
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  return (cached = compileSync(bytes));
}

/** Compiles the package's core.wasm, or the one at `where` (a path, a file: URL or an http(s) URL). */
export async function loadCoreModule(where?: URL | string): Promise<WebAssembly.Module> {
  assertWebAssembly();
  if (where === undefined && cached) return cached;
  // A string is a file path unless it has a URL scheme (two or more letters: not `C:\`).
  const url = typeof where === 'string' ? (/^[a-z][a-z0-9+.-]+:/i.test(where) ? new URL(where) : undefined) : where;
  if (url && url.protocol !== 'file:') return fetchCoreModule(url);
  const path = where === undefined ? wasmPath() : url ? fileURLToPath(url) : (where as string);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError(path, err);
  }
  const module = await compile(bytes);
  if (where === undefined) cached = module;
  return module;
}

