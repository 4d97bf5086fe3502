import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { CanceledError, DeviceDisconnectedError } from '../driver.js';
import type { Transport } from '../transport.js';
import { ChunkQueue } from '../transport.js';

/** A serial port as the OS lists it. Vendor and product ids are lowercase hex without `0x`, when known. */
export interface SerialPortEntry {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** Which device this probably is, from the USB ids (the OpenBCI dongle is an FTDI FT231X, 0403:6015). */
  likelyDevice?: 'cyton';
}

/** Lists serial ports with their USB ids. Never throws: a machine without ports yields []. */
export async function listSerialPorts(): Promise<SerialPortEntry[]> {
  const ports = await SerialPort.list().catch(() => []);
  return ports.map((p) => {
    const vendorId = p.vendorId?.toLowerCase();
    const productId = p.productId?.toLowerCase();
    const entry: SerialPortEntry = { path: p.path };
    if (vendorId) entry.vendorId = vendorId;
    if (productId) entry.productId = productId;
    if (p.manufacturer) entry.manufacturer = p.manufacturer;
    if (p.serialNumber) entry.serialNumber = p.serialNumber;
    if (vendorId === '0403' && productId === '6015') entry.likelyDevice = 'cyton';
    return entry;
  });
}

/**
 * How often an open port's path is checked. A port whose device node (or pty link) disappears is gone even
 * when the OS sends the open descriptor no hang-up, which happens with ptys under load.
 */
export const PRESENCE_CHECK_MS = 500;

/** How often a lost port's path is checked for its return (see {@link SerialTransport.waitUntilPresent}). */
export const RETURN_POLL_MS = 100;

export interface SerialOptions {
  baudRate: number;
}

/**
 * A serial port (USB CDC/FTDI, BT-SPP, or a pty) as a {@link Transport}. Can be opened again after a close or a
 * disconnect (the device is re-opened by path, so a re-plugged device with the same path comes back).
 * Unplugging, or the other end of a pty going away, fails `chunks` with `DeviceDisconnectedError`: on the port's
 * close or error events, or within {@link PRESENCE_CHECK_MS} of its path disappearing (paths that exist as
 * files when opened, i.e. not Windows COM names).
 */
export class SerialTransport implements Transport {
  readonly id: string;
  readonly chunks = new ChunkQueue();
  private port: SerialPort | undefined;
  private isClosing = false;
  private presenceTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly path: string,
    readonly options: SerialOptions,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.id = `serial:${path}`;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CanceledError();
    await this.close();
    this.chunks.restart();
    this.isClosing = false;
    const port = new SerialPort({ path: this.path, baudRate: this.options.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        port.close(() => undefined);
        reject(new CanceledError(`Opening ${this.path} was cancelled.`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      port.open((err) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return;
        if (err)
          reject(
            new DeviceDisconnectedError(this.id, `Cannot open serial port ${this.path}: ${err.message}`),
          );
        else resolve();
      });
    });
    this.port = port;
    port.on('data', (data: Buffer) => {
      this.chunks.push({
        bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        receivedAtMs: this.nowMs(),
      });
    });
    const gone = (why: string): void => {
      if (this.isClosing || this.port !== port) return;
      this.port = undefined;
      this.stopPresenceCheck();
      this.chunks.fail(new DeviceDisconnectedError(this.id, `Serial port ${this.path} went away (${why}).`));
    };
    if (existsSync(this.path)) {
      this.presenceTimer = setInterval(() => {
        if (existsSync(this.path)) return;
        gone('its device node disappeared');
        if (port.isOpen) port.close(() => undefined);
      }, PRESENCE_CHECK_MS);
      this.presenceTimer.unref?.();
    }
    port.on('close', (err: Error | null) => gone(err ? err.message : 'closed'));
    port.on('end', () => gone('end of stream'));
    port.on('error', (err: Error) => gone(err.message));
  }

  /**
   * Resolves within {@link RETURN_POLL_MS} of the port's path existing again (a device node or pty link); paths
   * that are not files (Windows COM names) are looked up in the OS port listing instead. Rejects with
   * `CanceledError` when `signal` aborts.
   */
  async waitUntilPresent(signal: AbortSignal): Promise<void> {
    const isFilePath = this.path.startsWith('/');
    const isPresent = async (): Promise<boolean> =>
      isFilePath ? existsSync(this.path) : (await listSerialPorts()).some((p) => p.path === this.path);
    while (!signal.aborted && !(await isPresent())) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, RETURN_POLL_MS);
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    }
    if (signal.aborted) throw new CanceledError(`Waiting for ${this.path} was cancelled.`);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new DeviceDisconnectedError(this.id, `Serial port ${this.path} is not open.`);
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err)
          reject(new DeviceDisconnectedError(this.id, `Writing to ${this.path} failed: ${err.message}`));
        else port.drain(() => resolve());
      });
    });
  }

  private stopPresenceCheck(): void {
    if (this.presenceTimer !== undefined) clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.stopPresenceCheck();
    this.isClosing = true;
    this.chunks.end();
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
