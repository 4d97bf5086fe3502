import type { Chart } from 'chart.js';
import { useEffect, useRef } from 'react';

/**
 * A canvas that holds one chart.js chart built by `build` (memoise it: a new function rebuilds the chart)
 * and destroyed on unmount. The canvas is an image to assistive technology, described by `label`.
 */
export function TrendChartCanvas({
  build,
  label,
  onChart,
}: {
  build: (canvas: HTMLCanvasElement) => Chart;
  label: string;
  /** Receives the chart once built, and undefined when it is destroyed. */
  onChart?: (chart: Chart | undefined) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const chart = build(canvas);
    onChart?.(chart);
    return () => {
      onChart?.(undefined);
      chart.destroy();
    };
  }, [build, onChart]);
  return (
    <div className="trend-chart__canvas">
      <canvas ref={ref} role="img" aria-label={label} />
    </div>
  );
}
