import { mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceDisconnectedError } from '../../../src/devices/driver.js';
import { SerialTransport } from '../../../src/devices/transports/serial.node.js';
import { SocatPair } from '../../emulators/socat-pair.js';

let pair: SocatPair | undefined;
let transport: SerialTransport | undefined;
let dir: string | undefined;

afterEach(async () => {
  await transport?.close();
  await pair?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
  transport = undefined;
  pair = undefined;
  dir = undefined;
});

describe('serial transport presence check', () => {
  // Needs socat for a real pty.
  it('reports a port whose device node disappears as disconnected, though its descriptor never hangs up', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-presence-'));
    pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
    await pair.start();
    // An alias of the live pty: removing it makes the path vanish while socat (and the descriptor) live on.
    const alias = join(dir, 'alias');
    symlinkSync(realpathSync(pair.hostPath), alias);
    transport = new SerialTransport(alias, { baudRate: 115200 });
    await transport.open();
    unlinkSync(alias);
    const error = await transport.chunks.next().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(DeviceDisconnectedError);
    expect((error as Error).message).toBe(`Serial port ${alias} went away (its device node disappeared).`);
  });

  it('waits while the port is gone and resolves once it reappears; a cancelled wait rejects', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tonus-presence-'));
    pair = new SocatPair(join(dir, 'host'), join(dir, 'device'));
    transport = new SerialTransport(pair.hostPath, { baudRate: 115200 });
    const watch = new AbortController();
    let isBack = false;
    const back = transport.waitUntilPresent(watch.signal).then(() => (isBack = true));
    // Unplugged: several polling intervals pass without the port.
    await new Promise((r) => setTimeout(r, 350));
    expect(isBack).toBe(false);
    await pair.start();
    await back;
    await transport.open();

    const cancelled = new AbortController();
    const gone = new SerialTransport(join(dir, 'never-plugged'), { baudRate: 115200 });
    const waiting = gone.waitUntilPresent(cancelled.signal);
    cancelled.abort();
    await expect(waiting).rejects.toThrow(/cancelled/);
  });
});
