/** How the CLI's servers (`mcp serve`, `ui`) run until stopped. */

/**
 * Serves until SIGINT/SIGTERM (or the hook's abort), then closes gracefully: exit 130 / 143 like a
 * signal death, 0 on abort. `ended` (a worker pool's) rejecting on its own is exit 1.
 */
export function stopOnSignal(close: () => Promise<void>, abort: AbortSignal | undefined, pool?: { ended: Promise<void>; stderr: (text: string) => void }): Promise<number> {
  return new Promise((resolve) => {
    const stop = (code: number) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      abort?.removeEventListener('abort', onAbort);
      void close().then(() => resolve(code));
    };
    const onInt = () => stop(130);
    const onTerm = () => stop(143);
    const onAbort = () => stop(0);
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (abort?.aborted) onAbort();
    else abort?.addEventListener('abort', onAbort, { once: true });
    pool?.ended.catch((err: Error) => {
      pool.stderr(`mcp serve: ${err.message}\n`);
      stop(1);
    });
  });
}
