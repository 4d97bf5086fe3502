import { describe, expect, it } from 'vitest';
import { quitAfterClose, type QuittingAppLike } from '../../electron/graceful-quit.js';

/** Stands in for Electron's app: `quit()` emits will-quit and counts as done unless a listener prevents it. */
class FakeApp implements QuittingAppLike {
  private listener: ((event: { preventDefault(): void }) => void) | undefined;
  quitted = 0;
  on(_event: 'will-quit', listener: (event: { preventDefault(): void }) => void): void {
    this.listener = listener;
  }
  quit(): void {
    let prevented = false;
    this.listener?.({ preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted++;
  }
}

describe('quitting the desktop app', () => {
  it('waits for the app to close (recording flushed, database closed) before quitting, once', async () => {
    const app = new FakeApp();
    let finishClose: () => void = () => undefined;
    let closes = 0;
    quitAfterClose(app, () => {
      closes++;
      return new Promise<void>((resolve) => (finishClose = resolve));
    });
    app.quit();
    app.quit();
    expect(app.quitted).toBe(0);
    finishClose();
    await new Promise((r) => setTimeout(r, 0));
    expect(closes).toBe(1);
    expect(app.quitted).toBe(1);
  });

  it('still quits when closing fails, and says why', async () => {
    const app = new FakeApp();
    const errors: unknown[] = [];
    quitAfterClose(
      app,
      () => Promise.reject(new Error('disk gone')),
      (e) => errors.push(e),
    );
    app.quit();
    await new Promise((r) => setTimeout(r, 0));
    expect(app.quitted).toBe(1);
    expect(String(errors[0])).toMatch(/disk gone/);
  });
});
