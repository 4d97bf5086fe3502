import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import {
  keyDistinction,
  num,
  phaseRank,
  phaseStyle,
  phaseText,
  themeColours,
  withAlpha,
  type DoseCurve,
  type DoseResponse,
} from '../trends-format.js';
import { okabeIto } from './palette.js';

Chart.register(
  ScatterController,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);

type Point = { x: number; y: number };

export interface ScatterAxes {
  xTitle: string;
  yTitle: string;
  /** Unit of the slope's denominator in words, e.g. "per hour". */
  slopeUnit: string;
  yUnit: string;
}

/** Fewest sessions behind a slope worth showing: with fewer, one odd session decides it. */
export const MIN_SESSIONS_FOR_SLOPE = 5;

/** The fit when it rests on enough sessions to be shown, else undefined. */
export function shownFit(response: DoseResponse): DoseResponse['fit'] {
  return response.fit && response.fit.n >= MIN_SESSIONS_FOR_SLOPE ? response.fit : undefined;
}

/** The Theil–Sen fit in words, e.g. "Theil–Sen slope −33.8 µV per hour (n = 20)", or why there is none. */
export function fitText(response: DoseResponse, axes: ScatterAxes): string {
  const fit = shownFit(response);
  const n = response.fit?.n ?? response.points.length;
  if (!fit)
    return (
      response.evidence?.whyNot ??
      `Too few sessions for a slope: ${n} here, at least ${MIN_SESSIONS_FOR_SLOPE} needed (n = ${n}).`
    );
  const { slope } = fit;
  const signed = (v: number): string => `${v < 0 ? '−' : ''}${num(Math.abs(v))}`;
  const ev = response.evidence;
  const ci =
    ev?.ciLow !== undefined && ev.ciHigh !== undefined
      ? `, 95 % bootstrap interval ${signed(ev.ciLow)} to ${signed(ev.ciHigh)}`
      : '';
  return `Theil–Sen slope ${signed(slope)} ${axes.yUnit} ${axes.slopeUnit} (n = ${n}${ci})`;
}

/**
 * Indicator against a dose covariate: sessions as markers by phase (colour and shape; `phaseOf` maps a
 * session id to its phase) and each group's Theil–Sen line across the observed x range. With `curve`
 * (x = hours since dose), the predicted C_rel and its 10–90 % band go on a right-hand 0–1 axis.
 */
export function createTrendScatterChart(
  canvas: HTMLCanvasElement,
  responses: readonly DoseResponse[],
  phaseOf: (sessionId: number) => string,
  axes: ScatterAxes,
  curve?: DoseCurve,
): Chart<'scatter', Point[]> {
  const colours = themeColours();
  const manyKeys = responses.length > 1;
  const keys = responses.map((r) => r.key);
  const datasets: ChartDataset<'scatter', Point[]>[] = [];
  responses.forEach((r, i) => {
    const phases = [...new Set(r.points.map((p) => phaseOf(p.sessionId)))].sort(
      (a, b) => phaseRank(a) - phaseRank(b),
    );
    for (const phase of phases) {
      const style = phaseStyle(phase);
      datasets.push({
        type: 'scatter',
        label: manyKeys ? `${phaseText(phase)} · ${keyDistinction(r.key, keys)}` : phaseText(phase),
        data: r.points.filter((p) => phaseOf(p.sessionId) === phase).map((p) => ({ x: p.x, y: p.y })),
        borderColor: style.colour,
        backgroundColor: style.colour,
        pointStyle: style.pointStyle,
        pointRadius: 6,
      });
    }
    const fit = shownFit(r);
    if (fit && r.points.length > 1) {
      const xs = r.points.map((p) => p.x);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      const { slope, intercept } = fit;
      datasets.push({
        type: 'line',
        label: `Fitted line${manyKeys ? ` · ${keyDistinction(r.key, keys)}` : ''}`,
        data: [
          { x: lo, y: intercept + slope * lo },
          { x: hi, y: intercept + slope * hi },
        ],
        borderColor: i % 2 === 0 ? colours.text : (okabeIto[7] as string),
        backgroundColor: colours.text,
        borderWidth: 2,
        borderDash: [8, 4],
        pointRadius: 0,
        pointStyle: 'line',
      } as unknown as ChartDataset<'scatter', Point[]>); // a line dataset mixed into the scatter chart
    }
  });
  if (curve) {
    // Line datasets in the scatter chart; the band fills from its 90 % edge down to the 10 % edge.
    const line = (label: string, pick: (p: DoseCurve['points'][number]) => number, extra: object) =>
      ({
        type: 'line',
        label,
        data: curve.points.map((p) => ({ x: p.hours, y: pick(p) })),
        yAxisID: 'crel',
        pointRadius: 0,
        borderWidth: 0,
        ...extra,
      }) as unknown as ChartDataset<'scatter', Point[]>;
    datasets.push(
      line('Predicted relative concentration (right axis)', (p) => p.cRel, {
        borderColor: colours.muted,
        borderWidth: 2,
        borderDash: [3, 3],
        pointStyle: 'line',
      }),
      line('Relative concentration 10–90 %', (p) => p.p90, {
        backgroundColor: withAlpha(okabeIto[7] as string, 0.15),
        fill: '+1',
        pointStyle: 'rect',
      }),
      line('', (p) => p.p10, {}),
    );
  }
  return new Chart<'scatter', Point[]>(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      color: colours.text,
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            usePointStyle: true,
            color: colours.text,
            font: { size: 13 },
            padding: 14,
            filter: (item) => item.text !== '',
          },
        },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${num(item.parsed.x ?? 0)}, ${num(item.parsed.y ?? 0)}`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: axes.xTitle, color: colours.text, font: { size: 13 } },
          ticks: { color: colours.text, font: { size: 12 } },
          grid: { color: colours.grid },
        },
        y: {
          title: { display: true, text: axes.yTitle, color: colours.text, font: { size: 13 } },
          ticks: { color: colours.text, font: { size: 12 } },
          grid: { color: colours.grid },
        },
        crel: {
          display: curve !== undefined,
          position: 'right',
          min: 0,
          max: Math.max(1.2, Math.ceil(Math.max(...(curve?.points ?? []).map((p) => p.p90)) * 5) / 5),
          title: { display: true, text: 'Relative concentration', color: colours.text, font: { size: 13 } },
          ticks: { color: colours.text, font: { size: 12 }, stepSize: 0.2 },
          grid: { drawOnChartArea: false },
        },
      },
    },
  });
}
