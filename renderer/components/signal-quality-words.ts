import type { ChannelQuality, SignalQuality } from '../../src/shared/api/device-api.js';

/** Verdicts in words and the shape shown beside them (never colour alone). */
export const VERDICT_TEXT: Record<ChannelQuality['verdict'], { label: string; glyph: string }> = {
  good: { label: 'Good', glyph: '●' },
  check: { label: 'Check', glyph: '▲' },
  off: { label: 'Off', glyph: '✕' },
};

/** How a channel's verdict is shown: a channel still waiting for its first 250 ms reads "Waiting", not "Check". */
export function verdictDisplay(c: ChannelQuality): { label: string; glyph: string; className: string } {
  if (c.issues[0] === 'waiting') return { label: 'Waiting', glyph: '…', className: 'sq-verdict--waiting' };
  return { ...VERDICT_TEXT[c.verdict], className: `sq-verdict--${c.verdict}` };
}

/** Short words for an issue, for one-line summaries. */
export const ISSUE_TEXT: Record<ChannelQuality['issues'][number], string> = {
  waiting: 'waiting for signal',
  railed: 'railed',
  flatLine: 'flat line',
  humDominates: 'mains hum',
  clipping: 'clipping',
  lineNoise: 'line noise',
  noisyBaseline: 'noisy baseline',
};

/** A channel's label with its first issue, e.g. "EMG 8: line noise". */
export const channelWithIssue = (c: ChannelQuality): string =>
  c.issues[0] ? `${c.label}: ${ISSUE_TEXT[c.issues[0]]}` : c.label;

/**
 * One line about the EMG channels (or, without EMG, all channels), e.g.
 * "EMG: 7 good, 1 check electrode (EMG 8: line noise)". Depends only on verdicts and issues, so it changes
 * when they do, not with every new value.
 */
export function qualitySummaryText(q: SignalQuality): string {
  const all = q.streams.flatMap((s) => s.channels);
  const emg = all.filter((c) => c.kind === 'emg');
  const channels = emg.length > 0 ? emg : all;
  if (channels.length === 0) return 'No channels to judge.';
  if (channels.every((c) => c.issues[0] === 'waiting')) return 'Signal quality: waiting for signal…';
  const of = (v: ChannelQuality['verdict']) => channels.filter((c) => c.verdict === v);
  const parts = [`${of('good').length} good`];
  const check = of('check');
  const off = of('off');
  if (check.length > 0)
    parts.push(`${check.length} check electrode (${check.map(channelWithIssue).join('; ')})`);
  if (off.length > 0) parts.push(`${off.length} off (${off.map(channelWithIssue).join('; ')})`);
  const others = all.filter((c) => c.kind !== 'emg' && c.verdict !== 'good' && c.issues[0] !== 'waiting');
  const imu = emg.length > 0 && others.length > 0 ? `; IMU: ${others.map(channelWithIssue).join('; ')}` : '';
  return `${emg.length > 0 ? 'EMG' : 'Channels'}: ${parts.join(', ')}${imu}`;
}
