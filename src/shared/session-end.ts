import type { SessionEndReason } from './api/session-api.js';

const words: Record<SessionEndReason, string> = {
  user: 'stopped by the user',
  duration: 'its set time ran out',
  'device-lost': 'the device was lost',
  'no-data': 'nothing was stored',
  shutdown: 'Tonus closed while recording',
  crash: 'Tonus stopped unexpectedly',
};

/** Why a recording ended, in words for people; "not recorded" for sessions without a reason (imports, older). */
export function endReasonWords(reason: SessionEndReason | null): string {
  return reason === null ? 'no reason recorded' : words[reason];
}
