/**
 * One address served by several processes (node:cluster), for `gait mcp serve --workers <n>`: a
 * JavaScript process evaluates on one core, Gait's Go server on all of them. The primary forks
 * `n` copies of the running program (same arguments), each of which builds its own decision
 * service and listens; the primary accepts connections and hands them to the workers in turn
 * (node:cluster's round robin: the kernel's own spreading, SCHED_NONE, can leave one worker with
 * every connection of a client that opens them all at once).
 *
 * What the workers share is files: traces get names no other worker can pick (`slot`: a worker's
 * trace timestamps are ≡ index mod count in nanoseconds), export files are appended under their
 * lock file, retention skips what another worker removed first.
 */
import cluster, { type Worker } from 'node:cluster';

/** Which worker this process is: index in [0, count). */
export interface WorkerSlot {
  readonly index: number;
  readonly count: number;
}

const INDEX_VAR = 'GAIT_SERVE_WORKER_INDEX';
const COUNT_VAR = 'GAIT_SERVE_WORKERS';

/** This process's slot when the primary of `startWorkers` forked it; undefined otherwise. */
export function workerSlot(): WorkerSlot | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[INDEX_VAR]);
  const count = Number(process.env[COUNT_VAR]);
  if (!Number.isInteger(index) || !Number.isInteger(count) || index < 0 || index >= count) return undefined;
  return { index, count };
}

/** What a worker tells the primary once: it listens, or why it could not start. */
type WorkerReport = { gait: 'listening' } | { gait: 'failed'; message: string; category: string };

function isReport(message: unknown): message is WorkerReport {
  return typeof message === 'object' && message !== null && ((message as WorkerReport).gait === 'listening' || (message as WorkerReport).gait === 'failed');
}

/** In a worker: tell the primary it listens. */
export function reportListening(): void {
  process.send?.({ gait: 'listening' } satisfies WorkerReport);
}

/** In a worker: tell the primary why it could not start (it prints the error once, as one server would). */
export function reportFailure(message: string, category: string): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send({ gait: 'failed', message, category } satisfies WorkerReport, undefined, {}, () => resolve());
  });
}

/** In a worker that is done (stopped, or failed to start): drop the channel to the primary so the process can exit. */
export function leavePool(): void {
  if (cluster.isWorker && process.connected) process.disconnect();
}

/** A start-up failure of a worker, as the worker described it. */
export class WorkerStartError extends Error {
  constructor(
    message: string,
    readonly category: string,
  ) {
    super(message);
  }
}

export interface WorkerPool {
  /** The workers' process ids (replacements included). */
  pids(): number[];
  /** Resolves when the last worker has exited after a stop, or rejects when every worker died on its own. */
  readonly done: Promise<void>;
  /** Asks every worker to stop gracefully (SIGTERM: each closes its server and lets requests finish). */
  stop(): Promise<void>;
}

/**
 * Forks `count` workers of the running program and resolves once all of them listen; rejects with
 * the first worker's start-up failure (and stops the others). After start-up a worker that dies is
 * replaced (a message on stderr says so), unless its replacement cannot start either.
 */
export function startWorkers(count: number, stderr: (text: string) => void): Promise<WorkerPool> {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  const workers = new Map<number, Worker>(); // by slot index
  let stopping = false;
  let started = false;
  let finish: { resolve: () => void; reject: (err: Error) => void };
  const done = new Promise<void>((resolve, reject) => (finish = { resolve, reject }));
  done.catch(() => undefined);

  const stopAll = () => {
    stopping = true;
    for (const w of workers.values()) if (!w.isDead()) w.process.kill('SIGTERM');
    return done.catch(() => undefined);
  };

  return new Promise<WorkerPool>((resolve, reject) => {
    let listening = 0;
    const fork = (index: number, replacement: boolean) => {
      const worker = cluster.fork({ [INDEX_VAR]: String(index), [COUNT_VAR]: String(count) });
      workers.set(index, worker);
      let up = false;
      worker.on('message', (message: unknown) => {
        if (!isReport(message)) return;
        if (message.gait === 'listening') {
          up = true;
          if (!started && ++listening === count) {
            started = true;
            resolve(pool);
          }
        } else if (!started) {
          started = true; // the first failure is the one reported
          void stopAll();
          reject(new WorkerStartError(message.message, message.category));
        }
      });
      // A child's 'exit' can come before its last messages are read: decide once the channel is closed too.
      worker.on('exit', (code, signal) => {
        if (worker.isConnected()) worker.once('disconnect', () => exited(code, signal));
        else exited(code, signal);
      });
      const exited = (code: number | null, signal: string | null) => {
        if (workers.get(index) === worker) workers.delete(index);
        if (!stopping && started && up) {
          stderr(`mcp serve: worker ${index} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting another\n`);
          fork(index, true);
          return;
        }
        if (!stopping && !started && !up) {
          started = true;
          void stopAll();
          reject(new WorkerStartError(`worker ${index} exited before listening (${signal ?? `code ${code}`})`, 'internal_failure'));
        }
        if (!stopping && replacement && !up) stderr(`mcp serve: worker ${index} could not be restarted\n`);
        if (workers.size === 0) {
          if (stopping) finish.resolve();
          else finish.reject(new Error('every worker has exited'));
        }
      };
    };
    const pool: WorkerPool = {
      pids: () => [...workers.values()].map((w) => w.process.pid!).filter((p) => p !== undefined),
      done,
      stop: stopAll,
    };
    for (let i = 0; i < count; i++) fork(i, false);
  });
}
