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
import type { LiveMarkerList } from './live-markers.js';
import { traceColour } from './palette.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Title, Legend);

/** Longest time the chart scrolls on past the newest data, s (about one data frame). */
const SMOOTH_SCROLL_LIMIT_S = 0.05;
/** The chart stops redrawing this long after the last data arrived, s. */
const KEEP_DRAWING_S = 0.5;
/** A shared y axis is re-fitted when the data fill less than this share of it. */
const REFIT_BELOW_SHARE = 0.25;

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
  /** Markers to draw as labelled vertical lines at their time. */
  markers?: LiveMarkerList;
  ariaLabel: string;
}

/** A "nice" axis range holding [lo, hi] with 10 % room: ends on multiples of 1, 2 or 5 × 10^k. */
export function niceRange(lo: number, hi: number): { min: number; max: number } {
  const span = hi - lo;
  const pad = span > 0 ? span * 0.1 : Math.max(1, Math.abs(hi) * 0.1);
  const raw = (span + 2 * pad) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  return { min: Math.floor((lo - pad) / step) * step, max: Math.ceil((hi + pad) / step) * step };
}

/**
 * A live strip chart. chart.js draws the frame (axes, titles, legend) and is updated only when an axis
 * changes; the traces are stroked straight from a {@link ColumnRing} onto a canvas laid over the plot, each
 * column a vertical min–max segment so peaks survive decimation. Redraws at most once per animation frame.
 */
