import { protocolName } from '../src/shared/indicator-catalogue.js';
import { formatAngularVelocity, type AngleUnit } from './units.js';

/**
 * Protocols a therapist can run, with the guidance shown while recording (domain spec §2.2, §3.2), written
 * in degrees; {@link protocolGuidance} gives it in the chosen angle unit.
 */
export const protocols = [
  { id: 'rest', label: 'Resting tone', guidance: 'Patient relaxed and still for at least 30 s.' },
  {
    id: 'passive-stretch-slow',
    label: 'Passive stretch, slow',
    guidance: '3 slow stretches (≤ 30 °/s, at least 3 s through the range), 5 s apart.',
  },
  {
    id: 'passive-stretch-fast',
    label: 'Passive stretch, fast',
    guidance: '3 stretches as fast as possible, 5 s apart; keep the start posture the same.',
  },
  {
    id: 'pendulum',
    label: 'Pendulum test',
    guidance: 'Lift the shank to full extension, hold 1 s, release without pushing; 3–6 drops, 30 s apart.',
  },
  {
    id: 'free',
    label: 'Free recording',
    guidance: 'Record freely; add markers for anything worth finding later.',
  },
] as const;

export type ProtocolId = (typeof protocols)[number]['id'];

export const muscles = [
  'gastrocnemius',
  'soleus',
  'medial hamstrings',
  'rectus femoris',
  'hip adductors',
  'elbow flexors',
] as const;

export const protocolLabel = (id: string): string =>
  protocols.find((p) => p.id === id)?.label ?? protocolName(id);

/** A protocol's guidance with its velocities in `angleUnit` (slow stretch: at most 30 °/s); "" if unknown. */
export function protocolGuidance(id: string, angleUnit: AngleUnit): string {
  const text = protocols.find((p) => p.id === id)?.guidance ?? '';
  return text.replace('30 °/s', formatAngularVelocity(30, angleUnit));
}
