/** Node (and Bun) loader: reads core.wasm next to the package's JavaScript and compiles it. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Engine, EngineError } from '../core/engine.js';

/** dist/core.wasm in the built package; the same file seen from the TypeScript sources in tests. */
function wasmPath(): string {
  for (const rel of ['../core.wasm', '../../dist/core.wasm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new EngineError('core.wasm not found: run `npm run build`');
}

let cached: WebAssembly.Module | undefined;

export function loadCoreModuleSync(): WebAssembly.Module {
  cached ??= new WebAssembly.Module(readFileSync(wasmPath()));
  return cached;
}

export async function loadCoreModule(): Promise<WebAssembly.Module> {
  cached ??= await WebAssembly.compile(await readFile(wasmPath()));
  return cached;
}

export function createEngineSync(): Engine {
  return Engine.fromModule(loadCoreModuleSync());
}

export async function createEngine(): Promise<Engine> {
  return Engine.fromModule(await loadCoreModule());
}
