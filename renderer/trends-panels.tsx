import {
  amountText,
  indicatorName,
  judgementText,
  keyDistinction,
  mdcSentence,
  localTime,
  keyText,
  num,
  phaseText,
  signed,
  type TherapyWindow,
  type Trend,
} from './trends-format.js';
import { comparisonBasis } from './trends-mdc-source.js';

const visitText = (visit: string): string => localTime(`${visit}T12:00:00.000+00:00`, false);

/** One comparison of a median before and after, judged against MDC95 (both comparison tables). */
interface Comparison {
  key: Parameters<typeof keyText>[0];
  before: number;
  after: number;
  delta: number;
  mdc95: number;
  exceedsMdc: boolean;
}

function MdcNote({ unit, mdcs, basis }: { unit: string; mdcs: readonly number[]; basis: string }) {
  const distinct = [...new Set(mdcs.map(num))];
  return (
    <p className="hint">
      {`Values in ${unit}. A change "exceeds MDC" only when it is larger than the smallest real change (MDC95${distinct.length === 1 ? ` = ${distinct[0]} ${unit}` : ', per row'}); smaller changes may be measurement error. ${basis}`}
    </p>
  );
}

/**
 * A card with a table of comparisons judged against MDC95 in words (§8.2): the row's own leading cells, the
 * muscle and side when several appear, before, after, change, MDC95 when it differs between rows, judgement.
 */
