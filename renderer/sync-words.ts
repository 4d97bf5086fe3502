import type { SyncStatusView } from '../src/shared/api/sync-api.js';
import { countOf, formatDateTime } from './format.js';

/** The sync state in words: last sync, what waits, the last error. */
export function syncSummary(s: SyncStatusView): string[] {
  if (!s.server) return ['No clinic server is set up: everything stays on this computer.'];
  const lines = [
    s.syncing
      ? 'Syncing now…'
      : s.lastSuccessAt
        ? `Last sync: ${formatDateTime(Date.parse(s.lastSuccessAt))}.`
        : 'Not synced yet.',
    s.pending === 0 ? 'Nothing waiting to be sent.' : `${countOf(s.pending, 'change')} waiting to be sent.`,
  ];
  if (s.sessionsWithoutSignals > 0)
    lines.push(
      `The signals of ${countOf(s.sessionsWithoutSignals, 'session')} recorded on other computers are not all here: ${s.sessionsWithoutSignals === 1 ? 'its review says' : 'their reviews say'} where they are.`,
    );
  if (s.site) lines.push(`This computer syncs as site “${s.site}”.`);
  return lines;
}
