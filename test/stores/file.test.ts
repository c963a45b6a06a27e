import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
