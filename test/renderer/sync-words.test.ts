import { describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../src/shared/api/sync-api.js';
import { formatDateTime } from '../../renderer/format.js';
import { syncSummary } from '../../renderer/sync-words.js';

const base: SyncStatusView = {
  server: 'db.clinic.example:5432, database tonus, as tonus_north',
  site: null,
  lastAttemptAt: null,
  lastSuccessAt: null,
  pending: 0,
  sessionsWithoutSignals: 0,
  error: null,
  syncing: false,
  keychain: true,
};

describe('sync status in words', () => {
  it('says when nothing is set up, never synced, synced, syncing, and what waits', () => {
    expect(syncSummary({ ...base, server: null })).toEqual([
      'No clinic server is set up: everything stays on this computer.',
    ]);
    expect(syncSummary({ ...base, pending: 1 })).toEqual(['Not synced yet.', '1 change waiting to be sent.']);
    const at = '2026-12-05T09:40:00.000Z';
    expect(syncSummary({ ...base, lastSuccessAt: at, pending: 1200, site: 'north' })).toEqual([
      `Last sync: ${formatDateTime(Date.parse(at))}.`,
      `${(1200).toLocaleString()} changes waiting to be sent.`,
      'This computer syncs as site “north”.',
    ]);
    expect(syncSummary({ ...base, syncing: true })[0]).toBe('Syncing now…');
    expect(syncSummary({ ...base, lastSuccessAt: at })[1]).toBe('Nothing waiting to be sent.');
  });

  it('says how many sessions recorded elsewhere lack their signals here', () => {
    expect(syncSummary({ ...base, sessionsWithoutSignals: 1 })[2]).toBe(
      'The signals of 1 session recorded on other computers are not all here: its review says where they are.',
    );
    expect(syncSummary({ ...base, sessionsWithoutSignals: 3 })[2]).toBe(
      'The signals of 3 sessions recorded on other computers are not all here: their reviews say where they are.',
    );
  });
});
