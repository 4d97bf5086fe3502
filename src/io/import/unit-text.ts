/** Units and signal kinds from the free text other tools write in their headers. */
import type { SignalKind, Unit } from '../../shared/samples.js';

const unitNames: Record<string, Unit> = {
  uv: 'uV',
  µv: 'uV',
  μv: 'uV',
  microvolt: 'uV',
  microvolts: 'uV',
  mv: 'mV',
  millivolt: 'mV',
  millivolts: 'mV',
  v: 'V',
  volt: 'V',
  volts: 'V',
  g: 'g',
  'm/s^2': 'm/s^2',
  'm/s2': 'm/s^2',
  'm/s²': 'm/s^2',
  'deg/s': 'deg/s',
  'rad/s': 'rad/s',
  deg: 'deg',
  degrees: 'deg',
};

/** A unit Tonus knows from the text a file gives; `none` for anything else. */
export function unitFromText(text: string | undefined): Unit {
  return unitNames[(text ?? '').trim().toLowerCase()] ?? 'none';
}

/** The signal kind from a channel or stream type such as `EMG`, `ACC`, `Gyro`, `Accelerometer`. */
export function kindFromType(type: string): SignalKind {
  if (/emg/i.test(type)) return 'emg';
  if (/^acc|accel/i.test(type)) return 'accel';
  if (/gyr/i.test(type)) return 'gyro';
  if (/angle/i.test(type)) return 'angle';
  return 'other';
}
