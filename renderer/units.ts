/**
 * Display units for angles and angular velocities (Settings → Angle units). Everything Tonus stores,
 * computes, exports and sends over the API is in degrees (°, °/s: the domain's unit); only what the renderer
 * shows is converted here. Pure: no DOM, no React.
 */

import { unitText } from '../src/shared/indicator-catalogue.js';

/** The unit a therapist or researcher chose to read angles in (see `Settings.angleUnit`). */
export type AngleUnit = 'deg' | 'rad';

/** Radians per degree. */
export const RAD_PER_DEG = Math.PI / 180;

/** Unit strings of values that are angles in degrees, as the API, analysis and devices write them. */
const ANGLE_DEG_UNITS: ReadonlySet<string> = new Set(['deg', '°']);
/** Unit strings of values that are angular velocities in degrees per second. */
const VELOCITY_DEG_S_UNITS: ReadonlySet<string> = new Set(['deg/s', '°/s']);

/** Unit strings of angle–time integrals in degree-seconds (pendulum ∫|φ| dt). */
const ANGLE_TIME_DEG_S_UNITS: ReadonlySet<string> = new Set(['deg*s', '°·s']);

/** What a value unit becomes on screen: the factor to multiply stored values by, and the unit text. */
export interface DisplayUnit {
  /** Multiply a stored value by this to get the shown value (1 when nothing is converted). */
  factor: number;
  /** The unit as shown ("°", "rad", "°/s", "rad/s", "µV", …); empty for plain counts. */
  text: string;
  /** Whether the value is an angle or angular velocity that the angle setting converts. */
  isAngular: boolean;
}

/**
 * The display form of a value unit under `angleUnit`. Angles ('deg', '°') become '°' or 'rad', angular
 * velocities ('deg/s', '°/s') '°/s' or 'rad/s', angle–time integrals ('deg*s', '°·s') '°·s' or 'rad·s'
 * (factor π/180 in radians); every other unit keeps factor 1
 * and its usual text (µV for 'uV', m/s² for 'm/s^2', the unit itself otherwise).
 */
export function displayUnit(unit: string, angleUnit: AngleUnit): DisplayUnit {
  const factor = angleUnit === 'rad' ? RAD_PER_DEG : 1;
  if (ANGLE_DEG_UNITS.has(unit)) return { factor, text: angleUnit === 'rad' ? 'rad' : '°', isAngular: true };
  if (VELOCITY_DEG_S_UNITS.has(unit))
    return { factor, text: angleUnit === 'rad' ? 'rad/s' : '°/s', isAngular: true };
  if (ANGLE_TIME_DEG_S_UNITS.has(unit))
    return { factor, text: angleUnit === 'rad' ? 'rad·s' : '°·s', isAngular: true };
  return { factor: 1, text: unitText(unit), isAngular: false };
}

/** The unit text of `unit` under `angleUnit` (see {@link displayUnit}). */
export const unitDisplayText = (unit: string, angleUnit: AngleUnit): string =>
  displayUnit(unit, angleUnit).text;

/** `value` (in `unit`, as stored) in the display unit of {@link displayUnit}; non-angular values unchanged. */
export const toDisplayValue = (value: number, unit: string, angleUnit: AngleUnit): number =>
  value * displayUnit(unit, angleUnit).factor;

/**
 * Decimals to show in `angleUnit` for a quantity shown with `degDigits` decimals in degrees: the same in
 * degrees; in radians two more (1° ≈ 0.017 rad), at most 3.
 */
export const displayDigits = (degDigits: number, angleUnit: AngleUnit): number =>
  angleUnit === 'rad' ? Math.min(3, degDigits + 2) : degDigits;

const fixed = (value: number, digits: number): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '—';

/** An angle given in degrees, as text in `angleUnit`: "35°" or "0.61 rad"; "—" when not finite. */
export function formatAngle(angleDeg: number, angleUnit: AngleUnit, degDigits = 0): string {
  if (!Number.isFinite(angleDeg)) return '—';
  return angleUnit === 'rad'
    ? `${fixed(angleDeg * RAD_PER_DEG, displayDigits(degDigits, 'rad'))} rad`
    : `${fixed(angleDeg, degDigits)}°`;
}

/** An angular velocity given in °/s, as text in `angleUnit`: "30 °/s" or "0.52 rad/s"; "—" when not finite. */
export function formatAngularVelocity(velocityDegS: number, angleUnit: AngleUnit, degDigits = 0): string {
  if (!Number.isFinite(velocityDegS)) return '—';
  return angleUnit === 'rad'
    ? `${fixed(velocityDegS * RAD_PER_DEG, displayDigits(degDigits, 'rad'))} rad/s`
    : `${fixed(velocityDegS, degDigits)} °/s`;
}

/** Event fields whose name ends in `DegS` but that are not velocities. */
const EVENT_FIELD_EXCEPTIONS: Readonly<Record<string, 'deg*s'>> = {
  /** Pendulum ∫|φ| dt over the first 2 s after release, °·s (src/indicators/pendulum.ts). */
  phiIntegral2sDegS: 'deg*s',
};

/**
 * The stored unit of an analysis event field, read from its name: `…DegS` is °/s, `…Deg` is °
 * (e.g. `peakVelDegS`, `aocDeg`, `a0Deg`), except `phiIntegral2sDegS` (°·s); undefined for any other field.
 */
export function eventFieldUnit(key: string): 'deg' | 'deg/s' | 'deg*s' | undefined {
  const exception = EVENT_FIELD_EXCEPTIONS[key];
  if (exception) return exception;
  if (key.endsWith('DegS')) return 'deg/s';
  if (key.endsWith('Deg')) return 'deg';
  return undefined;
}
