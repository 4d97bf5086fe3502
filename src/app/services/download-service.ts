import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ApiHandlers } from '../../shared/api-contract.js';
import type { downloadMethods } from '../../shared/api/download-api.js';

/** How long a prepared download waits to be fetched, s. */
export const DOWNLOAD_TTL_S = 600;

/** A file handed to the HTTP binding: stream `path` (`bytes` long) as `name`, then call `done`. */
export interface DownloadFile {
  path: string;
  name: string;
  bytes: number;
  contentType: string;
  /** Deletes the file (and its folder once empty): each download is served once. */
  done(): void;
}

interface Ticket {
  dir: string;
  files: Map<string, string>;
  timer: ReturnType<typeof setTimeout>;
}

const CONTENT_TYPE: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  bdf: 'application/octet-stream',
  edf: 'application/octet-stream',
};

/**
 * Exported files waiting to be downloaded, each under an unguessable one-time ticket. Files live in a
 * private temporary folder and are removed once fetched, after {@link DOWNLOAD_TTL_S}, or on `close`.
 */
export class DownloadStore {
  private readonly tickets = new Map<string, Ticket>();

  /** A fresh empty folder and its ticket; fill it, then {@link publish} what it holds. */
  reserve(): { ticket: string; dir: string } {
    const ticket = randomBytes(18).toString('base64url');
    const dir = mkdtempSync(join(tmpdir(), 'tonus-download-'));
    const timer = setTimeout(() => this.discard(ticket), DOWNLOAD_TTL_S * 1000);
    timer.unref();
    this.tickets.set(ticket, { dir, files: new Map(), timer });
    return { ticket, dir };
  }

  /** Makes the files (absolute paths inside the ticket's folder) fetchable; answers name and size of each. */
  publish(ticket: string, paths: readonly string[]): { name: string; bytes: number }[] {
    const t = this.tickets.get(ticket);
    if (!t) throw new Error(`Download ticket ${ticket} is unknown or expired.`);
    return paths.map((p) => {
      const name = basename(p);
      t.files.set(name, p);
      return { name, bytes: statSync(p).size };
    });
  }

  /** The file `name` of `ticket`, or undefined when either is unknown, expired or already fetched. */
  open(ticket: string, name: string): DownloadFile | undefined {
    const t = this.tickets.get(ticket);
    const path = t?.files.get(name);
    if (!t || path === undefined) return undefined;
    t.files.delete(name);
    const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
    return {
      path,
      name,
      bytes: statSync(path).size,
      contentType: CONTENT_TYPE[ext] ?? 'application/octet-stream',
      done: () => {
        rmSync(path, { force: true });
        if (t.files.size === 0) this.discard(ticket);
      },
    };
  }

  /** Deletes every waiting download. */
  close(): void {
    for (const ticket of [...this.tickets.keys()]) this.discard(ticket);
  }

  /** Deletes a ticket's folder and forgets it. */
  discard(ticket: string): void {
    const t = this.tickets.get(ticket);
    if (!t) return;
    clearTimeout(t.timer);
    this.tickets.delete(ticket);
    rmSync(t.dir, { recursive: true, force: true });
  }
}

/**
 * Handlers of the download methods: export with the same code as `exportSession`, into a folder of the
 * store, so the browser shell can fetch the files over HTTP.
 */
export function downloadService(
  store: DownloadStore,
  exportSession: ApiHandlers['exportSession'],
): Pick<ApiHandlers, keyof typeof downloadMethods> {
  return {
    prepareDownload: async ({ sessionId, format, jobId }) => {
      const { ticket, dir } = store.reserve();
      let files: string[];
      try {
        const path = format === 'csv' ? dir : join(dir, `session-${sessionId}.${format}`);
        files = (await exportSession({ sessionId, format, path, ...(jobId === undefined ? {} : { jobId }) }))
          .files;
      } catch (err) {
        store.discard(ticket);
        throw err;
      }
      const published = store.publish(ticket, files);
      return {
        files: published.map((f) => ({
          ...f,
          path: `/download/${ticket}/${encodeURIComponent(f.name)}`,
        })),
        expiresInS: DOWNLOAD_TTL_S,
      };
    },
  };
}
