// Node's file-system errors (EACCES, ENOSPC, ...) in words that say which
// file, what went wrong and what to do; one table per direction.

interface ErrnoLike {
  code?: string;
  path?: string;
  dest?: string;
  message?: string;
}

const READ_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'is missing',
  EISDIR: 'is a directory, not a file',
  EACCES: 'exists but cannot be read (permission denied): give this process read access to it',
  EPERM: 'exists but cannot be read (operation not permitted): give this process read access to it',
  ENOTDIR: 'is missing (a part of its path is a file, not a directory)',
  ELOOP: 'cannot be read (too many symbolic links)',
};

const WRITE_ADVICE: Readonly<Record<string, string>> = {
  EACCES: 'permission denied: make the directory writable by this process or save elsewhere',
  EPERM: 'operation not permitted (e.g. a file owned by someone else in a sticky directory): save elsewhere',
  EROFS: 'the file system is read-only: save elsewhere',
  ENOSPC: 'no space left on the device: free some space or save elsewhere',
  EDQUOT: 'the disk quota is exhausted: free some space or save elsewhere',
  ENOTDIR: 'a part of the path is a file, not a directory: choose another path',
  EEXIST: 'a part of the path is a file, not a directory: choose another path',
  EISDIR: 'the target is a directory: choose another path',
  ENAMETOOLONG: 'the path is too long: choose a shorter one',
};

/** True when `e` says the file does not exist. */
export function isMissing(e: unknown): boolean {
  return (e as ErrnoLike | null)?.code === 'ENOENT';
}

/** `subject` (e.g. "the weights file '/m/w.bin'") followed by why it could not be read. */
export function explainReadError(subject: string, e: unknown): Error {
  const err = (e ?? {}) as ErrnoLike;
  const reason = err.code !== undefined ? READ_REASONS[err.code] : undefined;
  const text = reason ?? `cannot be read (${err.code ?? 'error'}: ${err.message ?? String(e)})`;
  return Object.assign(new Error(`${subject} ${text}.`), {cause: e});
}

/**
 * A save that failed: which file, why, what to do, and that the model saved
 * before (if any) was not touched. `where` names the save.
 */
export function explainWriteError(where: string, e: unknown): Error {
  const err = (e ?? {}) as ErrnoLike;
  const file = err.dest !== undefined ? `rename '${err.path}' to '${err.dest}'` : err.path !== undefined ? `write '${err.path}'` : 'write';
  const advice = (err.code !== undefined ? WRITE_ADVICE[err.code] : undefined) ?? `${err.code ?? 'error'}: ${err.message ?? String(e)}`;
  return Object.assign(
    new Error(
      `${where}: cannot ${file} (${err.code ?? 'error'}): ${advice}. Nothing was saved; a model saved there before is unchanged.`,
    ),
    {cause: e},
  );
}
