/**
 * Published measurement error of the indicators that have one in domain spec §2.1 and §8.2, used for MDC95
 * while a patient has too few repeated sessions of their own (./measurement-error.ts). Each
 * value says where it comes from and how it was derived, so the screen can name its source. Indicators not
 * listed have no usable published figure (an ICC without a spread, or a spread of another population).
 */
import { standardErrorOfMeasurement } from './trend-statistics.js';

/** A published standard error of measurement of one indicator. */
export interface PublishedMeasurementError {
  /** SEM in the indicator's stored unit; absent when the SEM is published relative to the mean. */
  sem?: number;
  /** SEM as a fraction of the patient's mean (a relative SEM, e.g. 0.2 for "20 % of the mean"). */
  semFractionOfMean?: number;
  /** Author(s) and year, as shown on screen: "Schless et al. 2015". */
  citation: string;
  /** Journal reference. */
  reference: string;
  /** How the SEM follows from the publication, in words. */
  basis: string;
}

/**
 * Schless et al. 2015: 70 % of the instrumented spasticity parameters (EMG and torque during passive
 * stretches at increasing velocity, children with CP) had SEM < 20 % of the mean — the bound is used.
 */
const SCHLESS_2015: PublishedMeasurementError = {
  semFractionOfMean: 0.2,
  citation: 'Schless et al. 2015',
  reference: 'PLoS One 10:e0131011',
  basis:
    'measurement error below 20 % of the mean for most EMG and torque measures of passive stretches in children with cerebral palsy',
};

/** Choi et al. 2018: IMU Modified Tardieu angles against a reference system, RMSE < 3.2° (28 children with CP). */
const CHOI_2018: PublishedMeasurementError = {
  sem: 3.2,
  citation: 'Choi et al. 2018',
  reference: 'J NeuroEng Rehabil 15:45',
  basis:
    'joint-angle error of the wearable Modified Tardieu test below 3.2° in 28 children with cerebral palsy',
};

/**
 * TSRT: SEM = SD·√(1 − ICC) with the pooled intra-rater ICC 0.55 (Levin, Piscitelli & Khayat 2024 review,
 * Clin Neurophysiol 165:138) and the between-child SD 12.9° of medial gastrocnemius TSRT in CP (Germanotta
 * et al. 2017, Front Hum Neurosci 11:277) → 8.65°.
 */
const TSRT_LEVIN_GERMANOTTA: PublishedMeasurementError = {
  sem: standardErrorOfMeasurement(12.9, 0.55),
  citation: 'Levin et al. 2024 with Germanotta et al. 2017',
  reference: 'Clin Neurophysiol 165:138; Front Hum Neurosci 11:277',
  basis:
    'reliability 0.55 from a review of stretch-reflex threshold studies, spread 12.9° from children with cerebral palsy',
};

/** Published measurement error per indicator id (the ids of src/shared/indicator-catalogue.ts). */
export const PUBLISHED_MEASUREMENT_ERROR: Readonly<Record<string, PublishedMeasurementError>> = {
  rmsLV: SCHLESS_2015,
  rmsHV: SCHLESS_2015,
  aoc: CHOI_2018,
  romSlow: CHOI_2018,
  tsrt: TSRT_LEVIN_GERMANOTTA,
};

/**
 * The published SEM of `indicatorId` for a patient whose values average `mean` (used by relative SEMs), or
 * undefined when none is published or a relative SEM meets a mean that is not a finite non-zero number.
 */
export function publishedSem(
  indicatorId: string,
  mean: number,
): { sem: number; source: PublishedMeasurementError } | undefined {
  const source = PUBLISHED_MEASUREMENT_ERROR[indicatorId];
  if (!source) return undefined;
  if (source.sem !== undefined) return { sem: source.sem, source };
  if (source.semFractionOfMean === undefined || !Number.isFinite(mean) || mean === 0) return undefined;
  return { sem: source.semFractionOfMean * Math.abs(mean), source };
}
