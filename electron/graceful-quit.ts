/** The parts of Electron's `app` the quit guard uses. */
export interface QuittingAppLike {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds Electron's quit until `close` has finished (a recording in progress ends complete with its last
 * samples flushed, running jobs end, the database closes), then quits for real. A failing `close` is
 * reported through `onError` and the app still quits; a second quit request meanwhile waits for the same close.
 */
export function quitAfterClose(
  app: QuittingAppLike,
  close: () => Promise<void>,
  onError: (err: unknown) => void = (err) => console.error('Tonus did not close cleanly:', err),
): void {
  let closing: Promise<void> | undefined;
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    closing = close()
      .catch(onError)
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}
