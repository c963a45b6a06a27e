// loadPolicyFile: Node file reading with Go-worded read errors.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyFile } from '../../bindings/policy/load-node.js';
import { policyDigest } from '../../bindings/policy/digest.js';
import { GaitError } from '../../bindings/errors.js';
import { FIXTURES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gait-policy-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadError(path: string): Promise<GaitError> {
  const err = await loadPolicyFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GaitError);
  expect((err as GaitError).category).toBe('invalid_input');
  return err as GaitError;
}

describe('loadPolicyFile', () => {
  it('loads and normalizes a fixture', async () => {
    const p = await loadPolicyFile(join(FIXTURES, 'policy/base_low_risk.yaml'));
    expect(policyDigest(p)).toBe('aa9e4371c827fc38f26c95588061b8376f20ef6524917ebab69bcc41aa3ed5c9');
  });

  it('missing file: Go wording', async () => {
    const path = join(dir, 'missing.yaml');
    expect((await loadError(path)).message).toBe(`read policy: open ${path}: no such file or directory`);
  });

  it('directory: Go wording', async () => {
    expect((await loadError(dir)).message).toBe(`read policy: read ${dir}: is a directory`);
  });

  it('parse errors pass through unchanged', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'default_verdit: allow\n');
    expect((await loadError(path)).message).toBe('parse policy yaml: [1:1] unknown field "default_verdit"');
  });

  it('refuses an oversized file from its size', async () => {
    const path = join(dir, 'big.yaml');
    writeFileSync(path, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    expect((await loadError(path)).message).toBe('policy exceeds maximum size of 4194304 bytes');
  });

  it('rejects non-UTF-8 content', async () => {
    const path = join(dir, 'latin1.yaml');
    writeFileSync(path, Buffer.from([0x23, 0xe9, 0x0a]));
    expect((await loadError(path)).message).toBe('parse policy yaml: policy is not valid UTF-8 (invalid byte at offset 1)');
  });
});
