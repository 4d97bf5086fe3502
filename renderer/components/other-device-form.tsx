import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/shared/api-contract.js';
import type { DeviceKindInfo } from '../../src/shared/api/device-api.js';
import { deviceSpecOf, guidedDeviceProblems } from '../../src/shared/device-spec-text.js';
import { describedBy, FieldNote } from './field-note.js';

const TRANSPORT_TEXT = { serial: 'USB or serial cable', ble: 'Bluetooth' } as const;

/** What the form gives its owner: the spec to start, or the problems (in words, per field) that stop it. */
export interface OtherDeviceChoice {
  spec: string;
  problems: Record<string, string>;
}

/**
 * "Other device", guided: how it connects, which kind (from the device descriptors, via `listDeviceKinds`),
 * the port or Bluetooth id, and the options that kind takes. The spec the app reads is written from these;
 * under "Advanced" it can be typed instead (for example a group of devices, `group:SPEC|SPEC`).
 * `showProblems` shows what is missing at each field (after a Start attempt).
 */
export function OtherDeviceForm({
  api,
  onChange,
  showProblems,
}: {
  api: ApiClient;
  /** Called when the choice changes; must be stable (a state setter). */
  onChange: (choice: OtherDeviceChoice) => void;
  showProblems: boolean;
}) {
  const [kinds, setKinds] = useState<DeviceKindInfo[]>([]);
  const [transport, setTransport] = useState<'serial' | 'ble'>('serial');
  const [kindId, setKindId] = useState('');
  const [address, setAddress] = useState('');
  const [options, setOptions] = useState<Record<string, string>>({});
  const [rawSpec, setRawSpec] = useState('');
  const [loadError, setLoadError] = useState<string | undefined>();

  useEffect(() => {
    api.call('listDeviceKinds', {}).then(setKinds, (e: Error) => setLoadError(e.message));
  }, [api]);

  const ofTransport = kinds.filter((k) => k.transport === transport);
  const kind = ofTransport.find((k) => k.kind === kindId) ?? ofTransport[0];
  const guided = { transport, address, kind: kind?.kind ?? '', options };
  const problems = rawSpec.trim()
    ? {}
    : guidedDeviceProblems(
        guided,
        (kind?.options ?? []).filter((o) => o.required),
      );
  const spec = rawSpec.trim() || (kind && Object.keys(problems).length === 0 ? deviceSpecOf(guided) : '');

  // Reported when it changes (problems by value: the object is new on every render).
  const problemsKey = JSON.stringify(problems);
  useEffect(
    () => onChange({ spec, problems: JSON.parse(problemsKey) as Record<string, string> }),
    [onChange, spec, problemsKey],
  );

  const problemAt = (field: string): string | undefined => (showProblems ? problems[field] : undefined);
  const addressLabel = transport === 'serial' ? 'Port' : 'Bluetooth id';

  return (
    <fieldset className="other-device">
      <legend>Other device</legend>
      {loadError && <p className="error">The kinds of devices could not be loaded: {loadError}</p>}
      <div className="choices" role="radiogroup" aria-label="Connected by">
        {(['serial', 'ble'] as const).map((t) => (
          <label key={t}>
            <input
              type="radio"
              name="other-device-transport"
              checked={transport === t}
              onChange={() => {
                setTransport(t);
                setOptions({});
              }}
            />{' '}
            {TRANSPORT_TEXT[t]}
          </label>
        ))}
      </div>
      <div className="form-row">
        <label>
          Kind
          <select
            value={kind?.kind ?? ''}
            onChange={(e) => {
              setKindId(e.target.value);
              setOptions({});
            }}
          >
            {ofTransport.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {addressLabel}
          <input
            type="text"
            value={address}
            spellCheck={false}
            placeholder={transport === 'serial' ? '/dev/ttyUSB0' : 'c0ffee123456'}
            onChange={(e) => setAddress(e.target.value)}
            {...describedBy('other-device-address-note', problemAt('address'))}
          />
        </label>
      </div>
      <FieldNote id="other-device-address-note" error={problemAt('address')} />
      {kind?.options.map((o) => {
        const noteId = `other-device-${o.key}-note`;
        const value = options[o.key] ?? '';
        const set = (v: string): void => setOptions((prev) => ({ ...prev, [o.key]: v }));
        return (
          <div key={o.key}>
            <label>
              {o.label}
              {o.choices ? (
                <select value={value || (o.defaultValue ?? '')} onChange={(e) => set(e.target.value)}>
                  {o.choices.map((c) => (
                    <option key={c.value} value={c.value}>
                      {c.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  type="text"
                  value={value}
                  spellCheck={false}
                  placeholder={o.defaultValue}
                  onChange={(e) => set(e.target.value)}
                  aria-describedby={`${noteId}-hint${problemAt(o.key) ? ` ${noteId}` : ''}`}
                  {...(problemAt(o.key) ? { 'aria-invalid': true } : {})}
                />
              )}
            </label>
            <p className="hint" id={`${noteId}-hint`}>
              {o.hint}
            </p>
            <FieldNote id={noteId} error={problemAt(o.key)} />
          </div>
        );
      })}
      <details className="other-device__advanced" open={rawSpec !== '' ? true : undefined}>
        <summary>Advanced: device spec</summary>
        <label>
          Device spec
          <input
            type="text"
            value={rawSpec}
            spellCheck={false}
            placeholder={spec || 'serial:/dev/ttyUSB0?kind=cyton'}
            onChange={(e) => setRawSpec(e.target.value)}
            aria-describedby="other-device-spec-hint"
          />
        </label>
        <p className="hint" id="other-device-spec-hint">
          Used instead of the fields above when filled in; several devices at once as group:SPEC|SPEC (for
          example EMG from one, motion from another).
        </p>
      </details>
    </fieldset>
  );
}
