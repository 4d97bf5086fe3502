import type { Db } from './database.node.js';
import { sessionInUse } from './visibility.node.js';

/** What this store knows of the signals of a session: who recorded it and how much of it is here. */
interface SignalFacts {
  id: number;
  elsewhere: number;
  end_reason: string | null;
  site_sync_chunks: number | null;
  have: number;
  server_chunks: number | null;
}

const factsSql = `SELECT s.id, s.workstation_id <> i.workstation_id AS elsewhere, s.end_reason, i.site_sync_chunks,
    (SELECT count(*) FROM sample_chunks c WHERE c.session_id = s.id) AS have, r.server_chunks
  FROM sessions s JOIN sync_identity i ON i.id = 1 LEFT JOIN remote_chunk_counts r ON r.session_id = s.id`;

function words(f: SignalFacts): string | undefined {
  if (!f.elsewhere || f.end_reason === 'no-data') return undefined;
  if (f.site_sync_chunks === 0)
    return f.have === 0
      ? 'The signals of this session are on the workstation that recorded it: this site does not sync raw signals to the clinic server, so only its results, markers and dose context are here.'
      : undefined;
  if (f.server_chunks === null)
    return f.have === 0
      ? 'The signals of this session are on the workstation that recorded it and have not been downloaded from the clinic server yet; they arrive with the next sync.'
      : undefined;
  if (f.have === 0 && f.server_chunks === 0)
    return 'The signals of this session are on the workstation that recorded it, which has not sent them to the clinic server yet; they arrive here after it syncs and this computer syncs again.';
  if (f.have < f.server_chunks)
    return `Only part of the signals of this session is on this computer (${f.have} of ${f.server_chunks} pieces); the rest arrive with the next sync.`;
  return undefined;
}

/**
 * Why a session recorded on another workstation has no (or not all of its) signals here, in words a
 * clinician reads in the review instead of an empty chart: its site does not sync raw signals, or they have
 * not been downloaded (or sent) yet, or only part of them is here. Undefined when the session was recorded
 * here or all its signals the server holds are here.
 */
export function remoteSignalsWords(db: Db, sessionId: number): string | undefined {
  const f = db.prepare(`${factsSql} WHERE s.id = ?`).get(sessionId) as SignalFacts | undefined;
  return f && words(f);
}

/** How many sessions in use, recorded elsewhere, lack signals here ({@link remoteSignalsWords} says why). */
export function sessionsWithoutSignals(db: Db): number {
  const rows = db
    .prepare(
      `${factsSql} WHERE s.workstation_id <> i.workstation_id AND s.status <> 'recording' AND ${sessionInUse('s')}`,
    )
    .all() as SignalFacts[];
  return rows.filter((f) => words(f) !== undefined).length;
}
