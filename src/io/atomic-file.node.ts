/**
 * Atomic replacement of export files. A file is written under a temporary name in the same folder, flushed
 * to disk (fsync), then renamed over its final name (and the folder entry flushed), so an export interrupted
 * at any moment (killed process, full disk, error) leaves the previous file untouched, or no file, never a
 * partial one that looks complete. The temporary name starts with a dot and ends with `.partial`, so a user
 * who finds one after a power cut sees it is not a finished export; failed writes remove it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A fresh temporary path beside `path` (same folder, so the final rename never crosses file systems). */
export function partialPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
}

/** Flushes a file (or a folder's entries) to disk. Folders that cannot be opened for fsync are skipped. */
function fsyncPath(path: string, isFolder: boolean): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, isFolder ? 'r' : 'r+');
    fsyncSync(fd);
  } catch (err) {
    if (!isFolder) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsyncs the finished temporary file, renames it over `path` and fsyncs the folder. */
function commit(partial: string, path: string): void {
  fsyncPath(partial, false);
  renameSync(partial, path);
  fsyncPath(dirname(path), true);
}

/**
 * Writes `path` atomically from chunks (synchronous). `onChunk` hears each chunk's index after it is written.
 * Throws what the write threw, with `path` unchanged.
 */
export function writeChunksAtomically(
  path: string,
  chunks: Iterable<Uint8Array>,
  onChunk: (index: number) => void = () => undefined,
): void {
  const partial = partialPathFor(path);
  const fd = openSync(partial, 'wx');
  try {
    let i = 0;
    for (const chunk of chunks) {
      writeSync(fd, chunk);
      onChunk(i++);
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
  try {
    commit(partial, path);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/**
 * Runs `write` on a temporary path beside `path` (its folder created first) and, once it resolves, makes
 * the result `path` atomically. When `write` throws, the temporary file is removed and `path` is unchanged.
 */
export async function withAtomicFile<T>(
  path: string,
  write: (partialPath: string) => Promise<T>,
): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const partial = partialPathFor(path);
  try {
    const result = await write(partial);
    commit(partial, path);
    return result;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
