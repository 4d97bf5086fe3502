import { open, readFile, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { CaptureRecord, CaptureSidecar } from './capture-format.js';
import {
  CaptureSidecarSchema,
  decodeCapture,
  encodeCaptureHeader,
  encodeCaptureRecord,
} from './capture-format.js';
import { parseDeviceSpec } from './descriptors.js';
import type { DeviceDescriptor } from './driver.js';
import { CanceledError } from './driver.js';
import { codecForSpec } from './codec-factory.js';
import { parseLineProfile } from './codecs/line-protocol.js';
import { StreamingDriver } from './drivers/streaming-driver.js';
import type { Transport, TransportChunk } from './transport.js';
import { ChunkQueue } from './transport.js';

/** Writes a capture (see capture-format.ts) chunk by chunk; `finish` writes the sidecar. */
export class CaptureWriter {
  private file: FileHandle | undefined;
  private readonly sources: string[] = [];
  private chunks = 0;
  private bytes = 0;
  private lastOffsetMs = 0;
  private pending: Promise<void> = Promise.resolve();
  private startedAtMs = Number.NaN;

  constructor(
    readonly path: string,
    readonly device: string,
    readonly note?: string,
  ) {}

  async open(): Promise<void> {
    this.file = await open(this.path, 'w');
    await this.file.write(encodeCaptureHeader());
  }

  /** Appends one chunk (call in arrival order; writes are serialised). */
  add(chunk: TransportChunk): void {
    const file = this.file;
    if (!file) return;
    if (Number.isNaN(this.startedAtMs)) this.startedAtMs = chunk.receivedAtMs;
    let src = 0;
    if (chunk.source !== undefined) {
      let i = this.sources.indexOf(chunk.source);
      if (i < 0) i = this.sources.push(chunk.source) - 1;
      src = i + 1;
    }
    const offsetMs = chunk.receivedAtMs - this.startedAtMs;
    this.lastOffsetMs = offsetMs;
    this.chunks++;
    this.bytes += chunk.bytes.length;
    const record = encodeCaptureRecord(offsetMs, src, Uint8Array.from(chunk.bytes));
    this.pending = this.pending.then(async () => {
      await file.write(record);
    });
  }

  async finish(): Promise<CaptureSidecar> {
    await this.pending;
    await this.file?.close();
    this.file = undefined;
    const sidecar: CaptureSidecar = {
      format: 'tonus-capture',
      version: 1,
      device: this.device,
      startedAtMs: Number.isNaN(this.startedAtMs) ? Date.now() : this.startedAtMs,
      sources: this.sources,
      chunks: this.chunks,
      bytes: this.bytes,
      durationMs: this.lastOffsetMs,
    };
    if (this.note) sidecar.note = this.note;
    await writeFile(`${this.path}.json`, `${JSON.stringify(sidecar, null, 2)}\n`);
    return sidecar;
  }
}

/** Reads a capture and its sidecar (`FILE.json`); errors name the file and what is wrong. */
export async function readCapture(
  path: string,
): Promise<{ sidecar: CaptureSidecar; records: CaptureRecord[] }> {
  const sidecarPath = `${path}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(sidecarPath, 'utf8'));
  } catch (err) {
    throw new Error(
      `${sidecarPath}: cannot read the capture sidecar (${err instanceof Error ? err.message : String(err)})`,
      {
        cause: err,
      },
    );
  }
  const parsed = CaptureSidecarSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${sidecarPath}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid sidecar'}`,
    );
  }
  const records = decodeCapture(new Uint8Array(await readFile(path)), parsed.data.sources, path);
  return { sidecar: parsed.data, records };
}

export interface ReplayOptions {
  /** 1 = real time, 0 = as fast as possible (default). */
  speed?: number;
  /** Receive times: the captured ones (default; deterministic fitted clocks) or the replay's own. */
  timeBase?: 'captured' | 'now';
}

/**
 * Plays a capture back as a {@link Transport}: the same chunks, sources and (by default) receive times, then
 * ends. Writes are accepted and kept in `written`, so a driver's commands can be checked.
 */
export class ReplayTransport implements Transport {
  readonly id: string;
  readonly chunks = new ChunkQueue();
  readonly written: Uint8Array[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly capture: { sidecar: CaptureSidecar; records: CaptureRecord[] },
    private readonly options: ReplayOptions = {},
  ) {
    this.id = capture.sidecar.device;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CanceledError();
    this.chunks.restart();
  }

  /** Starts delivering chunks (the replay driver calls this when streaming starts). */
  play(): void {
    const { records, sidecar } = this.capture;
    const speed = this.options.speed ?? 0;
    const base = this.options.timeBase === 'now' ? Date.now() : sidecar.startedAtMs;
    let i = 0;
    const step = (): void => {
      for (;;) {
        const r = records[i];
        if (!r) {
          this.chunks.end();
          return;
        }
        const chunk: TransportChunk = { bytes: r.bytes, receivedAtMs: base + r.offsetMs };
        if (r.source !== undefined) chunk.source = r.source;
        this.chunks.push(chunk);
        i++;
        const next = records[i];
        if (speed > 0 && next) {
          this.timer = setTimeout(step, (next.offsetMs - r.offsetMs) / speed);
          return;
        }
      }
    };
    step();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.written.push(Uint8Array.from(bytes));
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.chunks.end();
  }
}

/**
 * A driver that replays a capture through the real codec of the device it was made with (`?profile=` of a
 * line device is read relative to the working directory).
 */
export async function createReplayDriver(
  path: string,
  options: ReplayOptions = {},
): Promise<StreamingDriver> {
  const capture = await readCapture(path);
  const spec = parseDeviceSpec(capture.sidecar.device);
  const profileFile = spec.params.profile;
  const profile = profileFile
    ? parseLineProfile(await readFile(profileFile, 'utf8'), profileFile)
    : undefined;
  const codec = codecForSpec(spec, profile);
  const transport = new ReplayTransport(capture, options);
  const descriptor: DeviceDescriptor = {
    id: `file:${path}`,
    name: `Replay of ${capture.sidecar.device}`,
    transport: 'file',
    streams: codec.streams,
  };
  return new StreamingDriver(descriptor, transport, codec, {
    async handshake() {},
    async start() {
      transport.play();
    },
    async stop() {},
  });
}
