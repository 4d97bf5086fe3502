/**
 * The one catalogue of what the analysis produces, in a therapist's words: every indicator id, per-event
 * field, quality flag, protocol and algorithm, with its human name, unit, a one-line meaning and what a higher
 * value means. Review, Trends, the visit report and docs/csv-columns.md read their words from here, so that no
 * internal id reaches the screen. Pure: no DOM, no Node.
 */

/** One indicator of a session (domain spec §1.3, §2.4, §3.4, §4, §10). */
export interface IndicatorEntry {
  /** Human name, e.g. "Angle of catch (R1)". */
  name: string;
  /** The unit as written on screen ("µV", "°", "Hz", "%"; "" for counts and ratios). */
  unit: string;
  /** One line: what is measured. */
  meaning: string;
  /** "Higher means …", completing the sentence. */
  higher: string;
  /** A higher value means less resistance (less spasticity): the best effect is then the highest value. */
  higherIsLessTone: boolean;
}

const entry = (
  name: string,
  unit: string,
  meaning: string,
  higher: string,
  higherIsLessTone = false,
): IndicatorEntry => ({ name, unit, meaning, higher, higherIsLessTone });

/** Every indicator id the per-session analysis stores (src/indicators/session-analysis.ts). */
export const INDICATORS: Readonly<Record<string, IndicatorEntry>> = {
  // EMG, per channel
  rmsUv: entry(
    'EMG amplitude (RMS)',
    'µV',
    'Root mean square of the filtered EMG over the whole recording.',
    'more muscle activity',
  ),
  rms: entry(
    'EMG amplitude (RMS)',
    '',
    'Root mean square of the filtered EMG, in the unit of the recording.',
    'more muscle activity',
  ),
  medianFrequencyHz: entry(
    'EMG median frequency',
    'Hz',
    'The frequency that splits the EMG power in two halves.',
    'faster motor units; it falls with fatigue',
  ),
  meanFrequencyHz: entry(
    'EMG mean frequency',
    'Hz',
    'The power-weighted mean frequency of the EMG.',
    'faster motor units; it falls with fatigue',
  ),
  rmsRest: entry(
    'Resting EMG',
    'µV',
    'EMG amplitude in the quietest 2 s, with the patient meant to be at rest.',
    'more involuntary activity at rest (resting tone)',
  ),
  snrRestDb: entry(
    'Signal-to-noise at rest',
    'dB',
    'How far the resting EMG stands above the electrode noise.',
    'a cleaner signal; below 6 dB amplitudes are unreliable',
  ),
  activeAtRestFraction: entry(
    'Time active at rest',
    '%',
    'Share of the rest period with muscle activity above the noise.',
    'more involuntary activity at rest',
  ),
  tremorPeakHz: entry(
    'Tremor frequency',
    'Hz',
    'The dominant 3–12 Hz oscillation of one motion axis.',
    'a faster tremor',
  ),
  // Passive stretch (Tardieu, instrumented)
  romSlow: entry(
    'Range at slow stretch (R2)',
    '°',
    'Joint range reached with slow stretches (Tardieu R2).',
    'more passive range of motion',
    true,
  ),
  aoc: entry(
    'Angle of catch (R1)',
    '°',
    'Joint angle at which a fast stretch is caught (Tardieu R1).',
    'a later catch: less spasticity',
    true,
  ),
  aocPctRom: entry(
    'Angle of catch, % of range',
    '%',
    'The angle of catch as a share of the slow-stretch range.',
    'a later catch: less spasticity',
    true,
  ),
  dynamicComponent: entry(
    'Dynamic component (R2 − R1)',
    '°',
    'Range lost to the catch when the stretch is fast.',
    'more velocity-dependent resistance (spasticity)',
  ),
  catchPresent: entry(
    'Catch present',
    '',
    'Fast stretches with a catch, out of all fast stretches.',
    'a catch more often',
  ),
  rmsLV: entry(
    'EMG during slow stretch',
    'µV',
    'EMG amplitude while the muscle is stretched slowly.',
    'more muscle activity at low velocity',
  ),
  rmsHV: entry(
    'EMG during fast stretch',
    'µV',
    'EMG amplitude while the muscle is stretched fast.',
    'a stronger stretch reflex',
  ),
  deltaRms: entry(
    'EMG increase slow → fast',
    'µV',
    'Fast-stretch EMG minus slow-stretch EMG.',
    'more velocity-dependent reflex activity (spasticity)',
  ),
  rmsRatio: entry(
    'EMG ratio fast / slow',
    '',
    'Fast-stretch EMG divided by slow-stretch EMG.',
    'more velocity-dependent reflex activity (spasticity)',
  ),
  rmsHVrel: entry(
    'EMG fast stretch / rest',
    '',
    'Fast-stretch EMG divided by resting EMG.',
    'a stronger reflex relative to rest',
  ),
  reflexPresent: entry(
    'Stretch reflex present',
    '',
    'Stretches with an EMG reflex burst, out of all stretches.',
    'a reflex more often',
  ),
  dsrt: entry(
    'Dynamic stretch-reflex threshold',
    '°',
    'Joint angle at which the EMG reflex starts during a fast stretch.',
    'the reflex starts later in the range: less spasticity',
    true,
  ),
  onsetVel: entry(
    'Velocity at reflex onset',
    '°/s',
    'Stretch velocity at the moment the EMG reflex starts.',
    'a faster stretch is needed to trigger the reflex: less spasticity',
    true,
  ),
  thresholdVelocity: entry(
    'Reflex threshold velocity',
    '°/s',
    'The lowest stretch velocity that triggered a reflex.',
    'a faster stretch is needed to trigger the reflex: less spasticity',
    true,
  ),
  thresholdVelocityW50: entry(
    'Reflex threshold velocity (50 % point)',
    '°/s',
    'Stretch velocity at which half of the stretches trigger a reflex.',
    'a faster stretch is needed to trigger the reflex: less spasticity',
    true,
  ),
  tsrt: entry(
    'Tonic stretch-reflex threshold',
    '°',
    'Joint angle at which the reflex would start at zero velocity (extrapolated).',
    'the reflex starts later in the range: less spasticity',
    true,
  ),
  // Clonus
  clonusBeats: entry('Clonus beats', '', 'Beats in the longest clonus episode.', 'more sustained clonus'),
  clonusF0: entry(
    'Clonus frequency',
    'Hz',
    'Beats per second in the longest clonus episode.',
    'faster beats',
  ),
  clonusDuration: entry(
    'Clonus duration',
    's',
    'Duration of the longest clonus episode.',
    'more sustained clonus',
  ),
  clonusGrade: entry(
    'Clonus grade',
    '',
    'Fatigable (under 10 s) or infatigable; a suggestion the clinician confirms.',
    'not applicable (a grade, not a number)',
  ),
  // Pendulum test
  A0: entry(
    'Start angle above rest (A0)',
    '°',
    'How far above its resting angle the leg is released.',
    'the leg was lifted higher before release',
  ),
  A1: entry(
    'First swing (A1)',
    '°',
    'Amplitude of the first swing after release.',
    'a freer swing: less resistance',
    true,
  ),
  RI: entry(
    'Relaxation index (RI)',
    '',
    'First swing relative to the start angle (A1 / A0).',
    'a freer swing: less spasticity',
    true,
  ),
  R2n: entry(
    'Normalised relaxation index (R2n)',
    '',
    'The relaxation index scaled so that 1 is a normal, free swing.',
    'a freer swing: less spasticity',
    true,
  ),
  nOsc: entry(
    'Oscillations',
    '',
    'Swings of the leg before it comes to rest.',
    'a freer swing: less spasticity',
    true,
  ),
  duration: entry(
    'Swing duration',
    's',
    'Time from release until the leg comes to rest.',
    'a longer, freer swing: less resistance',
    true,
  ),
  peakVel1: entry(
    'Peak velocity, first swing',
    '°/s',
    'Highest angular velocity during the first swing.',
    'a freer, faster fall',
    true,
  ),
  fd: entry(
    'Swing frequency, half-swings',
    'Hz',
    'Frequency of the damped swings from half-swing times, the release included (domain §3.4).',
    'a stiffer joint',
  ),
  zeta: entry(
    'Damping ratio, half-swings',
    '',
    'How quickly the swings die out, from half-swing decrements (0 undamped, 1 no swing back).',
    'more resistance to movement',
  ),
  fdFullPeriod: entry(
    'Swing frequency, full periods',
    'Hz',
    'Frequency from full periods between successive flexion minima; the nonlinear first half-swing is left out.',
    'a stiffer joint',
  ),
  fitResidualRms: entry(
    'Model fit residual (RMS)',
    '°',
    'How far the fitted pendulum model stays from the recorded swing; K and B hold only where this is small.',
    'a poorer fit: read K and B with care',
  ),
  zetaFlexion: entry(
    'Damping ratio, flexion amplitudes',
    '',
    'Damping from the log decrement of successive flexion amplitudes.',
    'more resistance to movement',
  ),
  K: entry(
    'Stiffness (K)',
    '',
    'Elastic stiffness of the knee from a model fitted to the swings.',
    'a stiffer joint',
  ),
  B: entry(
    'Damping (B)',
    '',
    'Viscous damping of the knee from a model fitted to the swings.',
    'more resistance to movement',
  ),
};