export class LiveStripChart {
  readonly ring: ColumnRing;
  private readonly chart: Chart<'line'>;
  private readonly overlay: HTMLCanvasElement;
  private readonly markerColour: string;
  private dirty = false;
  private raf = 0;
  /** `performance.now()` when the newest columns arrived. */
  private receivedAt = 0;
  /** Whether columns arrived since the last redraw. */
  private hasFreshData = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: StripChartOptions,
  ) {
    const { channels, widthPx } = options;
    this.ring = new ColumnRing(channels.length, widthPx);
    const lanes = options.laneHalfRange;
    // Empty datasets: they give the legend its entries; the traces themselves are drawn on the overlay.
    const datasets: ChartDataset<'line'>[] = channels.map((ch, i) => ({
      label: ch.label,
      data: [],
      borderColor: traceColour(i),
      backgroundColor: traceColour(i),
      borderWidth: 1,
      pointRadius: 0,
    }));
    const css = getComputedStyle(canvas);
    const textColour = css.getPropertyValue('--text').trim() || '#1b1f24';
    const gridColour = css.getPropertyValue('--grid').trim() || 'rgba(0,0,0,0.1)';
    this.markerColour = textColour;
    // Text and grid follow the page's theme (read when the chart is created).
    Chart.defaults.color = textColour;
    Chart.defaults.borderColor = gridColour;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', options.ariaLabel);
    this.overlay = document.createElement('canvas');
    this.overlay.className = 'live-chart__traces';
    this.overlay.setAttribute('aria-hidden', 'true');
    canvas.after(this.overlay);
    this.chart = new Chart<'line'>(canvas, {
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
          y:
            lanes === undefined
              ? { min: -1, max: 1, title: { display: true, text: options.yTitle } }
              : this.laneScale(lanes),
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

  /** Fits a shared y axis to the data on screen when they leave it or shrink to a sliver of it. */
  private fitSharedAxis(): void {
    if (this.options.laneHalfRange !== undefined || this.ring.size === 0) return;
    const scale = this.options.valueScale ?? 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < this.options.channels.length; c++)
      this.ring.forEach(c, (_age, min, max) => {
        lo = Math.min(lo, min * scale);
        hi = Math.max(hi, max * scale);
      });
    const y = this.chart.options.scales?.y;
    if (!y || !Number.isFinite(lo)) return;
    const min = Number(y.min);
    const max = Number(y.max);
    const outside = lo < min || hi > max;
    const sliver = (hi - lo) / (max - min) < REFIT_BELOW_SHARE;
    if (!outside && !sliver) return;
    Object.assign(y, niceRange(lo, hi));
    this.chart.update('none');
  }

  /** Keeps the overlay the size of the chart's canvas (chart.js resizes it with the page). */
  private sizeOverlay(): CanvasRenderingContext2D | null {
    const { overlay, canvas } = this;
    if (overlay.width !== canvas.width || overlay.height !== canvas.height) {
      overlay.width = canvas.width;
      overlay.height = canvas.height;
      overlay.style.width = canvas.style.width;
      overlay.style.height = canvas.style.height;
    }
    return overlay.getContext('2d');
  }

  private draw(): void {
    const now = performance.now();
    const sinceDataS = (now - this.receivedAt) / 1000;
    if (this.hasFreshData) this.fitSharedAxis();
    const ctx = this.sizeOverlay();
    const area = this.chart.chartArea;
    const yAxis = this.chart.scales.y;
    if (ctx && area && yAxis) {
      this.strokeTraces(ctx, area, yAxis.min, yAxis.max, Math.min(sinceDataS, SMOOTH_SCROLL_LIMIT_S));
    }
    window.dispatchEvent(
      new CustomEvent<LiveDrawnDetail>(LIVE_DRAWN_EVENT, {
        detail: { latencyMs: this.hasFreshData ? Date.now() - this.ring.lastSampleTimeMs : undefined },
      }),
    );
    this.hasFreshData = false;
    if (sinceDataS < KEEP_DRAWING_S) this.raf = requestAnimationFrame(() => this.draw());
    else this.dirty = false;
  }

  /** Strokes every channel and the markers; `scrollS` moves the traces left between data frames. */
  private strokeTraces(
    ctx: CanvasRenderingContext2D,
    area: { left: number; right: number; top: number; bottom: number },
    yMin: number,
    yMax: number,
    scrollS: number,
  ): void {
    const { windowS, widthPx, laneHalfRange: half, channels } = this.options;
    const ratio = this.chart.currentDevicePixelRatio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    const pxPerS = (area.right - area.left) / windowS;
    const pxPerUnit = (area.bottom - area.top) / (yMax - yMin);
    const secondsPerColumn = windowS / widthPx;
    const scale = this.options.valueScale ?? 1;
    const n = channels.length;
    ctx.lineWidth = 1;
    for (let c = 0; c < n; c++) {
      const offset = half === undefined ? 0 : (n - 1 - c) * 2 * half;
      const yOf = (v: number): number => {
        const shown = half === undefined ? v * scale : Math.max(-half, Math.min(half, v * scale)) + offset;
        return area.bottom - (shown - yMin) * pxPerUnit;
      };
      ctx.strokeStyle = traceColour(c);
      ctx.beginPath();
      let first = true;
      this.ring.forEach(c, (age, lo, hi) => {
        const x = area.right + (-age * secondsPerColumn - scrollS) * pxPerS;
        if (first) ctx.moveTo(x, yOf(lo));
        else ctx.lineTo(x, yOf(lo));
        ctx.lineTo(x, yOf(hi));
        first = false;
      });
      ctx.stroke();
    }
    this.strokeMarkers(ctx, area, pxPerS, scrollS);
    ctx.restore();
  }

  private strokeMarkers(
    ctx: CanvasRenderingContext2D,
    area: { left: number; right: number; top: number; bottom: number },
    pxPerS: number,
    scrollS: number,
  ): void {
    const markers = this.options.markers?.all ?? [];
    if (markers.length === 0 || this.ring.size === 0) return;
    ctx.strokeStyle = this.markerColour;
    ctx.fillStyle = this.markerColour;
    ctx.font = '12px system-ui, sans-serif';
    ctx.setLineDash([4, 3]);
    for (const m of markers) {
      const x = area.right + (-(this.ring.lastSampleTimeMs - m.timeMs) / 1000 - scrollS) * pxPerS;
      if (x < area.left || x > area.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, area.top);
      ctx.lineTo(x, area.bottom);
      ctx.stroke();
      ctx.fillText(m.text, x + 3, area.top + 12);
    }
    ctx.setLineDash([]);
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    this.chart.destroy();
    this.overlay.remove();
  }
}
