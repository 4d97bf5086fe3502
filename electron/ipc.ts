import type { ApiEventSource, ApiHandlers } from '../src/shared/api-contract.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, eventNames } from '../src/shared/api-contract.js';
import { dispatch } from '../src/shared/dispatch.js';
import type { Result } from '../src/shared/result.js';
import { fail } from '../src/shared/result.js';
import { isAppUrl } from './window-options.js';

/** The parts of an IPC invoke event the wrapper looks at. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/** The parts of `ipcMain` the wrapper uses. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<Result<unknown>>,
  ): void;
  removeHandler(channel: string): void;
}

/** A sender is trusted only if the frame that sent the message shows our own app origin. */
export const isTrustedSender = (event: InvokeEventLike): boolean =>
  event.senderFrame !== null && isAppUrl(event.senderFrame.url);

/**
 * The one IPC wrapper: checks the sender, validates the input against the contract, runs the handler and
 * answers `{ok, value}` or `{ok:false, error}`. Returns a function that removes the handler.
 */
export function bindIpc(ipcMain: IpcMainLike, handlers: ApiHandlers): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method, input) => {
    if (!isTrustedSender(event)) {
      return fail('untrusted-sender', 'This request did not come from the Tonus window and was refused.');
    }
    return dispatch(handlers, typeof method === 'string' ? method : '', input);
  });
  return () => ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
}

/** The parts of `WebContents` that event forwarding uses. */
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Forwards every contract event to the window. Returns a function that stops forwarding. */
export function forwardEvents(events: ApiEventSource, target: EventTarget): () => void {
  const offs = eventNames.map((name) =>
    events.on(name, (payload) => {
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, name, payload);
    }),
  );
  return () => offs.forEach((off) => off());
}