/** Names of per-event values (one row per stretch, pendulum drop, clonus episode or EMG burst). */
export const EVENT_FIELDS: Readonly<Record<string, string>> = {
  kind: 'Kind',
  peakVelDegS: 'Peak velocity',
  thetaStartDeg: 'Start angle',
  thetaMaxDeg: 'Max angle',
  thetaRestDeg: 'Rest angle',
  catchTimeS: 'Catch at (s)',
  aocDeg: 'Angle of catch',
  rms: 'EMG amplitude (RMS)',
  emgOnsetTimeS: 'EMG onset at (s)',
  dsrtDeg: 'Dynamic stretch-reflex threshold',
  dsrtUncorrectedDeg: 'Reflex threshold, no latency correction',
  onsetVelDegS: 'Velocity at reflex onset',
  emgToCatchDelayMs: 'EMG → catch (ms)',
  reflexPresent: 'Reflex',
  catchPresent: 'Catch',
  rejected: 'Left out',
  notRelaxed: 'Not relaxed',
  releaseIndex: 'Release sample',
  releaseTimeS: 'Release at (s)',
  a0Deg: 'Start angle above rest (A0)',
  a1Deg: 'First swing (A1)',
  firstReversalTimeS: 'First reversal at (s)',
  firstReversalPhiDeg: 'First reversal angle',
  ri: 'Relaxation index',
  r2n: 'Normalised relaxation index',
  amp1EDeg: 'First extension amplitude',
  nOsc: 'Oscillations',
  durationS: 'Duration (s)',
  settleTimeS: 'Settled at (s)',
  peakVel1DegS: 'Peak velocity, first swing',
  tPeakVel1S: 'Peak velocity at (s)',
  fdHz: 'Swing frequency, half-swings (Hz)',
  zeta: 'Damping ratio, half-swings',
  fdFullPeriodHz: 'Swing frequency, full periods (Hz)',
  zetaFlexion: 'Damping ratio, flexion amplitudes',
  nOscThresholdDeg: 'Oscillations counted from (°)',
  releaseAtStart: 'Trace starts at the release',
  noDropReason: 'Why no drop',
  fitResidualRmsDeg: 'Model fit residual (RMS, °)',
  fitResidualRms: 'Model fit residual (RMS)',
  nonOscillatory: 'No swing back',
  phiIntegral2sDegS: 'Angle integral, first 2 s',
  K: 'Stiffness K',
  B: 'Damping B',
  fitRSquared: 'Model fit R²',
  fitNormalised: 'Model per unit inertia',
  algorithmVersion: 'Method',
  quality: 'Quality',
  beats: 'Beats',
  f0Hz: 'Frequency (Hz)',
  ibiCv: 'Beat interval variation',
  decayRatio: 'Decay ratio',
  oscillationEndS: 'Oscillation ends at (s)',
  grade: 'Grade',
  stretchTriggered: 'After a stretch',
  emgCoherence: 'EMG coherence',
  emgConfirmed: 'EMG confirms',
  burstRms: 'Burst amplitude (RMS)',
  site: 'Channel',
};

