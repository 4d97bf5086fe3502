import type { Command } from 'commander';
import { emit } from '../output.js';
import { badInput, withDosing } from './doses.js';

/** `tonus trends`: one indicator over time with dose phases, baselines, pre/post and the therapy window. */
export function registerTrends(program: Command): void {
  program
    .command('trends')
    .description(
      'an indicator over time per muscle and side, with dose phase, MDC95 comparisons and therapy window',
    )
    .requiredOption('--patient <code>', 'patient code')
    .requiredOption('--indicator <id>', 'indicator id, e.g. rmsHV')
    .option('--muscle <muscle>', 'only this muscle')
    .option('--side <side>', 'left|right')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { patient: string; indicator: string; muscle?: string; side?: string; json?: boolean },
        cmd: Command,
      ) =>
        withDosing(cmd, (core) => {
          if (opts.side !== undefined && opts.side !== 'left' && opts.side !== 'right')
            badInput(`--side must be left or right, not "${opts.side}"`, '--side');
          const patient = core.patient(opts.patient);
          const filter = {
            ...(opts.muscle === undefined ? {} : { muscle: opts.muscle }),
            ...(opts.side === undefined ? {} : { side: opts.side as 'left' | 'right' }),
          };
          const trend = core.trend(patient, opts.indicator, filter);
          const windows = core.therapyWindows(patient, opts.indicator, filter);
          const doseResponse = (
            ['hoursSinceDose', 'cRel', 'dailyDoseMgPerKg', 'itbDailyUg'] as const
          ).flatMap((c) => core.doseResponse(patient, opts.indicator, c, filter));
          emit(opts.json, { ...trend, doseResponse, therapyWindows: windows }, () => {
            if (trend.lines.length === 0) console.log(`no values of ${opts.indicator} for ${patient.code}`);
            for (const l of trend.lines) {
              const k = l.key;
              console.log(
                `${k.muscle ?? '-'} ${k.side ?? '-'} ${k.protocol} v${k.algorithmVersion} [${k.phase}]`,
              );
              for (const p of l.points) console.log(`  ${p.start}  ${p.value} ${p.unit}  n=${p.n}`);
            }
            for (const m of trend.measurementErrors)
              console.log(
                `${m.key.muscle ?? '-'} ${m.key.side ?? '-'}: MDC95 ${
                  m.source === 'own-repeats'
                    ? `${m.mdc95?.toFixed(2)} from ${m.repeatSessions} own repeated sessions (95 % interval ${m.ciLow?.toFixed(2)}–${m.ciHigh?.toFixed(2)})`
                    : m.source === 'published'
                      ? `${m.mdc95?.toFixed(2)} published (${m.citation}, ${m.reference}); own repeats ${m.ownRepeats} of ${m.minRepeats}`
                      : `from the baseline spread per phase (nothing published); own repeats ${m.ownRepeats} of ${m.minRepeats}`
                }`,
              );
            for (const c of trend.prePost)
              console.log(
                `${c.visit}: trough ${c.before} → peak ${c.after} (Δ ${c.delta.toFixed(2)}; MDC95 ${c.mdc95.toFixed(2)}${c.exceedsMdc ? ', exceeds MDC' : ''})`,
              );
            for (const g of doseResponse)
              if (g.fit)
                console.log(
                  `vs ${g.covariate}: Theil–Sen slope ${g.fit.slope.toPrecision(3)} per unit (n=${g.fit.n})`,
                );
            for (const w of windows)
              console.log(
                `lowest tone ${w.bestBinStartH}–${w.bestBinEndH} h after dose (n=${w.nInBest} of ${w.n}; 95 % interval ${w.ciLowH}–${w.ciHighH} h; stability ${(w.stability * 100).toFixed(0)} %)`,
              );
          });
        }),
    );
}
