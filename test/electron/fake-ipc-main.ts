import type { InvokeEventLike, IpcMainLike } from '../../electron/ipc.js';
import type { Result } from '../../src/shared/result.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<Result<unknown>>;

/**
 * Stands in for Electron's ipcMain (below the boundary under test: the handler a shell module binds);
 * `invoke` calls a handler as a frame at `frameUrl` would (null: a sender without a frame).
 */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<Result<unknown>> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}
