import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import {
  amountText,
  keyDistinction,
  keyText,
  num,
  phaseRank,
  phaseStyle,
  phaseText,
  themeColours,
  indicatorName,
  unitText,
  withAlpha,
  sameKey,
  type ComparableKey,
  type Trend,
} from '../trends-format.js';
import { okabeIto } from './palette.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  TimeScale,
  Legend,
  Tooltip,
  annotationPlugin,
  zoomPlugin,
);

type Point = { x: number; y: number };

/** A dose whose amount differs from the one before: labelled on the chart; other doses are faint ticks. */
export function doseChanges(trend: Trend): Trend['doseEvents'] {
  const taken = trend.doseEvents.filter((d) => d.status === 'taken');
  return taken.filter((d, i) => i > 0 && (taken[i - 1]?.amount !== d.amount || d.kind !== 'scheduled'));
}

/** A line's legend text: its phase, plus its key when several keys share the chart. */
export const lineLabel = (line: Trend['lines'][number], keys: readonly ComparableKey[]): string =>
  new Set(keys.map((k) => keyText(k))).size > 1
    ? `${phaseText(line.key.phase)} · ${keyDistinction(line.key, keys)}`
    : phaseText(line.key.phase);

/** A band's label: which phase's baseline it is. */
export const bandLabel = (phase: string): string => `${phaseText(phase)}: baseline ± MDC95`;

const DOSE_CHANGE_COLOUR = okabeIto[4] as string;
const DOSE_TICK_COLOUR = okabeIto[7] as string;
const SIDE_EFFECT_COLOUR = okabeIto[3] as string;

/**
 * Indicator over time on a date axis: one line per comparable key and phase (so lines never join across
 * protocol or algorithm changes), markers by phase colour and shape, baseline ± MDC95 as a band, doses as
 * vertical lines (changes labelled), side effects labelled. Zoom and pan on the time axis only;
 * `onViewChange` gets the visible range after every zoom or pan.
 */
