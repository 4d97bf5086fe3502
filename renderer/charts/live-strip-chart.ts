import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
  type ChartDataset,
} from 'chart.js';
import type { ChannelDescriptor } from '../../src/shared/samples.js';
import { ColumnRing } from './column-ring.js';
import { traceColour } from './palette.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Title, Legend);

type Point = { x: number; y: number };

/** Longest time the chart scrolls on past the newest data, s (about one data frame). */
const SMOOTH_SCROLL_LIMIT_S = 0.05;
/** The chart stops redrawing this long after the last data arrived, s. */
const KEEP_DRAWING_S = 0.5;

/**
 * Window event fired after every redraw. On the first redraw after new data, `latencyMs` is the age of the
 * newest sample now on screen (host clock): what the UI benchmark reports as sample-to-screen latency.
 */
export const LIVE_DRAWN_EVENT = 'tonus:live-drawn';
export interface LiveDrawnDetail {
  latencyMs: number | undefined;
}

export interface StripChartOptions {
  channels: readonly ChannelDescriptor[];
  /** Columns across the plot (one per pixel). */
  widthPx: number;
  windowS: number;
  yTitle: string;
  /**
   * When set, channels are drawn in separate lanes, each showing ±laneHalfRange around its own centre
   * (multi-channel EMG); otherwise all channels share one y axis.
   */
  laneHalfRange?: number;
  /** Multiplies every value before drawing (e.g. π/180 to draw °/s data in rad/s); 1 by default. */
  valueScale?: number;
  ariaLabel: string;
}

/**
 * A live strip chart: a chart.js line chart fed from a {@link ColumnRing}. Each column is drawn as a
 * vertical min–max segment, so peaks survive decimation. Redraws at most once per animation frame,
 * without animation or parsing.
 */
export class LiveStripChart {
  readonly ring: ColumnRing;
  private readonly chart: Chart<'line', Point[]>;
  private readonly points: Point[][];
  private dirty = false;
  private raf = 0;
  /** `performance.now()` when the newest columns arrived. */
  private receivedAt = 0;
  /** Whether columns arrived since the last redraw. */
  private hasFreshData = false;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly options: StripChartOptions,
  ) {
    const { channels, widthPx } = options;
    this.ring = new ColumnRing(channels.length, widthPx);
    this.points = channels.map(() => Array.from({ length: widthPx * 2 }, () => ({ x: 0, y: 0 })));
    const lanes = options.laneHalfRange;
    const datasets: ChartDataset<'line', Point[]>[] = channels.map((ch, i) => ({
      label: ch.label,
      data: [],
      borderColor: traceColour(i),
      backgroundColor: traceColour(i),
      borderWidth: 1,
      pointRadius: 0,
      spanGaps: false,
      normalized: true,
      parsing: false,
    }));
    const css = getComputedStyle(canvas);
    const textColour = css.getPropertyValue('--text').trim() || '#1b1f24';
    const gridColour = css.getPropertyValue('--grid').trim() || 'rgba(0,0,0,0.1)';
    // Text and grid follow the page's theme (read when the chart is created).
    Chart.defaults.color = textColour;
    Chart.defaults.borderColor = gridColour;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', options.ariaLabel);
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        events: [],
        plugins: {
          legend: { display: lanes === undefined, position: 'right', labels: { boxWidth: 12 } },
          tooltip: { enabled: false },
        },
        scales: {
          x: {
            type: 'linear',
            min: -options.windowS,
            max: 0,
            title: { display: true, text: 'Time (s, 0 = now)' },
            ticks: { stepSize: 1 },
          },
          y: lanes === undefined ? { title: { display: true, text: options.yTitle } } : this.laneScale(lanes),
        },
      },
    });
  }

  private laneScale(half: number) {
    const n = this.options.channels.length;
    const labels = this.options.channels.map((c) => c.label);
    return {
      min: -half,
      max: (2 * n - 1) * half,
      title: { display: true, text: this.options.yTitle },
      afterBuildTicks: (axis: { ticks: { value: number }[] }) => {
        axis.ticks = labels.map((_, i) => ({ value: (n - 1 - i) * 2 * half }));
      },
      ticks: {
        callback: (value: number | string) => {
          const lane = n - 1 - Math.round(Number(value) / (2 * half));
          return labels[lane] ?? '';
        },
      },
    };
  }

  /**
   * Tells the chart that new columns arrived. While data keeps coming the chart redraws on every animation
   * frame, scrolling smoothly between the ~30 Hz data frames; it stops redrawing once data stops.
   */
  invalidate(): void {
    this.receivedAt = performance.now();
    this.hasFreshData = true;
    if (this.dirty) return;
    this.dirty = true;
    this.raf = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    const now = performance.now();
    const sinceDataS = (now - this.receivedAt) / 1000;
    const secondsPerColumn = this.options.windowS / this.options.widthPx;
    // Scroll on between data frames, but never extrapolate more than one frame interval.
    const scrollS = Math.min(sinceDataS, SMOOTH_SCROLL_LIMIT_S);
    const half = this.options.laneHalfRange;
    const n = this.options.channels.length;
    const scale = this.options.valueScale ?? 1;
    this.chart.data.datasets.forEach((dataset, c) => {
      const pts = this.points[c] as Point[];
      const offset = half === undefined ? 0 : (n - 1 - c) * 2 * half;
      const clip = (v: number): number =>
        half === undefined ? v * scale : Math.max(-half, Math.min(half, v * scale)) + offset;
      let k = 0;
      this.ring.forEach(c, (age, lo, hi) => {
        const x = -age * secondsPerColumn - scrollS;
        const a = pts[k++] as Point;
        a.x = x;
        a.y = clip(lo);
        const b = pts[k++] as Point;
        b.x = x;
        b.y = clip(hi);
      });
      dataset.data = pts.slice(0, k);
    });
    this.chart.update('none');
    window.dispatchEvent(
      new CustomEvent<LiveDrawnDetail>(LIVE_DRAWN_EVENT, {
        detail: { latencyMs: this.hasFreshData ? Date.now() - this.ring.lastSampleTimeMs : undefined },
      }),
    );
    this.hasFreshData = false;
    if (sinceDataS < KEEP_DRAWING_S) this.raf = requestAnimationFrame(() => this.draw());
    else this.dirty = false;
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    this.chart.destroy();
  }
}
