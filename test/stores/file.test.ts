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
  for (const [processes, each] of [[8, 50], [20, 10]] as const) {
    it(`is exact under ${processes} processes × ${each} concurrent evaluations against a limit of 37 (needs npm run build)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gait-file-store-'));
      try {
        const file = join(dir, 'state.json');
        const counterKey = 'minute|tool_identity|2026-12-03T10:00:00Z|tool.x|alice';
        const consumer = fileURLToPath(new URL('./file-consumer.mjs', import.meta.url));
        const outputs = await Promise.all(Array.from({ length: processes }, () => new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [consumer, file, counterKey, '37', String(each)], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.on('error', reject);
          child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`consumer exited ${code}`))));
        })));
        const counts = outputs.flatMap((o) => JSON.parse(o) as { used: number; exceeded: boolean }[]);
        expect(counts.length).toBe(processes * each);
        const allowed = counts.filter((c) => !c.exceeded).map((c) => c.used).sort((a, b) => a - b);
        expect(allowed).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
        expect(counts.filter((c) => c.exceeded).every((c) => c.used === 37)).toBe(true);
        expect(JSON.parse(readFileSync(file, 'utf8')).counters).toEqual([{ key: counterKey, count: 37 }]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
