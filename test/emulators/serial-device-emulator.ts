/**
 * A serial device emulator: opens one end of a pty pair (socat) and behaves like an OpenBCI Cyton, a BITalino or
 * an Arduino sketch printing CSV lines (`counter,env,raw`, 200 lines/s from the moment the port opens),
 * answering the host's commands and streaming real protocol bytes paced by its own clock. Records every
 * command byte it receives, so tests can check what the driver wrote.
 *
 * Run alone: node build/node/test/emulators/serial-device-emulator.js cyton|bitalino|line /dev/pts/N
 */

import { SerialPort } from 'serialport';
import { encodeBitalinoFrame } from '../../src/devices/codecs/bitalino.js';
import { encodeCytonPacket } from '../../src/devices/codecs/cyton.js';

export type EmulatedDevice = 'cyton' | 'bitalino' | 'line';

const TICK_MS = 20;

export class SerialDeviceEmulator {
  /** Every byte the host wrote, in order. */
  readonly received: number[] = [];
  /** Packets (Cyton) or frames (BITalino) written so far. */
  sent = 0;
  private port: SerialPort | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private streamStartMs = 0;
  private bitalinoRateHz = 1;
  private bitalinoChannels = 0;
  private isPaused = false;

  constructor(
    readonly kind: EmulatedDevice,
    readonly path: string,
  ) {}

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (data: Buffer) => {
      for (const b of data) this.onCommand(b);
    });
    port.on('error', () => this.stopStreaming());
    port.on('close', () => this.stopStreaming());
    this.port = port;
    if (this.kind === 'line')
      this.startStreaming(200, (n) => new TextEncoder().encode(`${n % 256},${n % 50},${512 + (n % 7)}\r\n`));
  }

  /** Goes silent while staying connected (a stalled device), until {@link resume}. */
  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  /** Stops sending for good (the port stays open): {@link sent} is then the exact count the device emitted. */
  halt(): void {
    this.stopStreaming();
  }

  get isStreaming(): boolean {
    return this.timer !== undefined;
  }

  async close(): Promise<void> {
    this.stopStreaming();
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private write(bytes: Uint8Array | string): void {
    if (this.port?.isOpen)
      this.port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));
  }

  private onCommand(b: number): void {
    this.received.push(b);
    if (this.kind === 'cyton') this.onCytonCommand(String.fromCharCode(b));
    else if (this.kind === 'bitalino') this.onBitalinoCommand(b);
  }

  private onCytonCommand(c: string): void {
    if (c === 'v') {
      this.stopStreaming();
      this.write(
        'OpenBCI V3 8-16 channel\nADS1299 Device ID: 0x3E\nLIS3DH Device ID: 0x33\nFirmware: v3.1.1\n$$$',
      );
    } else if (c === 'd') this.write('updating channel settings to default$$$');
    else if (c === 'b') this.startStreaming(250, (n) => this.cytonPacket(n));
    else if (c === 's') this.stopStreaming();
  }

  private cytonPacket(n: number): Uint8Array {
    const counts = Array.from({ length: 8 }, (_, ch) =>
      Math.round(10000 * Math.sin((2 * Math.PI * (ch + 1) * n) / 250)),
    );
    const accel: [number, number, number] = n % 10 === 0 ? [0, 0, 8000] : [0, 0, 0];
    return encodeCytonPacket(n, counts, accel);
  }

  private onBitalinoCommand(b: number): void {
    if (b === 0x07) this.write('BITalino_v5.1\n');
    else if ((b & 0x03) === 0x03 && b <= 0xc3 && (b & 0x3c) === 0)
      this.bitalinoRateHz = [1, 10, 100, 1000][b >> 6] ?? 1;
    else if ((b & 0x03) === 0x01) {
      const mask = b >> 2;
      this.bitalinoChannels = [0, 1, 2, 3, 4, 5].filter((i) => mask & (1 << i)).length;
      this.startStreaming(this.bitalinoRateHz, (n) =>
        encodeBitalinoFrame(
          n,
          Array.from(
            { length: this.bitalinoChannels },
            (_, k) => (512 + Math.round(300 * Math.sin(n / 10 + k))) >> (k >= 4 ? 4 : 0),
          ),
        ),
      );
    } else if (b === 0x00) this.stopStreaming();
  }

  private startStreaming(rateHz: number, packet: (n: number) => Uint8Array): void {
    this.stopStreaming();
    this.sent = 0;
    this.streamStartMs = Date.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - this.streamStartMs) / 1000) * rateHz) - this.sent;
      if (due <= 0) return;
      if (this.isPaused) {
        this.sent += due;
        return;
      }
      const parts: Uint8Array[] = [];
      for (let i = 0; i < due; i++) parts.push(packet(this.sent++));
      this.write(Buffer.concat(parts));
    }, TICK_MS);
  }

  private stopStreaming(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const isMain = process.argv[1]?.endsWith('serial-device-emulator.js') ?? false;
if (isMain) {
  const [kind, path] = process.argv.slice(2);
  if ((kind !== 'cyton' && kind !== 'bitalino' && kind !== 'line') || !path) {
    console.error('usage: serial-device-emulator.js cyton|bitalino|line /dev/pts/N');
    process.exit(2);
  }
  const emulator = new SerialDeviceEmulator(kind, path);
  await emulator.open();
  console.error(`emulating a ${kind} on ${path}`);
}
