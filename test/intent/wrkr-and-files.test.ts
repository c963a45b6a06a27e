import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GaitError } from '../../bindings/errors.js';
import { parseWrkrInventory, wrkrAuthContext } from '../../bindings/intent/wrkr.js';
import { cleanPath, loadWrkrInventory } from '../../bindings/intent/wrkr-node.js';
import { loadIntentFile, loadIntentFileSync } from '../../bindings/intent/load-node.js';
import { normalizeIntent } from '../../bindings/intent/normalize.js';
import { expectInvalid, FIXTURES } from './helpers.js';
import { fileURLToPath } from 'node:url';

async function expectRejects(run: () => Promise<unknown>, message: string): Promise<void> {
  const err = await run().then(() => undefined, (e: unknown) => e);
  expect(err, `expected rejection "${message}"`).toBeInstanceOf(GaitError);
  expect((err as GaitError).category).toBe('invalid_input');
  expect((err as GaitError).message).toBe(message);
}

describe('parseWrkrInventory', () => {
  test('bare array and envelope forms; values trimmed and lower-cased', () => {
    const items = '[{"tool_name":" Tool.Write ","data_class":" SECRET ","endpoint_class":"FS.Write","autonomy_level":"Assist","extra":1},{"tool_name":"tool.read","data_class":"public"}]';
    for (const text of [items, `{"items":${items}}`, `{"Items":${items},"other":true}`]) {
      const inv = parseWrkrInventory(text);
      expect([...inv.keys()]).toEqual(['tool.write', 'tool.read']);
      expect(inv.get('tool.write')).toEqual({ tool_name: 'tool.write', data_class: 'secret', endpoint_class: 'fs.write', autonomy_level: 'assist' });
      expect(inv.get('tool.read')).toEqual({ tool_name: 'tool.read', data_class: 'public', endpoint_class: '', autonomy_level: '' });
    }
  });

  test('empty names skipped, later duplicates replace, nothing validated', () => {
    const inv = parseWrkrInventory('[{"tool_name":"  "},null,{"tool_name":"t","data_class":"a"},{"tool_name":"T","data_class":"b","endpoint_class":"whatever"}]');
    expect([...inv.entries()]).toEqual([['t', { tool_name: 't', data_class: 'b', endpoint_class: 'whatever', autonomy_level: '' }]]);
    expect(parseWrkrInventory('{"items":[]}').size).toBe(0);
    expect(parseWrkrInventory('[]').size).toBe(0);
    expect(parseWrkrInventory('null').size).toBe(0);
  });

  test.each([
    ['{"items":null}', 'parse wrkr inventory: items must be an array'],
    ['{"items":{}}', 'parse wrkr inventory: items must be an array'],
    ['{"items":"x"}', 'parse wrkr inventory: items must be an array'],
    ['{}', 'parse wrkr inventory: json: cannot unmarshal object into Go value of type []gate.item'],
    ['{"tools":[]}', 'parse wrkr inventory: json: cannot unmarshal object into Go value of type []gate.item'],
    ['"x"', 'parse wrkr inventory: json: cannot unmarshal string into Go value of type []gate.item'],
    ['[1]', 'parse wrkr inventory: json: cannot unmarshal number into Go value of type gate.item'],
    ['[{"tool_name":5}]', 'parse wrkr inventory: json: cannot unmarshal number into Go struct field item.tool_name of type string'],
    ['{not-json}', "parse wrkr inventory: invalid character 'n' looking for beginning of object key string"],
    ['', 'parse wrkr inventory: unexpected end of JSON input'],
  ])('%j', (text, message) => {
    expectInvalid(() => parseWrkrInventory(text), message);
  });

  test('wrkrAuthContext gives the four keys', () => {
    expect(wrkrAuthContext({ tool_name: 't', data_class: '', endpoint_class: 'fs.write', autonomy_level: 'assist' })).toEqual({
      'wrkr.tool_name': 't', 'wrkr.data_class': '', 'wrkr.endpoint_class': 'fs.write', 'wrkr.autonomy_level': 'assist',
    });
  });
});

describe('files', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gait-intent-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('cleanPath is filepath.Clean', () => {
    expect(cleanPath('a/./b/../c/')).toBe('a/c');
    expect(cleanPath('/../x//y')).toBe('/x/y');
    expect(cleanPath('../../a')).toBe('../../a');
    expect(cleanPath('.')).toBe('.');
    expect(cleanPath('a/..')).toBe('.');
  });

  test('loadWrkrInventory errors', async () => {
    await expectRejects(() => loadWrkrInventory('  '), 'wrkr inventory path is required');
    const missing = join(dir, 'missing.json');
    await expectRejects(() => loadWrkrInventory(` ${dir}/./missing.json `), `stat wrkr inventory: stat ${missing}: no such file or directory`);
    const sub = join(dir, 'inv-dir');
    mkdirSync(sub);
    await expectRejects(() => loadWrkrInventory(sub), `read wrkr inventory: read ${sub}: is a directory`);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{not-json}');
    await expectRejects(() => loadWrkrInventory(bad), "parse wrkr inventory: invalid character 'n' looking for beginning of object key string");
  });

  test('loadWrkrInventory caches by path and reloads when the mtime changes', async () => {
    const file = join(dir, 'inv.json');
    writeFileSync(file, '[{"tool_name":"tool.write","data_class":"secret"}]');
    utimesSync(file, 1_700_000_000, 1_700_000_000);
    const first = await loadWrkrInventory(file);
    expect(first.get('tool.write')?.data_class).toBe('secret');
    expect(await loadWrkrInventory(join(dir, '.', 'inv.json'))).toBe(first);
    writeFileSync(file, '{"items":[{"tool_name":"tool.write","data_class":"public"}]}');
    utimesSync(file, 1_700_000_100, 1_700_000_100);
    const second = await loadWrkrInventory(file);
    expect(second).not.toBe(first);
    expect(second.get('tool.write')?.data_class).toBe('public');
  });

  test('loadIntentFile', async () => {
    const fixture = fileURLToPath(new URL('policy/intents/intent_write.json', FIXTURES));
    expect(normalizeIntent(await loadIntentFile(fixture)).intent_digest).toBe('dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e');
    expect(normalizeIntent(loadIntentFileSync(fixture)).intent_digest).toBe('dfc167dcb3d79e877289e4f145a956f3c68368bf9fa2913dd046ce89fe01967e');

    const missing = join(dir, 'nope.json');
    await expectRejects(() => loadIntentFile(missing), `read intent: open ${missing}: no such file or directory`);
    expectInvalid(() => loadIntentFileSync(missing), `read intent: open ${missing}: no such file or directory`);
    await expectRejects(() => loadIntentFile(dir), `read intent: read ${dir}: is a directory`);
    expectInvalid(() => loadIntentFileSync(dir), `read intent: read ${dir}: is a directory`);

    const big = join(dir, 'big.json');
    writeFileSync(big, '{}' + ' '.repeat(1048576));
    await expectRejects(() => loadIntentFile(big), 'intent exceeds maximum size of 1048576 bytes');
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    await expectRejects(() => loadIntentFile(latin1), 'intent is not valid UTF-8 (invalid byte at offset 6)');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"tool_name":');
    await expectRejects(() => loadIntentFile(broken), 'parse intent json: unexpected end of JSON input');
  });
});
