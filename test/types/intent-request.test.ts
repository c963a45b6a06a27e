// The IntentRequest type test: tsc over intent-request.ts, whose @ts-expect-error lines are the
// wrong intents that must not compile (an unused @ts-expect-error is itself an error).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

describe('the IntentRequest type', () => {
  it('accepts intents with the spec\'s field types and rejects wrong ones (tsc -p test/types)', () => {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/types/tsconfig.json'], { cwd: REPO, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});
