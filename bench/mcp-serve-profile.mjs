/**
 * CPU profile of our `mcp serve` under the load of mcp-serve-load.mjs (one subject, one round):
 * the server runs under `node --cpu-prof` (SIGTERM turned into a clean exit so the profile is
 * written); only samples inside the timed load window count. Writes bench/profile-mcp-serve.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise } from './profile-summary.mjs';

/** `runLoad` is mcp-serve-load.mjs's runMcpServeLoad (passed in: that module is the entry point). */
export async function profileMcpServe({ runLoad, seconds = 8, connections = 48, only = /^gait-wasm\/disk$/, log = () => {} }) {
  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-serve-prof-'));
  const r = await runLoad({ seconds, warmup: 2, connections, rounds: 1, only, log, profileDir: dir });
  const row = r.rows.find((x) => x.server === 'gait-wasm');
  if (!row) throw new Error(`no profiled run: ${JSON.stringify(r.failures)}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${row.pid}.`));
  if (!file) throw new Error(`no .cpuprofile for pid ${row.pid} in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const [from, to] = row.window_us;
  const phases = [
    ['garbage collector', (fs) => fs[0]?.functionName === '(garbage collector)'],
    ['idle (event loop waiting)', (fs) => fs[0]?.functionName === '(idle)'],
    ['everything else', () => true],
  ];
  const summary = summarise(profile, row.answered, from, to, 'µs/call', phases);
  const md = [
    `# CPU profile: \`gait mcp serve\` under load (${row.id})`,
    '',
    `\`node bench/mcp-serve-load.mjs --profile --seconds ${seconds} --only '${only.source}'\`: the server under \`node --cpu-prof\`, ${connections} connections, ` +
      `${seconds} s after a 2 s warm-up, ${Math.round(row.requests_per_s)} req/s (profiling slows it down), ${row.answered.toLocaleString('en-US')} answers. ` +
      'Only samples inside the timed window count; "µs/call" = sampled time / answers. Paths are relative to dist/ or node_modules/.',
    '',
    ...summary,
  ].join('\n');
  writeFileSync(new URL('./profile-mcp-serve.md', import.meta.url), md + '\n');
  rmSync(dir, { recursive: true, force: true });
  return md;
}
