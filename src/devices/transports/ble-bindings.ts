/**
 * Which noble bindings to use (pure decision, tested per platform).
 *
 * - macOS → `mac` (CoreBluetooth), Windows 10 1703+ → `win` (WinRT): noble's native bindings, nothing to set.
 * - Linux → `dbus` (BlueZ over D-Bus: works as a normal user, shares the adapter with the desktop, needs the
 *   optional `dbus-next` package and a system bus) when both are available; otherwise `hci` (raw HCI socket:
 *   needs root or `sudo setcap cap_net_raw,cap_net_admin+eip $(readlink -f $(which node))`, and takes the
 *   adapter away from bluetoothd; pick the adapter with NOBLE_HCI_DEVICE_ID).
 * - `TONUS_BLE_BINDINGS=hci|dbus` (or noble's own NOBLE_BINDINGS) forces a choice.
 */

export type BleBindingsKind = 'hci' | 'dbus' | 'mac' | 'win';

export interface BindingsEnvironment {
  platform: string;
  env: Record<string, string | undefined>;
  hasDbusNext: boolean;
  hasSystemBus: boolean;
}

export interface BindingsChoice {
  kind: BleBindingsKind | 'none';
  /** Why, in words a user can act on. */
  reason: string;
}

export function selectBleBindings(e: BindingsEnvironment): BindingsChoice {
  const forced = (e.env.TONUS_BLE_BINDINGS ?? e.env.NOBLE_BINDINGS ?? '').toLowerCase();
  if (forced === 'dbus' && !e.hasDbusNext)
    return {
      kind: 'none',
      reason: 'D-Bus bindings were requested but the "dbus-next" package is not installed.',
    };
  if (forced === 'hci' || forced === 'dbus' || forced === 'mac' || forced === 'win')
    return { kind: forced, reason: `requested by environment (${forced})` };
  if (e.platform === 'darwin') return { kind: 'mac', reason: 'CoreBluetooth (macOS)' };
  if (e.platform === 'win32') return { kind: 'win', reason: 'WinRT Bluetooth (Windows)' };
  if (e.platform === 'linux' || e.platform === 'freebsd') {
    if (e.platform === 'linux' && e.hasDbusNext && e.hasSystemBus)
      return { kind: 'dbus', reason: 'BlueZ over D-Bus (no root needed)' };
    return {
      kind: 'hci',
      reason: e.hasDbusNext
        ? 'raw HCI socket (no D-Bus system bus found; needs root or cap_net_raw)'
        : 'raw HCI socket ("dbus-next" not installed, so BlueZ D-Bus is unavailable; needs root or cap_net_raw)',
    };
  }
  return { kind: 'none', reason: `Bluetooth LE is not supported on ${e.platform}.` };
}