/** Quality flags (src/indicators/types.ts `QualityFlag`): a short name and what it means. */
export const QUALITY_FLAGS: Readonly<Record<string, { name: string; meaning: string }>> = {
  clipping: { name: 'Clipping', meaning: 'The signal hit the amplifier limit; amplitudes are cut off.' },
  flatLine: { name: 'Flat line', meaning: 'No signal: an electrode or cable is off.' },
  lineNoise: { name: 'Mains hum', meaning: 'Strong 50/60 Hz pickup; check the electrode contact.' },
  motionArtefact: { name: 'Movement artefact', meaning: 'Cable or electrode movement disturbed the signal.' },
  lowSnr: { name: 'Weak signal', meaning: 'The EMG barely stands above the noise (under 6 dB).' },
  droppedSamples: { name: 'Samples lost', meaning: 'Some samples did not arrive from the device.' },
  reducedBandwidth: {
    name: 'Reduced bandwidth',
    meaning: 'The sample rate is too low for the full EMG band.',
  },
  notRelaxed: { name: 'Not relaxed', meaning: 'The muscle was active before the stretch or drop.' },
  slowStretchTooFast: {
    name: 'Slow stretch too fast',
    meaning: 'A slow stretch exceeded 30 °/s, so it may have triggered a reflex.',
  },
  nonOscillatory: { name: 'No swing back', meaning: 'The leg did not swing back after release.' },
  shortRecording: { name: 'Short recording', meaning: 'Too little signal for a reliable value.' },
  fitFailed: { name: 'Model fit failed', meaning: 'The swing model could not be fitted.' },
  noAnthropometrics: {
    name: 'No body measures',
    meaning: 'Without weight and shank length, stiffness is per unit inertia.',
  },
  tooFewStretches: { name: 'Too few stretches', meaning: 'Fewer stretches than the protocol asks for.' },
};