export function createTrendTimeChart(
  canvas: HTMLCanvasElement,
  trend: Trend,
  onViewChange: (fromMs: number, toMs: number) => void,
): Chart<'line', Point[]> {
  const colours = themeColours();
  const keys = trend.lines.map((l) => l.key);
  const manyKeys = new Set(keys.map((k) => keyText(k))).size > 1;
  const keyIndex = [...new Set(trend.lines.map((l) => keyText(l.key)))];
  const lines = [...trend.lines].sort((a, b) => phaseRank(a.key.phase) - phaseRank(b.key.phase));
  const datasets: ChartDataset<'line', Point[]>[] = lines.map((line) => {
    const style = phaseStyle(line.key.phase);
    const dashed = keyIndex.indexOf(keyText(line.key)) % 2 === 1;
    return {
      label: lineLabel(line, keys),
      data: line.points.map((p) => ({ x: p.startTimeMs, y: p.value })),
      borderColor: style.colour,
      backgroundColor: style.colour,
      pointStyle: style.pointStyle,
      pointRadius: 6,
      pointHoverRadius: 8,
      borderWidth: 2,
      borderDash: dashed ? [6, 4] : [],
      tension: 0,
    };
  });

  const annotations: Record<string, AnnotationOptions> = {};
  trend.baselines.forEach((b, i) => {
    // The band spans the time of its own key's sessions only; each dose phase has its own band in the
    // phase's colour, since troughs and peaks differ by the drug's effect.
    const own = trend.lines
      .filter((l) => sameKey(l.key, b.key))
      .flatMap((l) => l.points.map((p) => p.startTimeMs));
    const colour = phaseStyle(b.phase).colour;
    annotations[`band${i}`] = {
      type: 'box',
      ...(manyKeys && own.length > 0 ? { xMin: Math.min(...own), xMax: Math.max(...own) } : {}),
      yMin: b.lower,
      yMax: b.upper,
      backgroundColor: withAlpha(colour, 0.1),
      borderColor: withAlpha(colour, 0.7),
      borderWidth: 1,
      borderDash: [4, 4],
      drawTime: 'beforeDatasetsDraw',
      label: {
        display: true,
        content: `${bandLabel(b.phase)}${manyKeys ? ` (${keyDistinction(b.key, keys)})` : ''}`,
        position: { x: i % 2 === 0 ? 'start' : 'end', y: 'start' },
        color: colours.text,
        font: { size: 12, weight: 'normal' },
      },
    };
    annotations[`mean${i}`] = {
      type: 'line',
      ...(manyKeys && own.length > 0 ? { xMin: Math.min(...own), xMax: Math.max(...own) } : {}),
      yMin: b.mean,
      yMax: b.mean,
      borderColor: withAlpha(colour, 0.9),
      borderWidth: 1,
      borderDash: [2, 2],
      drawTime: 'beforeDatasetsDraw',
    };
  });
  const changes = new Set(doseChanges(trend).map((d) => d.id));
  trend.doseEvents
    .filter((d) => d.status === 'taken')
    .forEach((d) => {
      const isChange = changes.has(d.id);
      annotations[`dose${d.id}`] = {
        type: 'line',
        xMin: d.timeMs,
        xMax: d.timeMs,
        borderColor: isChange ? DOSE_CHANGE_COLOUR : withAlpha(DOSE_TICK_COLOUR, 0.3),
        borderWidth: isChange ? 2 : 1,
        borderDash: isChange ? [] : [2, 3],
        drawTime: 'beforeDatasetsDraw',
        ...(isChange
          ? {
              label: {
                display: true,
                content: `Dose ${amountText(d.amount)} ${d.unit}`,
                position: 'end',
                backgroundColor: DOSE_CHANGE_COLOUR,
                color: '#000000',
                font: { size: 12, weight: 'bold' },
              },
            }
          : {}),
      };
    });
  trend.sideEffects.forEach((e) => {
    annotations[`effect${e.id}`] = {
      type: 'line',
      xMin: e.timeMs,
      xMax: e.timeMs,
      borderColor: SIDE_EFFECT_COLOUR,
      borderWidth: 2,
      borderDash: [6, 3],
      label: {
        display: true,
        content: `${e.kind} (${e.severity})`,
        position: 'start',
        backgroundColor: SIDE_EFFECT_COLOUR,
        color: '#000000',
        font: { size: 12 },
      },
    };
  });

  const unit = unitText(trend.lines[0]?.points[0]?.unit ?? '');
  const report = (chart: Chart): void => onViewChange(chart.scales.x?.min ?? 0, chart.scales.x?.max ?? 0);
  const xs = trend.lines.flatMap((l) => l.points.map((p) => p.startTimeMs));
  const marginMs = 2 * 24 * 3_600_000;
  const chart = new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      color: colours.text,
      interaction: { mode: 'nearest', intersect: true },
      plugins: {
        legend: {
          position: 'bottom',
          labels: { usePointStyle: true, color: colours.text, font: { size: 13 }, padding: 16 },
        },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label ?? ''}: ${num(item.parsed.y ?? 0)} ${unit}`,
          },
        },
        annotation: { annotations },
        zoom: {
          zoom: {
            wheel: { enabled: true, modifierKey: 'ctrl' },
            pinch: { enabled: true },
            mode: 'x',
            onZoomComplete: ({ chart: c }) => report(c),
          },
          pan: { enabled: true, mode: 'x', onPanComplete: ({ chart: c }) => report(c) },
          limits: { x: { min: 'original', max: 'original', minRange: 24 * 3_600_000 } },
        },
      },
      scales: {
        x: {
          type: 'time',
          min: Math.min(...xs) - marginMs,
          max: Math.max(...xs) + marginMs,
          // Dates, never bare hours: sessions are days apart, and a zoom never goes below one day.
          time: {
            minUnit: 'day',
            tooltipFormat: 'd MMM yyyy HH:mm',
            displayFormats: { day: 'd MMM', week: 'd MMM', month: 'MMM yyyy', quarter: 'MMM yyyy' },
          },
          title: { display: true, text: 'Date', color: colours.text, font: { size: 13 } },
          ticks: { color: colours.text, font: { size: 12 }, maxRotation: 0, autoSkipPadding: 16 },
          grid: { color: colours.grid },
        },
        y: {
          title: {
            display: true,
            text: unit ? `${indicatorName(trend.indicator)} (${unit})` : indicatorName(trend.indicator),
            color: colours.text,
            font: { size: 13 },
          },
          ticks: { color: colours.text, font: { size: 12 } },
          grid: { color: colours.grid },
        },
      },
    },
  });
  report(chart);
  return chart;
}
