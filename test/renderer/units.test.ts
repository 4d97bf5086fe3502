import { describe, expect, it } from 'vitest';
import {
  displayDigits,
  displayUnit,
  eventFieldUnit,
  formatAngle,
  formatAngularVelocity,
  RAD_PER_DEG,
  toDisplayValue,
  unitDisplayText,
} from '../../renderer/units.js';

describe('angle display units', () => {
  it('converts degrees to radians: 180° is π rad, 57.3 °/s about 1 rad/s', () => {
    expect(toDisplayValue(180, 'deg', 'rad')).toBeCloseTo(Math.PI, 12);
    expect(toDisplayValue(-90, '°', 'rad')).toBeCloseTo(-Math.PI / 2, 12);
    expect(toDisplayValue(180 / Math.PI, 'deg/s', 'rad')).toBeCloseTo(1, 12);
    expect(toDisplayValue(30, '°/s', 'rad')).toBeCloseTo(0.5236, 4);
    expect(RAD_PER_DEG).toBeCloseTo(0.0174533, 7);
  });

  it('leaves values unchanged in degrees', () => {
    expect(toDisplayValue(35.5, 'deg', 'deg')).toBe(35.5);
    expect(toDisplayValue(-250, 'deg/s', 'deg')).toBe(-250);
  });

  it('maps the unit strings the app uses for angles and angular velocities to the chosen unit', () => {
    expect(unitDisplayText('deg', 'deg')).toBe('°');
    expect(unitDisplayText('°', 'deg')).toBe('°');
    expect(unitDisplayText('deg', 'rad')).toBe('rad');
    expect(unitDisplayText('°', 'rad')).toBe('rad');
    expect(unitDisplayText('deg/s', 'deg')).toBe('°/s');
    expect(unitDisplayText('°/s', 'deg')).toBe('°/s');
    expect(unitDisplayText('deg/s', 'rad')).toBe('rad/s');
    expect(unitDisplayText('°/s', 'rad')).toBe('rad/s');
    expect(unitDisplayText('deg*s', 'rad')).toBe('rad·s');
    expect(displayUnit('deg/s', 'rad')).toEqual({ factor: RAD_PER_DEG, text: 'rad/s', isAngular: true });
  });

  it('leaves every other unit untouched, whatever the angle unit', () => {
    for (const angleUnit of ['deg', 'rad'] as const) {
      expect(displayUnit('uV', angleUnit)).toEqual({ factor: 1, text: 'µV', isAngular: false });
      expect(displayUnit('m/s^2', angleUnit)).toEqual({ factor: 1, text: 'm/s²', isAngular: false });
      for (const unit of ['Hz', '%', 's', 'mV', 'g', 'rad/s', ''])
        expect(displayUnit(unit, angleUnit)).toEqual({ factor: 1, text: unit, isAngular: false });
      // Written as printed (the indicator catalogue's unit text), never as typed in code.
      expect(displayUnit('N*m/rad', angleUnit)).toEqual({ factor: 1, text: 'N·m/rad', isAngular: false });
      expect(displayUnit('1/s^2', angleUnit)).toEqual({ factor: 1, text: '1/s²', isAngular: false });
      expect(displayUnit('count', angleUnit).text).toBe('');
      expect(toDisplayValue(42, 'Hz', angleUnit)).toBe(42);
    }
  });

  it('formats angles and velocities with their unit and 2–3 decimals in radians', () => {
    expect(formatAngle(35, 'deg')).toBe('35°');
    expect(formatAngle(35, 'rad')).toBe('0.61 rad');
    expect(formatAngle(35.25, 'deg', 1)).toBe('35.3°');
    expect(formatAngle(35.25, 'rad', 1)).toBe('0.615 rad');
    expect(formatAngularVelocity(-30, 'deg')).toBe('-30 °/s');
    expect(formatAngularVelocity(30, 'rad')).toBe('0.52 rad/s');
    expect(formatAngularVelocity(400, 'rad')).toBe('6.98 rad/s');
    expect(formatAngle(Number.NaN, 'rad')).toBe('—');
    expect(formatAngularVelocity(Number.POSITIVE_INFINITY, 'deg')).toBe('—');
    expect(displayDigits(0, 'rad')).toBe(2);
    expect(displayDigits(1, 'rad')).toBe(3);
    expect(displayDigits(2, 'rad')).toBe(3);
    expect(displayDigits(1, 'deg')).toBe(1);
  });

  it('reads the stored unit of an analysis event field from its name', () => {
    expect(eventFieldUnit('aocDeg')).toBe('deg');
    expect(eventFieldUnit('thetaStartDeg')).toBe('deg');
    expect(eventFieldUnit('peakVelDegS')).toBe('deg/s');
    expect(eventFieldUnit('onsetVelDegS')).toBe('deg/s');
    expect(eventFieldUnit('phiIntegral2sDegS')).toBe('deg*s');
    expect(eventFieldUnit('catchTimeS')).toBeUndefined();
    expect(eventFieldUnit('rms')).toBeUndefined();
    expect(eventFieldUnit('f0Hz')).toBeUndefined();
  });
});
