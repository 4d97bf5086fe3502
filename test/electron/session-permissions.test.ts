import { describe, expect, it } from 'vitest';
import {
  denyBluetoothChooser,
  lockDownSession,
  type BluetoothChooserContents,
  type LockableSession,
  type SelectionEvent,
} from '../../electron/session-permissions.js';

type Listener = (event: SelectionEvent, ...rest: unknown[]) => void;

/** A fake of the session parts Electron would call, recording every handler installed. */
function fakeSession() {
  const handlers: Record<string, (...args: never[]) => unknown> = {};
  const listeners = new Map<string, Listener>();
  const session: LockableSession = {
    setPermissionRequestHandler: (h) => (handlers.request = h),
    setPermissionCheckHandler: (h) => (handlers.check = h),
    setDevicePermissionHandler: (h) => (handlers.device = h),
    setBluetoothPairingHandler: (h) => (handlers.pairing = h),
    on: (event: string, listener: Listener) => listeners.set(event, listener),
  } as LockableSession;
  return { session, handlers, listeners };
}

function selectionEvent() {
  const event = { prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
}

const PERMISSIONS = [
  'media',
  'notifications',
  'clipboard-read',
  'clipboard-sanitized-write',
  'serial',
  'hid',
  'usb',
  'bluetooth',
  'geolocation',
  'fullscreen',
  'openExternal',
];

describe('the desktop session denies by default', () => {
  it('refuses every permission request and every permission check', () => {
    const { session, handlers } = fakeSession();
    lockDownSession(session);
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = [];
      (handlers.request as (c: unknown, p: string, cb: (g: boolean) => void) => void)(null, permission, (g) =>
        answers.push(g),
      );
      expect(answers, permission).toEqual([false]);
      expect(
        (handlers.check as (c: unknown, p: string, o: string) => boolean)(null, permission, 'tonus://app'),
        permission,
      ).toBe(false);
    }
    expect(
      (handlers.device as (d: unknown) => boolean)({ deviceType: 'serial', origin: 'tonus://app' }),
    ).toBe(false);
    const pairing: unknown[] = [];
    (handlers.pairing as (d: unknown, cb: (r: { confirmed: boolean }) => void) => void)(
      { pairingKind: 'confirm' },
      (r) => pairing.push(r),
    );
    expect(pairing).toEqual([{ confirmed: false }]);
  });

  it('cancels the serial, HID and USB choosers instead of letting Electron pick a device', () => {
    const { session, listeners } = fakeSession();
    lockDownSession(session);
    const serial = selectionEvent();
    const serialAnswer: unknown[] = [];
    listeners.get('select-serial-port')?.(
      serial,
      [{ portId: 'p1', portName: 'ttyUSB0' }],
      null,
      (id: string) => serialAnswer.push(id),
    );
    expect(serial.prevented).toBe(true);
    expect(serialAnswer).toEqual(['']);

    const hid = selectionEvent();
    const hidAnswer: unknown[] = [];
    listeners.get('select-hid-device')?.(hid, { deviceList: [{ deviceId: 'h1' }] }, (id?: string | null) =>
      hidAnswer.push(id),
    );
    expect(hid.prevented).toBe(true);
    expect(hidAnswer).toEqual([null]);

    const usb = selectionEvent();
    const usbAnswer: unknown[] = [];
    listeners.get('select-usb-device')?.(usb, { deviceList: [{ deviceId: 'u1' }] }, (id?: string) =>
      usbAnswer.push(id),
    );
    expect(usb.prevented).toBe(true);
    expect(usbAnswer).toEqual([undefined]);
  });

  it('cancels the WebBluetooth chooser of every web contents', () => {
    let listener: Listener | undefined;
    const contents: BluetoothChooserContents = {
      on: (_event: string, l: Listener) => (listener = l),
    } as BluetoothChooserContents;
    denyBluetoothChooser(contents);
    const event = selectionEvent();
    const answer: unknown[] = [];
    listener?.(event, [{ deviceId: 'b1', deviceName: 'Ganglion' }], (id: string) => answer.push(id));
    expect(event.prevented).toBe(true);
    expect(answer).toEqual(['']);
  });
});
