/** A device as the guided form describes it. */
export interface GuidedDevice {
  transport: 'serial' | 'ble';
  /** Serial port path (`/dev/ttyUSB0`, `COM3`) or Bluetooth id (hex, with or without colons). */
  address: string;
  kind: string;
  /** Option values by key; empty ones are left out (the device's default applies). */
  options: Readonly<Record<string, string>>;
}

/**
 * The device spec the app reads (`serial:/dev/ttyUSB0?kind=bitalino&rate=1000`), written from the guided
 * form: the address as typed (trimmed), then `kind` and every filled-in option, percent-encoded.
 */
export function deviceSpecOf(d: GuidedDevice): string {
  const params: string[] = [];
  for (const [key, value] of [['kind', d.kind], ...Object.entries(d.options)] as const) {
    const v = (value ?? '').trim();
    if (v !== '') params.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`);
  }
  return `${d.transport}:${d.address.trim()}?${params.join('&')}`;
}

/** What is missing or wrong in the guided form, per field, in words; empty when it can be used. */
export function guidedDeviceProblems(
  d: GuidedDevice,
  required: readonly { key: string; label: string }[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const address = d.address.trim();
  if (address === '')
    out.address =
      d.transport === 'serial' ? 'Enter the port, e.g. /dev/ttyUSB0 or COM3.' : 'Enter the Bluetooth id.';
  else if (d.transport === 'ble' && !/^[0-9a-fA-F:]+$/.test(address))
    out.address = 'A Bluetooth id holds hex digits only (0–9, a–f), with or without colons.';
  for (const o of required)
    if ((d.options[o.key] ?? '').trim() === '') out[o.key] = `Enter the ${o.label.toLowerCase()}.`;
  return out;
}
