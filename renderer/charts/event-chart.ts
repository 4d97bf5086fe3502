import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import type { SignalTrace } from '../../src/shared/api/signal-api.js';
import { formatNumber } from '../format.js';
import { themeColours, withAlpha } from '../trends-format.js';
import { displayUnit, formatAngle, type AngleUnit } from '../units.js';
import { okabeIto } from './palette.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
  annotationPlugin,
);

/** What one event chart marks: the event's span, and the catch and EMG onset when the analysis found them. */
export interface EventMarks {
  startS: number;
  endS: number | null;
  catchTimeS?: number;
  aocDeg?: number;
  /** True: a catch by the analysis' criterion; null: not decidable (no slow stretch to compare with). */
  catchConfirmed?: boolean | null;
  emgOnsetTimeS?: number;
}

type Point = { x: number; y: number };

/** Per trace: colour, dash (so the trace is told apart without colour) and the panel it sits in. */
const STYLE: Record<SignalTrace['id'], { colour: string; dash: number[]; weight: number }> = {
  angle: { colour: okabeIto[0] as string, dash: [], weight: 3 },
  velocity: { colour: okabeIto[1] as string, dash: [6, 3], weight: 2 },
  envelope: { colour: okabeIto[2] as string, dash: [8, 2, 2, 2], weight: 2 },
};
const CATCH_COLOUR = okabeIto[6] as string;
const ONSET_COLOUR = okabeIto[3] as string;

/** Short axis title of a trace, with its unit (angles in `angleUnit`). */
export const traceTitle = (t: SignalTrace, angleUnit: AngleUnit = 'deg'): string => {
  const name = t.id === 'angle' ? 'Angle' : t.id === 'velocity' ? 'Vel.' : 'EMG';
  return `${name} ${displayUnit(t.unit, angleUnit).text}`;
};

/** `t` with its values in the display unit of `angleUnit` (angle and velocity traces; EMG unchanged). */
export function traceInUnit(t: SignalTrace, angleUnit: AngleUnit): SignalTrace {
  const { factor, text } = displayUnit(t.unit, angleUnit);
  if (factor === 1) return t;
  return {
    ...t,
    unit: text,
    min: t.min.map((v) => v * factor),
    max: t.max.map((v) => v * factor),
  };
}

/**
 * A small chart of one event: angle, angular velocity and EMG envelope in three stacked panels sharing a
 * time axis (s from the session start), each drawn as its min/max band; the event's span shaded, the catch
 * as a solid black line labelled with its angle plus a point on the angle, the EMG onset as a dotted line.
 * Traces and marks come in the API's units (°, °/s); angles are drawn in `angleUnit`.
 */
