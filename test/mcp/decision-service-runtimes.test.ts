// The decision service is portable: the same requests through createDecisionService from the Node,
// Deno and Bun bundles give byte-identical answers (status, content type, body). Needs
// `npm run build` (skipped without dist/bundle); Deno and Bun come from node_modules/.bin.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run.js';

const HARNESS = path.join(REPO, 'test/mcp/decision-service-harness.mjs');
const POLICY = path.join(REPO, 'test/fixtures/gait/mcp/policies/rules.yaml');
const bundle = (name: string) => path.join(REPO, 'dist/bundle', `${name}.js`);
const built = existsSync(bundle('node')) && existsSync(bundle('deno'));

function run(cmd: string, args: string[]): string[] {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n');
}

describe.skipIf(!built)('decision service across runtimes', () => {
  it('node, deno and bun answer byte for byte alike', () => {
    const node = run(process.execPath, [HARNESS, bundle('node'), POLICY]);
    expect(node).toHaveLength(9);
    expect(node.map((l) => JSON.parse(l).status)).toEqual([200, 401, 403, 409, 409, 400, 415, 400, 404]);
    const deno = run(path.join(REPO, 'node_modules/.bin/deno'), ['run', '--allow-read', HARNESS, bundle('deno'), POLICY]);
    const bun = run(path.join(REPO, 'node_modules/.bin/bun'), [HARNESS, bundle('node'), POLICY]);
    expect(deno).toEqual(node);
    expect(bun).toEqual(node);
  }, 120_000);
});