/** Protocols (renderer/protocols.ts lists the ones a session can be started with). */
export const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  rest: 'Resting tone',
  'passive-stretch-slow': 'Passive stretch, slow',
  'passive-stretch-fast': 'Passive stretch, fast',
  'passive-stretch': 'Passive stretch',
  pendulum: 'Pendulum test',
  free: 'Free recording',
  import: 'Imported recording',
  imported: 'Imported recording',
  replay: 'Replay',
};

/**
 * A marker's text with protocol ids in words: recordings annotate their protocol by id ("Protocol:
 * passive-stretch" → "Protocol: Passive stretch"). Other text is left as written.
 */
export function markerText(text: string): string {
  return text.replace(/\b[a-z]+(?:-[a-z]+)+\b/g, (id) => PROTOCOL_NAMES[id] ?? id);
}

/** Analysis methods by the name part of their versioned id (`passive-stretch/1.0.0`). */
const ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  'session-analysis': 'Session analysis',
  'passive-stretch': 'Passive-stretch analysis',
  pendulum: 'Pendulum analysis',
  clonus: 'Clonus detection',
  'rest-tone': 'Resting-tone analysis',
  quality: 'Signal-quality check',
  'live-indicators': 'Live indicators',
  'live-signal-quality': 'Live signal quality',
  'tap-proxy': 'Tendon-tap estimate',
};

/** Unit strings as the analysis writes them → as a person reads them. */
const UNIT_TEXT: Readonly<Record<string, string>> = {
  uV: 'µV',
  mV: 'mV',
  V: 'V',
  deg: '°',
  'deg/s': '°/s',
  'deg*s': '°·s',
  'm/s^2': 'm/s²',
  '1/s^2': '1/s²',
  '1/s': '1/s',
  'N*m/rad': 'N·m/rad',
  'N*m*s/rad': 'N·m·s/rad',
  count: '',
};

