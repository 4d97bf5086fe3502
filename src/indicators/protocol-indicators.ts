import { centeredRms } from '../dsp/envelope.js';
import {
  finiteOrNull,
  type AnalysisEvent,
  type AnalysisValue,
  type EmgChannelSummary,
  type IndicatorValue,
} from '../shared/analysis.js';
import { detectClonus, CLONUS_ALGORITHM_VERSION } from './clonus.js';
import type { EmgChannelResult } from './emg-channel-analysis.js';
import type { FirstEmgEnvelopes } from './first-emg-envelopes.js';
import { flat, indicator } from './indicator-value.js';
import {
  analyzePassiveStretches,
  catchReferenceText,
  STRETCH_ALGORITHM_VERSION,
  type StretchEmg,
} from './passive-stretch.js';
import {
  analyzePendulumDrop,
  detectDrops,
  noDropReason,
  PENDULUM_ALGORITHM_VERSION,
  type PendulumResult,
} from './pendulum.js';
import type { AnalysisOptions } from './session-analysis.js';
import { clonusSpansS } from './tremor.js';
import { median, touchesDiscontinuity, type DiscontinuityS } from './types.js';

/** Stillness needed before a pendulum release (domain.md §3.2: hold ≥ 1 s), s. */
const DROP_HOLD_LEAD_S = 1;

/** The joint angle and angular velocity the protocol indicators run on, and where they come from. */
export interface Kinematics {
  thetaDeg: Float64Array;
  omegaDegS: Float64Array;
  sampleRateHz: number;
  site: string;
}

/** The first analysed EMG channel as the protocol indicators use it. */
export interface FirstEmgChannel {
  /** Band-passed over the whole recording, and without the paused spans. */
  y: Float64Array;
  kept: Float64Array;
  fs: number;
  envelopes: FirstEmgEnvelopes;
  summary: EmgChannelSummary;
}

/** The first analysed channel's result as the protocol indicators use it (undefined without `filtered`). */
export function firstEmgChannelOf(
  result: EmgChannelResult,
  sampleRateHz: number,
): FirstEmgChannel | undefined {
  return result.filtered && { ...result.filtered, fs: sampleRateHz, summary: result.summary };
}

/** Events and indicators of one part of the analysis, in the order the result lists them. */
export interface AnalysisPart {
  events: AnalysisEvent[];
  indicators: (IndicatorValue | undefined)[];
}

/**
 * The protocol indicators of an analysis: passive stretches and clonus (protocols auto and stretch) or pendulum
 * drops, from the kinematics and the first EMG channel only. So they can be computed as soon as that channel is
 * analysed, while other threads still analyse the others.
 */
export interface ProtocolIndicators {
  stretchAndClonus: AnalysisPart;
  pendulum: AnalysisPart;
  protocols: Record<string, Record<string, AnalysisValue>>;
  /** The clonus episodes' spans, kept out of the tremor spectra. */
  clonusExcludedS: DiscontinuityS[];
}

