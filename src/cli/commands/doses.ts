import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DosingCore } from '../../app/services/dosing-service.js';
import { openDataFolder } from '../../app/data-folder.js';
import { ApiFailure } from '../../shared/result.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';
import type { DoseInput } from '../../storage/dose-repository.node.js';
import { doseEventProblems, doseKinds, doseRoutes, doseUnits } from '../../dosing/dose-event.js';
import type { DoseKind, DoseRoute, DoseUnit } from '../../dosing/dose-event.js';
import { parseTimeInZone } from '../../dosing/time-zone.js';
import type { ImportedDose } from '../../io/reports/dose-log-import.js';
import { readDoseLogCsv } from '../../io/reports/dose-log-import.js';
import { emit, ExitCode } from '../output.js';

/**
 * Runs `fn` with a {@link DosingCore} on the data folder's database and closes it after. Expected failures
 * print `tonus: <message>` and set the exit code (not found 3, bad input 4); others propagate.
 */
export async function withDosing(
  cmd: Command,
  fn: (core: DosingCore) => Promise<void> | void,
): Promise<void> {
  const { db } = openDataFolder(dataDirOf(cmd.optsWithGlobals<GlobalOptions>()));
  try {
    await fn(new DosingCore(db));
  } catch (err) {
    if (err instanceof ApiFailure && (err.code === 'not-found' || err.code === 'invalid-input')) {
      console.error(
        `tonus: ${err.message}${err.where && !err.message.includes(err.where) ? ` (${err.where})` : ''}`,
      );
      process.exitCode = err.code === 'not-found' ? ExitCode.notFound : ExitCode.badInput;
      return;
    }
    throw err;
  } finally {
    db.close();
  }
}

/** Fails with exit code 4 (bad input) and a message. */
export function badInput(message: string, where?: string): never {
  throw new ApiFailure('invalid-input', message, where);
}

/** mg for oral doses, µg/day for pump rates and pump notes, µg for boluses and injections. */
function defaultUnit(route: DoseRoute, kind: DoseKind): DoseUnit {
  if (route === 'oral') return 'mg';
  if (kind === 'rate_change' || kind === 'refill' || kind === 'alarm') return 'ug_per_day';
  return 'ug';
}

/** Problems of an imported row: unknown names first, then the domain's unit/route rules. */
function importProblems(d: ImportedDose): string[] {
  const problems: string[] = [];
  if (!(doseRoutes as readonly string[]).includes(d.route))
    problems.push(`route "${d.route}" is not one of ${doseRoutes.join(', ')}`);
  if (!(doseKinds as readonly string[]).includes(d.kind))
    problems.push(`kind "${d.kind}" is not one of ${doseKinds.join(', ')}`);
  if (!(doseUnits as readonly string[]).includes(d.unit))
    problems.push(`unit "${d.unit}" is not one of ${doseUnits.join(', ')}`);
  if (d.status !== 'taken' && d.status !== 'missed')
    problems.push(`status "${d.status}" is not taken or missed`);
  if (problems.length > 0) return problems;
  return doseEventProblems({
    ...d,
    route: d.route as DoseRoute,
    kind: d.kind as DoseKind,
    unit: d.unit as DoseUnit,
  });
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value))
    badInput(`${option} must be one of ${allowed.join(', ')}, not "${value}"`, option);
  return value as T;
}