export function buildEventChart(
  canvas: HTMLCanvasElement,
  tracesAsStored: readonly SignalTrace[],
  marks: EventMarks,
  angleUnit: AngleUnit = 'deg',
): Chart {
  const traces = tracesAsStored.map((t) => traceInUnit(t, angleUnit));
  const aoc = marks.aocDeg === undefined ? undefined : marks.aocDeg * displayUnit('deg', angleUnit).factor;
  const colours = themeColours();
  const datasets: ChartDataset<'line', Point[]>[] = [];
  const scales: Record<string, object> = {};
  traces.forEach((t) => {
    const s = STYLE[t.id];
    const common = {
      yAxisID: t.id,
      borderColor: s.colour,
      borderDash: s.dash,
      pointRadius: 0,
      tension: 0,
    };
    datasets.push({
      ...common,
      label: `${t.id}-min`,
      borderWidth: 0,
      data: t.timesS.map((x, i) => ({ x, y: t.min[i] ?? NaN })),
    });
    datasets.push({
      ...common,
      label: t.label,
      borderWidth: s.weight,
      fill: '-1',
      backgroundColor: withAlpha(s.colour, 0.25),
      data: t.timesS.map((x, i) => ({ x, y: t.max[i] ?? NaN })),
    });
  });
  // chart.js stacks the later scale above: declare them bottom-up so the angle is on top.
  [...traces].reverse().forEach((t) => {
    scales[t.id] = {
      type: 'linear',
      position: 'left',
      stack: 'event',
      stackWeight: t.id === 'angle' ? 1.4 : 1,
      offset: true,
      title: { display: true, text: traceTitle(t, angleUnit), color: colours.text, font: { size: 12 } },
      ticks: { color: colours.text, font: { size: 11 }, maxTicksLimit: 3 },
      grid: { color: colours.grid },
    };
  });
  // Each panel is its own scale, so every vertical mark is drawn once per panel; the label only once.
  const annotations: Record<string, AnnotationOptions> = {};
  const ink = colours.text || CATCH_COLOUR;
  traces.forEach((t, i) => {
    const top = i === 0;
    const bottom = i === traces.length - 1;
    annotations[`span-${t.id}`] = {
      type: 'box',
      xMin: marks.startS,
      xMax: marks.endS ?? marks.startS,
      yScaleID: t.id,
      backgroundColor: withAlpha(okabeIto[5] as string, 0.15),
      borderWidth: 0,
    };
    if (marks.catchTimeS !== undefined)
      annotations[`catch-${t.id}`] = {
        type: 'line',
        xMin: marks.catchTimeS,
        xMax: marks.catchTimeS,
        yScaleID: t.id,
        borderColor: ink,
        borderWidth: 2,
        label: {
          display: top,
          content: `${marks.catchConfirmed === true ? 'Catch' : 'Catch?'}${
            marks.aocDeg === undefined ? '' : ` ${formatAngle(marks.aocDeg, angleUnit)}`
          }`,
          position: 'end',
          backgroundColor: ink,
          color: colours.surface,
          font: { size: 12, weight: 'bold' },
        },
      };
    if (marks.emgOnsetTimeS !== undefined)
      annotations[`onset-${t.id}`] = {
        type: 'line',
        xMin: marks.emgOnsetTimeS,
        xMax: marks.emgOnsetTimeS,
        yScaleID: t.id,
        borderColor: ONSET_COLOUR,
        borderWidth: 2,
        borderDash: [2, 3],
        label: {
          display: bottom,
          content: 'EMG onset',
          position: 'end',
          backgroundColor: ONSET_COLOUR,
          color: '#000000',
          font: { size: 12 },
        },
      };
  });
  if (marks.catchTimeS !== undefined && aoc !== undefined && traces.some((t) => t.id === 'angle'))
    annotations.catchPoint = {
      type: 'point',
      xValue: marks.catchTimeS,
      yValue: aoc,
      yScaleID: 'angle',
      radius: 6,
      pointStyle: 'crossRot',
      borderColor: ink,
      borderWidth: 3,
      backgroundColor: 'transparent',
    };
  const xs = traces.flatMap((t) => [
    t.timesS[0] ?? marks.startS,
    t.timesS[t.timesS.length - 1] ?? marks.startS,
  ]);
  return new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      color: colours.text,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            color: colours.text,
            font: { size: 12 },
            boxWidth: 24,
            filter: (item) => !item.text.endsWith('-min'),
          },
        },
        tooltip: {
          filter: (item) => !(item.dataset.label ?? '').endsWith('-min'),
          callbacks: {
            title: (items) => `${formatNumber(items[0]?.parsed.x ?? 0, 2)} s`,
            label: (item) =>
              `${item.dataset.label ?? ''}: ${formatNumber(item.parsed.y ?? 0, angleUnit === 'rad' ? 3 : 1)}`,
          },
        },
        annotation: { annotations },
      },
      scales: {
        x: {
          type: 'linear',
          min: Math.min(...xs),
          max: Math.max(...xs),
          title: { display: true, text: 'Time in session (s)', color: colours.text, font: { size: 12 } },
          ticks: { color: colours.text, font: { size: 11 }, maxRotation: 0 },
          grid: { color: colours.grid },
        },
        ...scales,
      },
    },
  });
}