function ComparisonCard<C extends Comparison>(props: {
  id: string;
  title: string;
  empty: string;
  basis: string;
  unit: string;
  comparisons: readonly C[];
  rowKey: (c: C) => string;
  /** Header and cell of the row's first column (a row header). */
  first: { header: string; cell: (c: C) => string };
  /** Further leading columns, after the muscle and side. */
  more?: { headers: readonly string[]; cells: (c: C) => readonly string[] };
  valueHeaders: readonly [string, string];
  /** The latest comparison's lead-in, e.g. "Latest visit, 12 Oct". */
  latest: (c: C) => string;
}) {
  const { comparisons: rows, first, more } = props;
  const keys = rows.map((c) => c.key);
  const manyKeys = new Set(keys.map((k) => keyText(k))).size > 1;
  const manyMdcs = new Set(rows.map((c) => num(c.mdc95))).size > 1;
  return (
    <section className="trend-card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {rows.length === 0 ? (
        <p className="hint">{props.empty}</p>
      ) : (
        <>
          <p className="trend-verdict">
            {(() => {
              const last = rows.at(-1) as C;
              return `${props.latest(last)}: ${mdcSentence(last, props.unit, [
                props.valueHeaders[0].toLowerCase(),
                props.valueHeaders[1].toLowerCase(),
              ])}`;
            })()}
          </p>
          <MdcNote unit={props.unit} mdcs={rows.map((c) => c.mdc95)} basis={props.basis} />
          <div className="trend-table-wrap">
            <table className="trend-table">
              <thead>
                <tr>
                  <th scope="col">{first.header}</th>
                  {manyKeys && <th scope="col">Where</th>}
                  {more?.headers.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                  <th scope="col">{props.valueHeaders[0]}</th>
                  <th scope="col">{props.valueHeaders[1]}</th>
                  <th scope="col">Change</th>
                  {manyMdcs && <th scope="col">MDC95</th>}
                  <th scope="col">Judgement</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={props.rowKey(c)}>
                    <th scope="row">{first.cell(c)}</th>
                    {manyKeys && <td>{keyDistinction(c.key, keys)}</td>}
                    {more?.cells(c).map((text, i) => (
                      <td key={more.headers[i]}>{text}</td>
                    ))}
                    <td>{num(c.before)}</td>
                    <td>{num(c.after)}</td>
                    <td>{signed(c.delta)}</td>
                    {manyMdcs && <td>{num(c.mdc95)}</td>}
                    <td className={c.exceedsMdc ? 'trend-exceeds' : undefined}>
                      {judgementText(c.exceedsMdc)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** Pre-dose vs post-dose on the same visit (domain spec §6.4), judged against MDC95 in words (§8.2). */
export function PrePostTable({ trend, unit }: { trend: Trend; unit: string }) {
  return (
    <ComparisonCard
      id="trend-prepost-title"
      title="Before and after the dose, same visit"
      empty="No visit has both a pre-dose (trough) and a post-dose (peak) session."
      basis={comparisonBasis(
        trend,
        'The MDC95 of a pre/post change comes from the spread of both the pre-dose and the post-dose baseline sessions, each within its own phase.',
      )}
      unit={unit}
      comparisons={trend.prePost}
      rowKey={(c) => `${c.troughSessionId}-${c.peakSessionId}`}
      first={{ header: 'Visit', cell: (c) => visitText(c.visit) }}
      valueHeaders={['Pre-dose', 'Post-dose']}
      latest={(c) => `Latest visit, ${visitText(c.visit)}`}
    />
  );
}

/** Same-phase medians from one visit to the next (domain spec §6.4), judged against MDC95 in words. */
export function AcrossVisitsTable({ trend, unit }: { trend: Trend; unit: string }) {
  return (
    <ComparisonCard
      id="trend-across-title"
      title="Same dose phase, from one visit to the next"
      empty="Fewer than two visits with sessions in the same phase."
      basis={comparisonBasis(trend, 'Each phase is judged against the MDC95 of its own baseline band.')}
      unit={unit}
      comparisons={trend.acrossVisits}
      rowKey={(c) => `${keyText(c.key)}-${c.phase}-${c.toVisit}`}
      first={{ header: 'Phase', cell: (c) => phaseText(c.phase) }}
      more={{
        headers: ['From visit', 'To visit'],
        cells: (c) => [visitText(c.fromVisit), visitText(c.toVisit)],
      }}
      valueHeaders={['Before', 'After']}
      latest={(c) =>
        `${phaseText(c.phase)}, ${visitText(c.fromVisit)} to ${visitText(c.toVisit)}${c.key ? ` (${keyText(c.key, false)})` : ''}`
      }
    />
  );
}

const h = (hours: number): string => `${amountText(hours)} h`;

function confidence(w: TherapyWindow): string {
  if (w.stability >= 0.8) return 'fairly consistent';
  if (w.stability >= 0.5) return 'moderately consistent; more sessions would make it firmer';
  return 'uncertain; record more sessions at different times after the dose';
}

/**
 * The therapy-window suggestion in plain words with how sure it is (n, bootstrap interval, stability),
 * marked as decision support. Indicators where a higher value means less resistance get no suggestion,
 * since the estimate looks for the lowest value.
 */
export function TherapyWindowPanel({
  windows,
  indicator,
  unit,
  higherIsLessTone,
}: {
  windows: readonly TherapyWindow[];
  indicator: string;
  unit: string;
  higherIsLessTone: boolean;
}) {
  const name = indicatorName(indicator);
  return (
    <section className="trend-card trend-window" aria-labelledby="trend-window-title">
      <h2 id="trend-window-title">When after a dose is tone lowest?</h2>
      <p className="trend-window__badge">Decision support only, not a dosing recommendation</p>
      {higherIsLessTone ? (
        <p>
          For {name} a higher value means less resistance, so the time of the lowest value is not the time of
          best effect. No timing suggestion is shown for this indicator.
        </p>
      ) : windows.length === 0 ? (
        <p>
          Not enough sessions yet: a suggestion needs at least 3 oral-dose sessions in the same half-hour
          after a dose.
        </p>
      ) : (
        windows.map((w) => (
          <div key={keyText(w.key)} className="trend-window__item">
            {windows.length > 1 && (
              <h3>
                {keyDistinction(
                  w.key,
                  windows.map((x) => x.key),
                )}
              </h3>
            )}
            {w.evidence && !w.evidence.enough ? (
              <p className="trend-window__main">{w.evidence.whyNot}</p>
            ) : (
              <p className="trend-window__main">
                {`In ${w.n} sessions recorded up to 8 h after an oral dose, ${name} was lowest ${amountText(w.bestBinStartH)}–${h(w.bestBinEndH)} after the dose (median ${num(w.bestMedian)} ${unit}, ${w.nInBest} sessions, interquartile range ${num(w.iqrInBest)} ${unit}).`}
              </p>
            )}
            {!(w.evidence && !w.evidence.enough) && (
              <p>
                {`How sure: in 95 % of resamples the best time fell between ${h(w.ciLowH)} and ${h(w.ciHighH)} after the dose, and the same half-hour came out best in ${Math.round(w.stability * 100)} % of them — ${confidence(w)}.`}
              </p>
            )}
          </div>
        ))
      )}
      <p className="hint">
        A pattern in this patient&apos;s recordings to discuss with the treating team. Doses are changed only
        by the prescriber.
      </p>
    </section>
  );
}