/** {@link ProtocolIndicators} of kinematics `kin` (if any) and the first analysed EMG channel (if any). */
export function protocolIndicators(
  options: AnalysisOptions,
  kin: Kinematics | undefined,
  firstEmg: FirstEmgChannel | undefined,
): ProtocolIndicators {
  const stretchAndClonus: AnalysisPart = { events: [], indicators: [] };
  const pendulum: AnalysisPart = { events: [], indicators: [] };
  const protocols: Record<string, Record<string, AnalysisValue>> = {};
  const protocol = options.protocol ?? 'auto';
  let clonusExcludedS: DiscontinuityS[] = [];
  if (kin && (protocol === 'auto' || protocol === 'stretch')) {
    let stretchEmg: StretchEmg | undefined;
    if (firstEmg) {
      const { mean, sd } = firstEmg.envelopes.rest;
      stretchEmg = { x: firstEmg.y, sampleRateHz: firstEmg.fs, restMean: mean, restSd: sd };
    }
    const restRms = firstEmg?.summary.rest.rmsRest;
    const st = analyzePassiveStretches(kin.thetaDeg, kin.omegaDegS, kin.sampleRateHz, stretchEmg, {
      ...(restRms ? { restRms } : {}),
      ...(options.discontinuitiesS ? { discontinuitiesS: options.discontinuitiesS } : {}),
    });
    if (st.stretches.length > 0) {
      const { stretches, tsrt, ...rest } = st;
      protocols.passiveStretch = {
        ...flat(rest),
        kinematicsSite: kin.site,
        catchNote: catchReferenceText(st.catchReference),
        tsrtDeg: tsrt === 'outside ROM' ? 'outside ROM' : finiteOrNull(tsrt?.tsrtDeg),
        tsrtMuS: tsrt && tsrt !== 'outside ROM' ? finiteOrNull(tsrt.muS) : null,
        tsrtRSquared: tsrt && tsrt !== 'outside ROM' ? finiteOrNull(tsrt.rSquared) : null,
      };
      stretches.forEach((x, i) =>
        stretchAndClonus.events.push({
          kind: 'stretch',
          index: i,
          startS: x.startS,
          endS: x.endS,
          values: flat(x),
        }),
      );
      const fast = stretches.filter((x) => x.kind === 'fast' && !x.rejected);
      const rejected = stretches.filter((x) => x.rejected).length;
      const P = st.parameters;
      const V = STRETCH_ALGORITHM_VERSION;
      stretchAndClonus.indicators.push(
        indicator('romSlow', st.romSlowDeg, 'deg', kin.site, V, P, { n: st.slowCount, rejected }),
        indicator('aoc', st.aocDeg, 'deg', kin.site, V, P, {
          n: fast.length,
          values: fast.map((x) => x.aocDeg),
          rejected,
        }),
        indicator('aocPctRom', st.aocPctRom, '%', kin.site, V, P, { n: fast.length }),
        indicator('dynamicComponent', st.dynamicComponentDeg, 'deg', kin.site, V, P, { n: fast.length }),
        indicator(
          'catchPresent',
          fast.length > 0 ? `${st.catchPresentCount}/${fast.length}` : null,
          'count',
          kin.site,
          V,
          P,
          { n: fast.length },
        ),
        indicator('rmsLV', st.rmsLV, firstEmg?.summary.unit ?? '', kin.site, V, P, { n: st.slowCount }),
        indicator('rmsHV', st.rmsHV, firstEmg?.summary.unit ?? '', kin.site, V, P, { n: st.fastCount }),
        indicator('deltaRms', st.deltaRms, firstEmg?.summary.unit ?? '', kin.site, V, P),
        indicator('rmsRatio', st.rmsRatio, '', kin.site, V, P),
        indicator(
          'reflexPresent',
          stretchEmg ? `${st.reflexPresentCount}/${stretches.length}` : null,
          'count',
          kin.site,
          V,
          P,
          { n: stretches.length },
        ),
        indicator('dsrt', st.dsrtDeg, 'deg', kin.site, V, P, { n: st.reflexPresentCount }),
        indicator('onsetVel', st.onsetVelDegS, 'deg/s', kin.site, V, P, { n: st.reflexPresentCount }),
        indicator('thresholdVelocity', st.thresholdVelocityDegS, 'deg/s', kin.site, V, P),
        indicator('thresholdVelocityW50', st.thresholdVelocityW50DegS, 'deg/s', kin.site, V, P, {
          n: stretches.length,
        }),
        indicator('rmsHVrel', st.rmsHVrel, '', kin.site, V, P),
        indicator('tsrt', tsrt === 'outside ROM' ? 'outside ROM' : tsrt?.tsrtDeg, 'deg', kin.site, V, P, {
          n: tsrt && tsrt !== 'outside ROM' ? tsrt.n : 0,
        }),
      );
    }
    const emgEnvelope = firstEmg?.envelopes.clonusEnvelope;
    const clonus = detectClonus(kin.omegaDegS, kin.sampleRateHz, {
      ...(st.stretches.length > 0 ? { stretchesS: st.stretches } : {}),
      ...(emgEnvelope ? { emgEnvelope } : {}),
    });
    clonus.episodes.forEach((e, i) =>
      stretchAndClonus.events.push({
        kind: 'clonus',
        index: i,
        startS: e.startS,
        endS: e.endS,
        values: flat(e),
      }),
    );
    clonusExcludedS = clonusSpansS(clonus.episodes);
    if (clonus.episodes.length > 0) {
      const longest = clonus.episodes.reduce((a, b) => (b.durationS > a.durationS ? b : a));
      protocols.clonus = { episodes: clonus.episodes.length, ...flat(longest) };
      stretchAndClonus.indicators.push(
        indicator(
          'clonusBeats',
          longest.beats,
          'count',
          kin.site,
          CLONUS_ALGORITHM_VERSION,
          clonus.parameters,
        ),
        indicator('clonusF0', longest.f0Hz, 'Hz', kin.site, CLONUS_ALGORITHM_VERSION, clonus.parameters),
        indicator(
          'clonusDuration',
          longest.durationS,
          's',
          kin.site,
          CLONUS_ALGORITHM_VERSION,
          clonus.parameters,
        ),
        indicator('clonusGrade', longest.grade, '', kin.site, CLONUS_ALGORITHM_VERSION, clonus.parameters),
      );
    }
  }
  if (kin && protocol === 'pendulum') {
    const drops = detectDrops(kin.omegaDegS, kin.sampleRateHz);
    const results: PendulumResult[] = drops
      .map((r, i) =>
        analyzePendulumDrop(
          kin.thetaDeg,
          kin.sampleRateHz,
          r,
          {
            ...(options.bodyMassKg !== undefined ? { bodyMassKg: options.bodyMassKg } : {}),
            ...(options.shankLengthM !== undefined ? { shankLengthM: options.shankLengthM } : {}),
          },
          kin.omegaDegS,
          drops[i + 1] ?? kin.thetaDeg.length,
        ),
      )
      .filter(
        (d) =>
          !touchesDiscontinuity(
            options.discontinuitiesS,
            d.releaseTimeS - DROP_HOLD_LEAD_S,
            d.releaseTimeS + d.durationS,
          ),
      );
    // §3.2: reject drops with pre-release EMG above rest + 3 SD (first EMG channel, 1 s before release).
    const emgRef = firstEmg;
    if (emgRef) {
      const restStats = emgRef.envelopes.rest;
      const env = centeredRms(emgRef.y, Math.max(1, Math.round(0.05 * emgRef.fs)));
      for (const d of results) {
        const end = Math.round(d.releaseTimeS * emgRef.fs);
        const start = Math.max(0, end - Math.round(emgRef.fs));
        let m = 0;
        for (let i = start; i < end; i++) m += env[i] ?? 0;
        if (end > start && m / (end - start) > restStats.mean + 3 * restStats.sd)
          d.quality.push('notRelaxed');
      }
    }
    results.forEach((d, i) => {
      const { fit, parameters: _p, ...v } = d;
      pendulum.events.push({
        kind: 'drop',
        index: i,
        startS: d.releaseTimeS,
        endS: d.releaseTimeS + d.durationS,
        values: {
          ...flat(v),
          K: finiteOrNull(fit?.stiffness),
          B: finiteOrNull(fit?.damping),
          fitRSquared: finiteOrNull(fit?.rSquared),
          fitResidualRmsDeg: finiteOrNull(fit?.residualRmsDeg),
          fitNormalised: fit?.normalised ?? null,
        },
      });
    });
    const reason = drops.length === 0 ? noDropReason(kin.omegaDegS, kin.sampleRateHz) : undefined;
    if (reason) protocols.pendulum = { drops: 0, noDropReason: reason };
    if (results.length > 0) {
      const P = results[0]?.parameters ?? {};
      const ids: [string, (d: PendulumResult) => number, string][] = [
        ['A0', (d) => d.a0Deg, 'deg'],
        ['A1', (d) => d.a1Deg, 'deg'],
        ['RI', (d) => d.ri, ''],
        ['R2n', (d) => d.r2n, ''],
        ['nOsc', (d) => d.nOsc, 'count'],
        ['duration', (d) => d.durationS, 's'],
        ['peakVel1', (d) => d.peakVel1DegS, 'deg/s'],
        ['fd', (d) => d.fdHz, 'Hz'],
        ['zeta', (d) => d.zeta, ''],
        ['fdFullPeriod', (d) => d.fdFullPeriodHz, 'Hz'],
        ['zetaFlexion', (d) => d.zetaFlexion, ''],
        ['K', (d) => d.fit?.stiffness ?? NaN, results[0]?.fit?.normalised ? '1/s^2' : 'N*m/rad'],
        ['B', (d) => d.fit?.damping ?? NaN, results[0]?.fit?.normalised ? '1/s' : 'N*m*s/rad'],
        ['fitResidualRms', (d) => d.fit?.residualRmsDeg ?? NaN, 'deg'],
      ];
      const accepted = results.filter((d) => !d.quality.includes('notRelaxed'));
      protocols.pendulum = {
        drops: results.length,
        rejected: results.length - accepted.length,
        nonOscillatory: results.filter((d) => d.nonOscillatory).length,
        nOscThresholdDeg: results[0]?.nOscThresholdDeg ?? null,
        releaseAtStart: results.some((d) => d.releaseAtStart),
      };
      for (const [id, get, unit] of ids) {
        const values = accepted.map(get).filter(Number.isFinite);
        protocols.pendulum[id] = finiteOrNull(median(values));
        pendulum.indicators.push(
          indicator(id, median(values), unit, kin.site, PENDULUM_ALGORITHM_VERSION, P, {
            n: values.length,
            values,
            rejected: results.length - accepted.length,
            quality: [...new Set(results.flatMap((d) => d.quality))],
          }),
        );
      }
    }
  }
  return { stretchAndClonus, pendulum, protocols, clonusExcludedS };
}
