// Atomic output writes, async and sync: the same results and the same errors for every kind of target.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOutputFile, writeOutputFileSync } from '../../bindings/cli/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gait-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const both = [
  ['async', (file: string, data: string) => writeOutputFile(file, data, 0o600, 'trace record')],
  ['sync', async (file: string, data: string) => writeOutputFileSync(file, data, 0o600, 'trace record')],
] as const;

/** The error message of a failed write, or 'ok'. */
async function outcome(write: (typeof both)[number][1], file: string, data = 'x'): Promise<string> {
  try {
    await write(file, data);
    return 'ok';
  } catch (err) {
    return `${(err as { category?: string }).category}: ${(err as Error).message}`;
  }
}

describe.each(both)('writeOutputFile (%s)', (_name, write) => {
  it('creates a missing file (0600) and its missing parents, leaving no temp file', async () => {
    const file = join(dir, 'a/b/t.json');
    expect(await outcome(write, file, '{"x":1}\n')).toBe('ok');
    expect(readFileSync(file, 'utf8')).toBe('{"x":1}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['t.json']);
  });

  it('replaces a regular file; a symbolic link stays a link and its target is replaced', async () => {
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));
    expect(await outcome(write, join(dir, 'link.json'), 'new')).toBe('ok');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe(join(dir, 'real.json'));
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new');
    expect(await outcome(write, join(dir, 'real.json'), 'newer')).toBe('ok');
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('newer');
  });

  it('refuses a directory, a FIFO, a device and a dangling link, untouched and with nothing left behind', async () => {
    mkdirSync(join(dir, 'out'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync(join(dir, 'missing'), join(dir, 'dangling'));
    expect(await outcome(write, join(dir, 'out'))).toBe(`invalid_input: write trace record: ${join(dir, 'out')} is a directory, not a regular file; refusing to replace it`);
    expect(await outcome(write, join(dir, 'fifo'))).toBe(`invalid_input: write trace record: ${join(dir, 'fifo')} is a FIFO, not a regular file; refusing to replace it`);
    expect(await outcome(write, '/dev/null')).toBe('invalid_input: write trace record: /dev/null is a character device, not a regular file; refusing to replace it');
    expect(await outcome(write, join(dir, 'dangling'))).toBe(`invalid_input: write trace record: ${join(dir, 'dangling')} is a symbolic link to a missing file; refusing to replace it`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'fifo', 'out']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('names the failing step in Go words: a parent that is a file, a parent that cannot exist', async () => {
    writeFileSync(join(dir, 'file'), '');
    expect(await outcome(write, join(dir, 'file/t.json'))).toBe(`invalid_input: write trace record: open ${join(dir, 'file/t.json')}: not a directory`);
    expect(await outcome(write, '/proc/x/t.json')).toBe('invalid_input: write trace record: mkdir /proc/x/t.json: no such file or directory');
  });

  it.skipIf(process.getuid?.() === 0)('reports a directory it may not write to', async () => {
    mkdirSync(join(dir, 'ro'), 0o500);
    expect(await outcome(write, join(dir, 'ro/t.json'))).toBe(`invalid_input: write trace record: open ${join(dir, 'ro/t.json')}: permission denied`);
  });
});
