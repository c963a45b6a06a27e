/** The machine a run happened on: CPU model (from /proc/cpuinfo), cores, memory, Node and V8. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';

function cpuinfo() {
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
    return { model: field('model name'), mhz: Number(field('cpu MHz')) || undefined, processors: (text.match(/^processor\s*:/gm) ?? []).length };
  } catch {
    return { model: os.cpus()[0]?.model, processors: os.cpus().length };
  }
}

export function machineInfo() {
  const cpu = cpuinfo();
  return {
    cpu_model: cpu.model ?? 'unknown',
    cpu_mhz: cpu.mhz,
    cores: cpu.processors,
    available_parallelism: os.availableParallelism(),
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.type()} ${os.release()} ${process.arch}`,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** The source revision measured: `git rev-parse` of the checkout (+ "-dirty" when assembly/ or bindings/ differ), or BENCH_SOURCE_REV. */
export function sourceRevision() {
  if (process.env.BENCH_SOURCE_REV) return process.env.BENCH_SOURCE_REV;
  const cwd = new URL('..', import.meta.url);
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
  if (rev.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'assembly', 'bindings'], { cwd, encoding: 'utf8' });
  return rev.stdout.trim() + (dirty.stdout.trim() ? '-dirty' : '');
}
