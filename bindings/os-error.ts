/**
 * Go's `*PathError` text (`open <path>: no such file or directory`) for Node errno errors, so
 * file errors read as Gait's do. One table for every loader.
 */
const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file exists',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  ENOTREG: 'not a regular file',
};

/** `<op> <path>: <reason>`, the reason in Go's words where the errno is known. */
export function goPathError(err: unknown, op: string, path: string): string {
  const e = err as { code?: string; message?: string } | undefined;
  const reason = (e?.code && GO_ERRNO_TEXT[e.code]) || (err instanceof Error ? err.message : String(err));
  return `${op} ${path}: ${reason}`;
}

/** Tags an errno error with the step that failed (`open`, `read`, `write`…) unless it has one. */
export function withOp(err: unknown, op: string): unknown {
  if (err && typeof err === 'object') (err as { op?: string }).op ??= op;
  return err;
}
