import type { Command } from 'commander';
import type { SessionDetail } from '../../shared/api/session-api.js';
import { endReasonWords } from '../../shared/session-end.js';
import { CliError, emit, ExitCode } from '../output.js';
import { callApi, durationS, withApp } from './sessions.js';

/** The session id in `text`, or a usage error naming it. */
export function parseSessionId(text: string): number {
  const id = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(id) || id <= 0)
    throw new CliError(`"${text}" is not a session id (a positive whole number).`, ExitCode.usage);
  return id;
}

function printSession(s: SessionDetail): void {
  const d = durationS(s);
  const line = (label: string, value: string): void => console.log(`${label.padEnd(10)}${value}`);
  line('Session', `${s.id}  ${s.status}  (${s.origin}${s.sourceFile ? ` from ${s.sourceFile}` : ''})`);
  if (s.endReason !== null)
    line('Ended', `${endReasonWords(s.endReason)}${s.endDetail === null ? '' : `: ${s.endDetail}`}`);
  if (s.problem !== null) line('Problem', s.problem);
  line('Patient', s.patientCode ?? '-');
  line('Protocol', [s.protocol, s.muscle, s.side].filter(Boolean).join('  '));
  line('Device', `${s.deviceName} [${s.deviceId}]`);
  line(
    'Start',
    `${new Date(s.startTimeMs).toISOString()}  duration ${d === null ? '-' : `${d.toFixed(3)} s`}`,
  );
  line('Quality', `${s.droppedSamples} samples dropped in ${s.gapCount} gaps`);
  if (s.clinical) line('Clinical', JSON.stringify(s.clinical));
  if (s.note) line('Note', s.note);
  console.log('Streams');
  for (const st of s.streams) {
    const q = s.quality?.[st.id];
    const eff = q?.effectiveHz == null ? '-' : `${q.effectiveHz.toFixed(2)} Hz`;
    console.log(
      `  ${st.id.padEnd(6)} ${String(st.channels.length).padStart(2)} ch  nominal ${st.sampleRateHz} Hz  effective ${eff}` +
        `  stored ${s.storedSamples[st.id] ?? 0} samples  dropped ${q?.droppedSamples ?? 0}  gaps ${q?.gaps ?? 0}`,
    );
  }
  if (s.signalsElsewhere) line('Signals', s.signalsElsewhere);
  console.log(s.markers.length === 0 ? 'Markers   none' : 'Markers');
  for (const m of s.markers) {
    const at = ((m.timeMs - s.startTimeMs) / 1000).toFixed(3);
    const dur = m.durationMs === null ? '' : ` (${(m.durationMs / 1000).toFixed(3)} s)`;
    console.log(`  +${at} s  ${m.kind.padEnd(13)} ${m.text}${dur}`);
  }
}

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('show one session: patient, protocol, device, quality counters and markers')
    .argument('<session>', 'session id (see `tonus sessions`)')
    .option('--json', 'print JSON')
    .action(async (session: string, opts: { json?: boolean }, cmd: Command) => {
      const sessionId = parseSessionId(session);
      await withApp(cmd, async (app) => {
        const detail = await callApi(app, 'getSession', { sessionId });
        emit(opts.json, detail, () => printSession(detail));
      });
    });
}
