/** Reads this process's stdin to the end, refusing more than a limit (never buffering past it). */
import { invalidInput } from '../errors.js';

export async function readStdinBounded(limit: number, what: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) {
      process.stdin.destroy();
      throw invalidInput(`${what} exceeds maximum size of ${limit} bytes`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}