/** A unit as written on screen ("uV" → "µV", "deg" → "°", "count" → ""). Unknown units are kept. */
export const unitText = (unit: string): string => UNIT_TEXT[unit] ?? unit;

/** Names of channel ids (`emg1`, `gyroZ`, `accX`) when no stream descriptor label is at hand. */
export function channelName(channelId: string): string {
  const numbered = /^(emg|eeg|ecg|exg|ch)(\d+)$/i.exec(channelId);
  if (numbered) return `${(numbered[1] ?? '').toUpperCase()} ${numbered[2] ?? ''}`;
  const axis = /^(acc|accel|gyro|mag|angle|rot)([XYZ])$/i.exec(channelId);
  if (axis) {
    const kind: Record<string, string> = {
      acc: 'Accelerometer',
      accel: 'Accelerometer',
      gyro: 'Gyroscope',
      mag: 'Magnetometer',
      angle: 'Angle',
      rot: 'Rotation',
    };
    return `${kind[(axis[1] ?? '').toLowerCase()] ?? ''} ${(axis[2] ?? '').toUpperCase()}`;
  }
  if (channelId === 'angle') return 'Joint angle';
  // Imported files name channels freely ("rectus_femoris_mV"): words, not underscores.
  return channelId.replace(/_/g, ' ').replace(/([a-z]{2,})([A-Z][a-z])/g, '$1 $2');
}

/** Where a value was measured, from its site id: `emg/emg1` → "EMG 1", `imu/gyroZ` → "Gyroscope Z". */
export function siteName(site: string): string {
  const slash = site.indexOf('/');
  return channelName(slash < 0 ? site : site.slice(slash + 1));
}

/**
 * The entry of an indicator id, including per-channel ids of the trends (`rmsUv:emg7`: the same indicator on
 * another EMG channel). Undefined for ids the catalogue does not know.
 */
export function indicatorEntry(id: string): IndicatorEntry | undefined {
  return INDICATORS[id.split(':')[0] ?? id];
}

/**
 * The human name of an indicator id: "Angle of catch (R1)"; per-channel ids name their channel ("EMG
 * amplitude (RMS), EMG 7"). An unknown id becomes words, never the raw id.
 */
export function indicatorName(id: string): string {
  const [base = id, channel] = id.split(':');
  const name = INDICATORS[base]?.name ?? humanise(base);
  return channel ? `${name}, ${channelName(channel)}` : name;
}

/** "lowSnr" → "Weak signal"; unknown flags become words. */
export const qualityFlagName = (flag: string): string => QUALITY_FLAGS[flag]?.name ?? humanise(flag);

/** A list of quality flags in words ("Weak signal, Mains hum"), or "Good" when there is none. */
export function qualityText(flags: readonly string[] | string): string {
  const list = typeof flags === 'string' ? flags.split(/[,;]/).filter(Boolean) : flags;
  return list.length === 0 ? 'Good' : list.map(qualityFlagName).join(', ');
}

/** "passive-stretch-fast" → "Passive stretch, fast"; unknown protocols become words. */
export const protocolName = (id: string): string => PROTOCOL_NAMES[id] ?? humanise(id);

/** "session-analysis/1.0.0" → "Session analysis, version 1.0.0". */
export function algorithmName(versionedId: string): string {
  const [name = versionedId, version] = versionedId.split('/');
  const words = ALGORITHM_NAMES[name] ?? humanise(name);
  return version ? `${words}, version ${version}` : words;
}

/** A per-event field's name ("aocDeg" → "Angle of catch"); unknown fields become words. */
export const eventFieldName = (key: string): string => EVENT_FIELDS[key] ?? humanise(key);

/** Words from an id nobody named: "someNewValue" → "Some new value", "kebab-case" → "Kebab case". */
function humanise(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_:/.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
