import { describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../src/shared/api-contract.js';
import { dispatch } from '../../../src/shared/dispatch.js';
import { ApiFailure } from '../../../src/shared/result.js';
import { deviceSessionFakeHandlers } from '../app/device-manager-fake-handlers.js';

const status = { state: 'streaming' as const, deviceId: 'synthetic' };
const handlers: ApiHandlers = {
  ...deviceSessionFakeHandlers,
  listDevices: async () => [],
  startStream: async ({ deviceId }) => {
    if (deviceId === 'missing') throw new ApiFailure('not-found', 'No such device.', 'deviceId');
    return { ...status, deviceId };
  },
  stopStream: async () => ({ state: 'stopped', deviceId: null }),
  getStreamStatus: async () => ({ state: 'bogus' }) as never,
  setLiveView: async () => {
    throw new Error('boom');
  },
};

describe('dispatch (shared by every binding)', () => {
  it('answers {ok, value} for a valid call', async () => {
    expect(await dispatch(handlers, 'startStream', { deviceId: 'synthetic' })).toEqual({
      ok: true,
      value: status,
    });
  });

  it('refuses an unknown method by name', async () => {
    const r = await dispatch(handlers, 'dropTables', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown-method', message: 'There is no API method called "dropTables".' },
    });
  });

  it('refuses input that breaks the schema and says where', async () => {
    const r = await dispatch(handlers, 'startStream', { deviceId: 42 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid-input', where: 'startStream.deviceId' });
  });

  it('refuses unexpected extra fields (strict inputs)', async () => {
    const r = await dispatch(handlers, 'stopStream', { force: true });
    expect(r.ok).toBe(false);
  });

  it('passes an ApiFailure through with its code and place', async () => {
    expect(await dispatch(handlers, 'startStream', { deviceId: 'missing' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such device.', where: 'deviceId' },
    });
  });

  it('turns an unexpected exception into an internal error without a stack', async () => {
    const r = await dispatch(handlers, 'setLiveView', { widthPx: 800, windowS: 10 });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('refuses a handler output that breaks the contract', async () => {
    const r = await dispatch(handlers, 'getStreamStatus', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('internal');
  });
});
