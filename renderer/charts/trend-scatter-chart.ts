import {
  Chart,
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
  keyText,
  num,
  phaseRank,
  phaseStyle,
  phaseText,
  themeColours,
  type DoseResponse,
} from '../trends-format.js';
import { okabeIto } from './palette.js';

Chart.register(ScatterController, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type Point = { x: number; y: number };

export interface ScatterAxes {
  xTitle: string;
  yTitle: string;
  /** Unit of the slope's denominator in words, e.g. "per hour". */
  slopeUnit: string;
  yUnit: string;
}

/** The Theil–Sen fit in words, e.g. "Theil–Sen slope −33.8 µV per unit C_rel (n = 20)". */
export function fitText(response: DoseResponse, axes: ScatterAxes): string {
  if (!response.fit) return 'Too few sessions for a fitted slope.';
  const { slope, n } = response.fit;
  return `Theil–Sen slope ${slope < 0 ? '−' : ''}${num(Math.abs(slope))} ${axes.yUnit} ${axes.slopeUnit} (n = ${n})`;
}

/**
 * Indicator against a dose covariate: sessions as markers by phase (colour and shape; `phaseOf` maps a
 * session id to its phase) and each group's Theil–Sen line across the observed x range.
 */
export function createTrendScatterChart(
  canvas: HTMLCanvasElement,
  responses: readonly DoseResponse[],
  phaseOf: (sessionId: number) => string,
  axes: ScatterAxes,
): Chart<'scatter', Point[]> {
  const colours = themeColours();
  const manyKeys = responses.length > 1;
  const datasets: ChartDataset<'scatter', Point[]>[] = [];
  responses.forEach((r, i) => {
    const phases = [...new Set(r.points.map((p) => phaseOf(p.sessionId)))].sort(
      (a, b) => phaseRank(a) - phaseRank(b),
    );
    for (const phase of phases) {
      const style = phaseStyle(phase);
      datasets.push({
        type: 'scatter',
        label: manyKeys ? `${phaseText(phase)} · ${keyText(r.key, false)}` : phaseText(phase),
        data: r.points.filter((p) => phaseOf(p.sessionId) === phase).map((p) => ({ x: p.x, y: p.y })),
        borderColor: style.colour,
        backgroundColor: style.colour,
        pointStyle: style.pointStyle,
        pointRadius: 6,
      });
    }
    if (r.fit && r.points.length > 1) {
      const xs = r.points.map((p) => p.x);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      const { slope, intercept } = r.fit;
      datasets.push({
        type: 'line',
        label: `Fitted line${manyKeys ? ` · ${keyText(r.key, false)}` : ''}`,
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
          labels: { usePointStyle: true, color: colours.text, font: { size: 13 }, padding: 14 },
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
      },
    },
  });
}
