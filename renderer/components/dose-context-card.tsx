import type { z } from 'zod';
import type { DoseContextSchema } from '../../src/shared/api/dosing-api.js';
import { formatHours, formatNumber } from '../format.js';

type DoseContext = z.infer<typeof DoseContextSchema>;

const PHASE_TEXT: Record<string, string> = {
  absorption: 'Absorption (before peak)',
  peak: 'Peak effect',
  'post-peak': 'After peak',
  trough: 'Trough (before next dose)',
  unknown: 'Unknown (no dose logged in 24 h)',
};

/** Where the patient is in the dosing cycle now: phase, time since and to doses, relative concentration. */
export function DoseContextCard({
  context,
  title = 'Dose timing now',
}: {
  context: DoseContext;
  title?: string;
}) {
  const band =
    context.cRelP10 !== undefined && context.cRelP90 !== undefined
      ? ` (likely ${formatNumber(context.cRelP10, 2)}–${formatNumber(context.cRelP90, 2)})`
      : '';
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <dl className="facts">
        <div>
          <dt>Phase</dt>
          <dd>
            <span className={`phase phase--${context.phase}`}>
              {PHASE_TEXT[context.phase] ?? context.phase}
            </span>
          </dd>
        </div>
        <div>
          <dt>Since last dose</dt>
          <dd>{formatHours(context.hoursSinceDose)}</dd>
        </div>
        <div>
          <dt>To next dose</dt>
          <dd>{formatHours(context.hoursToNextDose)}</dd>
        </div>
        <div>
          <dt>Relative concentration</dt>
          <dd>
            {formatNumber(context.cRel, 2)}
            {band}
          </dd>
        </div>
        {context.dailyDoseMg !== undefined && (
          <div>
            <dt>Daily dose</dt>
            <dd>
              {formatNumber(context.dailyDoseMg, 1)} mg
              {context.dailyDoseMgPerKg !== undefined
                ? ` (${formatNumber(context.dailyDoseMgPerKg, 2)} mg/kg)`
                : ''}
            </dd>
          </div>
        )}
        {context.itbDailyUg !== undefined && (
          <div>
            <dt>Intrathecal pump</dt>
            <dd>
              {formatNumber(context.itbDailyUg, 0)} µg/day
              {context.isEquilibrating ? ' — still equilibrating (< 48 h since change)' : ''}
            </dd>
          </div>
        )}
      </dl>
      <p className="hint">Model-based estimate for orientation only; not a dosing recommendation.</p>
    </section>
  );
}
