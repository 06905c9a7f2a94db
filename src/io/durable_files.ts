// The file steps of an atomic save: write aside durably, commit by rename,
// and the per-directory queue that keeps two saves in one process apart.

type Fs = typeof import('fs');

/** Creates `file` (it must not exist), writes `data` and flushes it to disk. */
export async function writeDurably(fs: Fs, file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.promises.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (a rename) to disk, where the OS allows it. */
export async function syncDirectory(fs: Fs, directory: string): Promise<void> {
  try {
    const handle = await fs.promises.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open a directory; the rename itself is still atomic.
  }
}

/** Removes files, ignoring the ones already gone or not removable. */
export async function removeQuietly(fs: Fs, files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => fs.promises.rm(f, {force: true}).catch(() => undefined)));
}

/** A name part no other save (in this process or another) picks. */
export function uniqueToken(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every earlier task queued under `key` has settled, so
 * that saves to one directory never interleave (Promise.all of two saves).
 */
export function queued<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const result = previous.then(task, task);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) {
      queues.delete(key);
    }
  });
  return result;
}
