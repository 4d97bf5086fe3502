import type { z } from 'zod';
import type { PatientGlanceSchema } from '../../src/shared/api/dosing-api.js';
import { useAngleUnit } from '../angle-unit-context.js';
import { indicatorName, num, phaseText, unitText } from '../trends-format.js';
import { glanceInUnit } from '../trends-units.js';

type Glance = NonNullable<z.infer<typeof PatientGlanceSchema>['indicator']>;

const WIDTH = 72;
const HEIGHT = 20;

/**
 * One patient's key indicator at a glance: a sparkline of its latest line (same muscle, side, protocol,
 * algorithm and dose phase), the latest value and an arrow with the change from the previous value. The
 * arrow says only the direction of the number, never whether that is better; the full text is the label.
 * Angular indicators are shown in the chosen angle unit.
 */
export function TrendGlance({ glance: stored }: { glance: Glance }) {
  const glance = glanceInUnit(stored, useAngleUnit());
  const unit = unitText(glance.unit);
  const values = glance.recent.map((r) => r.value);
  const last = values.at(-1) ?? 0;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const points = values
    .map((v, i) => {
      const x = values.length === 1 ? WIDTH / 2 : (i / (values.length - 1)) * (WIDTH - 4) + 2;
      const y = HEIGHT - 2 - ((v - min) / span) * (HEIGHT - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const d = glance.delta;
  const arrow = d === undefined ? '' : d > 0 ? '↑' : d < 0 ? '↓' : '→';
  const change =
    d === undefined
      ? 'first value'
      : d === 0
        ? 'unchanged since the previous session'
        : `${d > 0 ? 'up' : 'down'} ${num(Math.abs(d))} ${unit} since the previous session`;
  const where = [glance.muscle, glance.side].filter(Boolean).join(' ');
  const label = `${indicatorName(glance.id)}${where ? `, ${where}` : ''}, ${phaseText(glance.phase).toLowerCase()}: ${num(last)} ${unit}, ${change} (${values.length} recent values)`;
  return (
    <span className="trend-glance" role="img" aria-label={label} title={label}>
      <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true">
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span aria-hidden="true">{`${indicatorName(glance.id)} ${num(last)} ${unit} ${arrow}`}</span>
    </span>
  );
}
