// Bounded reads of regular files: special files are refused, never read; no read passes limit + 1.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRegularFile, readRegularFileSync, FileTooLargeError } from '../../bindings/read-file-node.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gait-read-'));
  writeFileSync(join(dir, 'small.txt'), 'hello');
  writeFileSync(join(dir, 'big.bin'), new Uint8Array(200_001));
  mkdirSync(join(dir, 'folder'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync(join(dir, 'small.txt'), join(dir, 'link.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const both = [
  ['async', (p: string, n: number) => readRegularFile(p, n)],
  ['sync', async (p: string, n: number) => readRegularFileSync(p, n)],
] as const;

describe.each(both)('readRegularFile (%s)', (_name, read) => {
  it('reads a regular file, and one behind a symlink', async () => {
    expect(new TextDecoder().decode(await read(join(dir, 'small.txt'), 5))).toBe('hello');
    expect(new TextDecoder().decode(await read(join(dir, 'link.txt'), 5))).toBe('hello');
  });

  // A server reads its policy and key for every request (as Gait does): a 5-byte file must not
  // cost (or keep alive, in a cache of the bytes) a 64 KiB buffer.
  it('reads a small file into a buffer of about its size', async () => {
    const bytes = await read(join(dir, 'small.txt'), 1 << 20);
    expect(new TextDecoder().decode(bytes)).toBe('hello');
    expect(bytes.buffer.byteLength).toBeLessThan(1024);
  });

  it('reads a file larger than the first buffer up to the limit, and refuses it under a smaller one', async () => {
    const grown = join(dir, 'grown.txt');
    writeFileSync(grown, 'x'.repeat(70_000));
    expect((await read(grown, 70_000)).length).toBe(70_000);
    await expect(read(grown, 69_999)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it.skipIf(!existsSync('/proc/self/status'))('reads a file that reports size 0 and has more (procfs) to its end', async () => {
    const text = new TextDecoder().decode(await read('/proc/self/status', 1 << 20));
    expect(text.length).toBeGreaterThan(512);
    expect(text).toMatch(/^Name:\t/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('reads a file of exactly the limit and refuses one byte more', async () => {
    expect((await read(join(dir, 'big.bin'), 200_001)).length).toBe(200_001);
    await expect(read(join(dir, 'big.bin'), 200_000)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('refuses /dev/zero at once instead of reading it forever', async () => {
    await expect(read('/dev/zero', 1024)).rejects.toMatchObject({ code: 'ENOTREG', op: 'read' });
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    await expect(read(join(dir, 'fifo'), 1024)).rejects.toMatchObject({ code: 'ENOTREG', op: 'read' });
  });

  it('reports a directory as EISDIR at read, a missing file as ENOENT at open', async () => {
    await expect(read(join(dir, 'folder'), 1024)).rejects.toMatchObject({ code: 'EISDIR', op: 'read' });
    await expect(read(join(dir, 'missing'), 1024)).rejects.toMatchObject({ code: 'ENOENT', op: 'open' });
  });
});

// Opening some devices has side effects (a watchdog arms, a tape rewinds): the path is checked
// before it is opened, and a device is refused without ever being opened. A character device
// with no driver behind it (major 240, "local/experimental use") shows it: open fails with ENXIO.
const canMknod = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mknod', [join(tmpdir(), `gait-mknod-probe-${process.pid}`), 'c', '240', '0']);
    rmSync(join(tmpdir(), `gait-mknod-probe-${process.pid}`));
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!canMknod).each(both)('readRegularFile (%s) and devices', (_name, read) => {
  it('refuses a device without opening it', async () => {
    const device = join(dir, 'no-driver');
    rmSync(device, { force: true });
    execFileSync('mknod', [device, 'c', '240', '0']);
    await expect(read(device, 1024)).rejects.toMatchObject({ code: 'ENOTREG', op: 'read' });
  });
});
