/**
 * Deny-by-default permissions of the desktop window's session. The renderer needs no web permission at all:
 * devices (serial, Bluetooth LE, USB, HID) are reached from the main process, never through WebSerial,
 * WebBluetooth, WebUSB or WebHID, so every permission request and check is refused and every device chooser
 * is cancelled before Electron could pick a device on its own.
 */

/** The event of a device-selection request; `preventDefault` stops Electron's own (first device) choice. */
export interface SelectionEvent {
  preventDefault(): void;
}

/** The parts of Electron's `Session` that {@link lockDownSession} uses. */
export interface LockableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (contents: unknown, permission: string, origin: string) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  setBluetoothPairingHandler(
    handler: (details: unknown, callback: (response: { confirmed: boolean }) => void) => void,
  ): void;
  on(
    event: 'select-serial-port',
    listener: (
      event: SelectionEvent,
      ports: unknown[],
      contents: unknown,
      callback: (portId: string) => void,
    ) => void,
  ): unknown;
  on(
    event: 'select-hid-device',
    listener: (event: SelectionEvent, details: unknown, callback: (deviceId?: string | null) => void) => void,
  ): unknown;
  on(
    event: 'select-usb-device',
    listener: (event: SelectionEvent, details: unknown, callback: (deviceId?: string) => void) => void,
  ): unknown;
}

/** The parts of Electron's `WebContents` that {@link denyBluetoothChooser} uses. */
export interface BluetoothChooserContents {
  on(
    event: 'select-bluetooth-device',
    listener: (event: SelectionEvent, devices: unknown[], callback: (deviceId: string) => void) => void,
  ): unknown;
}

/**
 * Refuses every permission request and check (camera, microphone, notifications, clipboard, serial, HID,
 * USB, Bluetooth…), every device permission and Bluetooth pairing, and cancels the serial, HID and USB
 * choosers. Call once on the window's session before any page loads.
 */
export function lockDownSession(session: LockableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setBluetoothPairingHandler((_details, callback) => callback({ confirmed: false }));
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
}

/** Cancels WebBluetooth's device chooser of `contents` (an empty id cancels the request). */
export function denyBluetoothChooser(contents: BluetoothChooserContents): void {
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}
