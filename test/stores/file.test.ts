import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileLimitStore } from '../../bindings/stores/file-node.js';
import { limitStoreContract, request } from './contract.js';

limitStoreContract('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gait-file-store-'));
  return { store: fileLimitStore(join(dir, 'state.json')), close: () => rmSync(dir, { recursive: true, force: true }) };
});

describe('file limit store', () => {
  it('writes Gait\'s state file format and names the file in its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gait-file-store-'));
    try {
      const file = join(dir, 'state.json');
      const store = fileLimitStore(file);
      expect(store.name).toBe(`file ${file}`);
      const r = request({ requests: 2 });
      await store.consume([r]);
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      expect(doc).toEqual({ schema_id: 'gait.gate.rate_limit_state', schema_version: '1.0.0', counters: [{ key: r.counterKey, count: 1 }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('file limit store across processes', () => {
  const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
  const consumer = fileURLToPath(new URL('./file-consumer.mjs', import.meta.url));
  /** One consumer process in a runtime: [command, args before the consumer's own]. */
  const RUNTIMES: Record<string, [string, string[]]> = {
    node: [process.execPath, []],
    bun: [bin('bun'), []],
    deno: [bin('deno'), ['run', '--no-prompt', '--allow-read', '--allow-write', '--allow-sys=hostname']],
  };
  const consume = (runtime: string, file: string, counterKey: string, each: number) => new Promise<string>((resolve, reject) => {
    const [cmd, pre] = RUNTIMES[runtime]!;
    const child = spawn(cmd, [...pre, consumer, file, counterKey, '37', String(each)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${runtime} consumer exited ${code}`))));
  });
  const NODE8 = Array(8).fill('node');
  const NODE20 = Array(20).fill('node');
  const MIXED = ['node', 'node', 'node', 'bun', 'bun', 'bun', 'deno', 'deno', 'deno'];
  for (const [label, runtimes, each] of [['8 processes', NODE8, 50], ['20 processes', NODE20, 10], ['9 processes of Node, Bun and Deno', MIXED, 20]] as const) {
    it(`is exact under ${label} × ${each} concurrent evaluations against a limit of 37 (needs npm run build)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gait-file-store-'));
      try {
        const file = join(dir, 'state.json');
        const counterKey = 'minute|tool_identity|2026-12-03T10:00:00Z|tool.x|alice';
        const outputs = await Promise.all(runtimes.map((runtime) => consume(runtime, file, counterKey, each)));
        const counts = outputs.flatMap((o) => JSON.parse(o) as { used: number; exceeded: boolean }[]);
        expect(counts.length).toBe(runtimes.length * each);
        const allowed = counts.filter((c) => !c.exceeded).map((c) => c.used).sort((a, b) => a - b);
        expect(allowed).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
        expect(counts.filter((c) => c.exceeded).every((c) => c.used === 37)).toBe(true);
        expect(JSON.parse(readFileSync(file, 'utf8')).counters).toEqual([{ key: counterKey, count: 37 }]);
      } finally {
        // Retried: on a loaded machine the folder's last entries can still be settling.
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      }
    }, 120_000);
  }
});