/** `tonus doses add|list|import`: the dose log from the command line. */
export function registerDoses(program: Command): void {
  const doses = program.command('doses').description('the baclofen dose log of a patient');

  doses
    .command('add')
    .description('log one dose (time ISO 8601, or local time in the patient zone)')
    .requiredOption('--patient <code>', 'patient code')
    .requiredOption('--time <time>', 'e.g. 2026-03-29T08:00 (local) or 2026-03-29T08:00+02:00')
    .requiredOption('--amount <n>', 'amount in the unit (mg oral, ug bolus, ug_per_day rate)')
    .option('--route <route>', doseRoutes.join('|'), 'oral')
    .option('--kind <kind>', doseKinds.join('|'), 'scheduled')
    .option('--unit <unit>', doseUnits.join('|'))
    .option('--missed', 'record an expected dose as missed')
    .option('--note <text>', 'free text')
    .option('--actor <who>', 'who enters it (audit trail)', 'cli')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: {
          patient: string;
          time: string;
          amount: string;
          route: string;
          kind: string;
          unit?: string;
          missed?: boolean;
          note?: string;
          actor: string;
          json?: boolean;
        },
        cmd: Command,
      ) =>
        withDosing(cmd, (core) => {
          const patient = core.patient(opts.patient);
          const zone = core.settings(patient).timeZone;
          const timeMs =
            parseTimeInZone(opts.time, zone) ??
            badInput(`--time "${opts.time}" is not an ISO 8601 time`, '--time');
          const route = oneOf(opts.route, doseRoutes, '--route');
          const kind = oneOf(opts.kind, doseKinds, '--kind');
          const amount = Number(opts.amount);
          if (!Number.isFinite(amount)) badInput(`--amount "${opts.amount}" is not a number`, '--amount');
          const dose: DoseInput = {
            timeMs,
            route,
            kind,
            amount,
            unit: opts.unit === undefined ? defaultUnit(route, kind) : oneOf(opts.unit, doseUnits, '--unit'),
            status: opts.missed ? 'missed' : 'taken',
            ...(opts.note === undefined ? {} : { note: opts.note }),
          };
          const [row] = core.addDoses(patient, [dose], opts.actor);
          emit(opts.json, row, () =>
            console.log(`logged dose ${row?.id}: ${dose.amount} ${dose.unit} ${dose.route} at ${opts.time}`),
          );
        }),
    );

  doses
    .command('list')
    .description('list doses, expected doses (taken/missed) and withdrawal-risk flags')
    .requiredOption('--patient <code>', 'patient code')
    .option('--from <time>', 'start (ISO 8601)')
    .option('--to <time>', 'end (ISO 8601)')
    .option('--json', 'print JSON')
    .action(async (opts: { patient: string; from?: string; to?: string; json?: boolean }, cmd: Command) =>
      withDosing(cmd, (core) => {
        const patient = core.patient(opts.patient);
        const zone = core.settings(patient).timeZone;
        const bound = (t: string | undefined, name: string): number | undefined =>
          t === undefined
            ? undefined
            : (parseTimeInZone(t, zone) ?? badInput(`${name} "${t}" is not an ISO 8601 time`, name));
        const log = core.doseLog(patient, bound(opts.from, '--from'), bound(opts.to, '--to'));
        emit(opts.json, log, () => {
          for (const d of log.doses)
            console.log(
              `${String(d.id).padStart(5)} ${d.time} ${d.route.padEnd(14)} ${d.kind.padEnd(11)} ${d.amount} ${d.unit} ${d.status}${d.note ? `  ${d.note}` : ''}`,
            );
          const missed = log.expected.filter((x) => x.status === 'missed').length;
          console.log(`${log.doses.length} entries; ${log.expected.length} expected doses, ${missed} missed`);
          for (const f of log.flags) console.log(`! ${f.text}`);
        });
      }),
    );

  doses
    .command('import')
    .description(
      'import a CSV dose log (columns time, route, amount, unit[, kind, status, note]); all rows or none',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('--patient <code>', 'patient code')
    .option('--actor <who>', 'who imports it (audit trail)', 'import')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { patient: string; actor: string; json?: boolean }, cmd: Command) =>
      withDosing(cmd, (core) => {
        const patient = core.patient(opts.patient);
        const zone = core.settings(patient).timeZone;
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          return badInput(`cannot read ${file}: ${(err as Error).message}`, file);
        }
        const result = readDoseLogCsv(text, (t) => parseTimeInZone(t, zone), importProblems);
        if (result.errors.length > 0)
          badInput(`${file}: nothing imported\n${result.errors.map((e) => `  ${file}:${e}`).join('\n')}`);
        const rows = core.addDoses(
          patient,
          result.doses.map(({ line: _line, ...d }) => d as DoseInput),
          opts.actor,
        );
        emit(opts.json, { imported: rows.length, ids: rows.map((r) => r.id) }, () =>
          console.log(`imported ${rows.length} doses from ${file}`),
        );
      }),
    );
}
