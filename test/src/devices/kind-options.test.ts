import { describe, expect, it } from 'vitest';
import { deviceKinds, parseDeviceSpec } from '../../../src/devices/descriptors.js';
import { deviceKindInfos } from '../../../src/devices/kind-options.js';
import { deviceSpecOf, guidedDeviceProblems } from '../../../src/shared/device-spec-text.js';

describe('the guided "Other device" form', () => {
  it('offers every kind of the device descriptors, with its name and transport', () => {
    expect(deviceKindInfos().map(({ kind, name, transport }) => ({ kind, name, transport }))).toEqual(
      deviceKinds.map(({ kind, name, transport }) => ({ kind, name, transport })),
    );
  });

  it('writes specs the app reads back to the same kind, address and options, for every kind', () => {
    for (const k of deviceKindInfos()) {
      const options = Object.fromEntries(
        k.options.map((o) => [o.key, o.choices?.[0]?.value ?? o.defaultValue ?? '/tmp/my profile.json']),
      );
      const address = k.transport === 'serial' ? '/dev/ttyUSB0' : 'C0:FF:EE:12:34:56';
      const spec = parseDeviceSpec(deviceSpecOf({ transport: k.transport, address, kind: k.kind, options }));
      expect(spec, k.kind).toMatchObject({ transport: k.transport, kind: k.kind, params: options });
    }
    expect(
      deviceSpecOf({
        transport: 'serial',
        address: ' /dev/ttyACM0 ',
        kind: 'bitalino',
        options: { channels: '1,3', rate: '' },
      }),
    ).toBe('serial:/dev/ttyACM0?kind=bitalino&channels=1%2C3');
  });

  it('says in words what is missing: the port, a hex Bluetooth id, a required profile file', () => {
    const line = deviceKindInfos().find((k) => k.kind === 'line');
    const required = (line?.options ?? []).filter((o) => o.required);
    expect(
      guidedDeviceProblems({ transport: 'serial', address: '', kind: 'line', options: {} }, required),
    ).toEqual({ address: 'Enter the port, e.g. /dev/ttyUSB0 or COM3.', profile: 'Enter the profile file.' });
    expect(
      guidedDeviceProblems({ transport: 'ble', address: 'my-myo', kind: 'myo', options: {} }, []),
    ).toEqual({ address: 'A Bluetooth id holds hex digits only (0–9, a–f), with or without colons.' });
  });
});
