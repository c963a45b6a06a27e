// Each input kind has a size limit, enforced while reading (never more than limit + 1 bytes), with
// a message naming the file. Limits: policy 4 MiB, intent 1 MiB, tokens and registries 1 MiB
// (MAX_ARTIFACT_BYTES), key files 64 KiB, Wrkr inventories 16 MiB, traces 16 MiB.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gait, FIXTURES } from '../cli/run.js';
import { MAX_KEY_FILE_BYTES } from '../../bindings/crypto/io-node.js';
import { MAX_WRKR_INVENTORY_BYTES, loadWrkrInventory } from '../../bindings/intent/wrkr-node.js';
import { MAX_TRACE_BYTES } from '../../bindings/cli/trace-command.js';
import { MAX_ARTIFACT_BYTES } from '../../bindings/tokens/index.js';

let dir = '';
const f = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gait-limits-io-'));
  // Whitespace around a valid value: only the size is wrong.
  writeFileSync(f('big.key'), ' '.repeat(MAX_KEY_FILE_BYTES + 1));
  writeFileSync(f('big-token.json'), ' '.repeat(MAX_ARTIFACT_BYTES) + '{}');
  writeFileSync(f('big-inventory.json'), ' '.repeat(MAX_WRKR_INVENTORY_BYTES) + '[]');
  writeFileSync(f('big-trace.json'), ' '.repeat(MAX_TRACE_BYTES) + '{}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('input size limits', () => {
  it('limits are what the docs say', () => {
    expect([MAX_KEY_FILE_BYTES, MAX_ARTIFACT_BYTES, MAX_WRKR_INVENTORY_BYTES, MAX_TRACE_BYTES]).toEqual([65536, 1048576, 16777216, 16777216]);
  });

  it('key files', async () => {
    const r = await gait(['approve', '--intent-digest', 'a'.repeat(64), '--policy-digest', 'b'.repeat(64), '--ttl', '1h', '--scope', 'tool:x', '--approver', 'me', '--reason-code', 'R', '--key-mode', 'prod', '--private-key', f('big.key'), '--out', f('t.json'), '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe(`read private key: ${f('big.key')} exceeds maximum size of 65536 bytes`);
  });

  it('approval tokens in gate eval', async () => {
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy-test/require_approval.yaml', '--intent', FIXTURES + 'policy-test/intent.json', '--approval-token', f('big-token.json'), '--approval-public-key', FIXTURES + 'scenarios/keys/approval_public.key', '--trace-out', f('trace-out.json'), '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe(`read approval token: ${f('big-token.json')} exceeds maximum size of ${MAX_ARTIFACT_BYTES} bytes`);
  });

  it('approved-script registries', async () => {
    const r = await gait(['list-scripts', '--registry', f('big-token.json'), '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe(`read approved script registry: ${f('big-token.json')} exceeds maximum size of ${MAX_ARTIFACT_BYTES} bytes`);
  });

  it('Wrkr inventories', async () => {
    await expect(loadWrkrInventory(f('big-inventory.json'))).rejects.toThrow(`read wrkr inventory: ${f('big-inventory.json')} exceeds maximum size of ${MAX_WRKR_INVENTORY_BYTES} bytes`);
  });

  it('traces', async () => {
    const r = await gait(['trace', 'verify', f('big-trace.json'), '--public-key', FIXTURES + 'scenarios/keys/approval_public.key', '--json'], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toBe(`read trace record: ${f('big-trace.json')} exceeds maximum size of ${MAX_TRACE_BYTES} bytes`);
  });
});
