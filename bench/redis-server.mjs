/**
 * A throwaway redis-server for the bench (the bench-side twin of test/stores/redis-server.ts): a
 * free loopback port, a temp dir, no persistence, killed when the process exits. Resolves
 * undefined when redis-server is not installed (REDIS_SERVER overrides /usr/bin/redis-server).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** `{ url, stop }` of a running server, or undefined without redis-server. */
export async function startBenchRedis() {
  if (!existsSync(REDIS_SERVER)) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'gait-bench-redis-'));
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  // Synchronous, so it also runs on process.exit(): the server never outlives the bench.
  process.once('exit', stop);
  const until = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (Date.now() > until || child.exitCode !== null) {
      stop();
      throw new Error(`redis-server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}/0`, stop };
}
