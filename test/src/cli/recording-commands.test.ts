import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session, SessionDetail } from '../../../src/shared/api/session-api.js';
import { runCliCaptured as capture } from '../../support/cli-capture.js';

describe('tonus record, sessions, show', () => {
  it('records the demo device, creates the patient on first use, lists and shows the session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tonus-cli-'));
    const d = ['--data-dir', dir];
    const rec = await capture([
      ...d,
      'record',
      '--device',
      'synthetic',
      '--seconds',
      '0.6',
      '--patient',
      'P-21',
      '--protocol',
      'rest',
      '--muscle',
      'soleus',
      '--side',
      'right',
      '--json',
    ]);
    expect(rec.code).toBe(0);
    expect(rec.err).toMatch(/^Recording session 1 from Demo device/);
    const recorded = JSON.parse(rec.out) as SessionDetail;
    expect(recorded).toMatchObject({
      id: 1,
      status: 'complete',
      patientCode: 'P-21',
      muscle: 'soleus',
      side: 'right',
    });

    const list = await capture([...d, 'sessions', '--patient', 'P-21', '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as Session[]).map((s) => [s.id, s.status])).toEqual([[1, 'complete']]);
    const human = await capture([...d, 'sessions']);
    expect(human.out).toMatch(/^\s+1 .* P-21 .* rest .* soleus right .* complete/);

    const show = await capture([...d, 'show', '1', '--json']);
    expect(JSON.parse(show.out)).toEqual(recorded);
    const showHuman = await capture([...d, 'show', '1']);
    expect(showHuman.out).toContain('Quality   0 samples dropped in 0 gaps');
    expect(showHuman.out).toMatch(
      /emg\s+8 ch {2}nominal 2000 Hz {2}effective 2000\.00 Hz {2}stored \d+ samples/,
    );
  });

  it('answers with exit codes scripts can rely on', async () => {
    const d = ['--data-dir', mkdtempSync(join(tmpdir(), 'tonus-cli-'))];
    const base = ['--seconds', '1', '--patient', 'P1', '--protocol', 'rest'];
    const serial = await capture([...d, 'record', '--device', 'serial:/dev/tonus-no-such-port', ...base]);
    expect(serial).toMatchObject({ code: 5, out: '' });
    expect(serial.err).toContain('/dev/tonus-no-such-port');
    const replay = await capture([...d, 'record', '--device', 'replay:no-such-file.bdf', ...base]);
    expect(replay.code).toBe(4);
    expect(replay.err).toContain('no-such-file.bdf');
    const ble = await capture([...d, 'record', '--device', 'ble:AA', ...base]);
    expect(ble.code).toBe(4);
    expect(ble.err).toContain('?kind=');
    expect((await capture([...d, 'record', '--device', 'usb', ...base])).err).toContain(
      'Unknown device "usb"',
    );
    expect((await capture([...d, 'record', '--device', 'usb', ...base])).code).toBe(2);
    expect(
      (await capture([...d, 'record', '--device', 'synthetic', ...base.slice(2), '--seconds', '-1'])).code,
    ).toBe(2);
    expect(
      (
        await capture([
          ...d,
          'record',
          '--device',
          'synthetic',
          '--seconds',
          '1',
          '--patient',
          'a b',
          '--protocol',
          'rest',
        ])
      ).code,
    ).toBe(4);
    expect((await capture([...d, 'show', '7'])).code).toBe(3);
    expect((await capture([...d, 'show', 'seven'])).code).toBe(2);
    expect((await capture([...d, 'sessions', '--patient', 'nobody'])).code).toBe(3);
    expect(JSON.parse((await capture([...d, 'sessions', '--json'])).out)).toEqual([]);
  });
});
