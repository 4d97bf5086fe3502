import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Largest recording the browser shell accepts by upload (a day of 8-channel EMG at 2 kHz in BDF is ≈ 4 GB; a visit is far less). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

/** Why an upload was refused, with the HTTP status to answer. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

/** A file name safe to keep on disk: the base name's letters, digits, dot, dash and underscore (its extension kept). */
export const safeFileName = (name: string): string =>
  basename(name.replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
    .slice(-120) || 'upload';

/**
 * Files a browser uploads for import: each request body is streamed (never held in memory) to a new file
 * in a private temporary folder (mode 0700, files 0600, created on first use), refused when its declared or
 * actual size passes `maxBytes`; a refused or broken upload leaves no file. Everything is removed on
 * {@link UploadStore.close}.
 */
export class UploadStore {
  private dir: string | undefined;

  constructor(readonly maxBytes = MAX_UPLOAD_BYTES) {}

  /** Stores the body of `req` as `name`; resolves with the stored file's path. */
  async receive(req: IncomingMessage, name: string): Promise<string> {
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared))
      throw new UploadRefused(411, 'The upload must say its size (Content-Length).');
    if (declared > this.maxBytes)
      throw new UploadRefused(
        413,
        `The file is ${Math.ceil(declared / 1048576)} MB; at most ${this.maxBytes / 1048576} MB can be uploaded.`,
      );
    this.dir ??= mkdtempSync(join(tmpdir(), 'tonus-upload-'));
    const file = join(this.dir, `${randomUUID()}-${safeFileName(name)}`);
    let seen = 0;
    const max = this.maxBytes;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > max) done(new UploadRefused(413, `The upload passed ${max / 1048576} MB.`));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      rmSync(file, { force: true });
      throw err instanceof UploadRefused
        ? err
        : new UploadRefused(400, `The upload broke off: ${String(err)}`);
    }
    return file;
  }

  /** Removes every uploaded file and the folder. */
  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
