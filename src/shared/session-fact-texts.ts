/**
 * The text forms in which a session's facts travel as EDF+/BDF+ annotations (docs/interop.md), and their
 * parsers. Other readers show them as ordinary annotations; Tonus reads them back into the session.
 *
 * | fact | annotation text | onset |
 * |---|---|---|
 * | protocol | `Protocol: passive-stretch` | 0 |
 * | muscle, side | `Muscle: gastrocnemius`, `Side: right` | 0 |
 * | clinician scores | `MAS: 1+`, `Tardieu quality: 2`, `Tardieu R1: 45 deg`, `Tardieu R2: 90 deg` | 0 |
 * | dose | `Dose: Baclofen 10 mg PO`, `Dose missed: Baclofen 10 mg PO`, `Dose: Baclofen 50 µg ITB bolus (extra)` | dose time (may be negative) |
 * | side effect | `Side effect: drowsiness, moderate` (`: note` may follow) | its time |
 *
 * Routes: `PO` (oral), `ITB bolus`, `ITB continuous`, `injection`; units `mg`, `µg`, `µg/day` (`ug`/`mcg` are
 * read too). A dose kind other than scheduled follows in parentheses: `extra`, `rate change`, `flex bolus`,
 * `refill`, `alarm`. `Dose: ` may be left out when reading (`Baclofen 10 mg PO` is a dose).
 */
import type { BodySide, ClinicalScores } from './api/session-api.js';
import type { Annotation } from './recording.js';

export type DoseRouteText = 'oral' | 'itb_bolus' | 'itb_continuous' | 'injection';
export type DoseKindText = 'scheduled' | 'extra' | 'rate_change' | 'flex_bolus' | 'refill' | 'alarm';
export type DoseUnitText = 'mg' | 'ug' | 'ug_per_day';

/** A dose as its annotation states it. */
export interface DoseFact {
  route: DoseRouteText;
  kind: DoseKindText;
  amount: number;
  unit: DoseUnitText;
  status: 'taken' | 'missed';
}

const ROUTES: Record<DoseRouteText, string> = {
  oral: 'PO',
  itb_bolus: 'ITB bolus',
  itb_continuous: 'ITB continuous',
  injection: 'injection',
};
const UNITS: Record<DoseUnitText, string> = { mg: 'mg', ug: 'µg', ug_per_day: 'µg/day' };

/** The annotation text of a dose, e.g. `Dose: Baclofen 10 mg PO`. */
export function doseText(d: DoseFact): string {
  const kind = d.kind === 'scheduled' ? '' : ` (${d.kind.replace('_', ' ')})`;
  return `Dose${d.status === 'missed' ? ' missed' : ''}: Baclofen ${d.amount} ${UNITS[d.unit]} ${ROUTES[d.route]}${kind}`;
}

const DOSE_RE =
  /^(?:Dose( missed)?:\s*)?Baclofen\s+(\d+(?:\.\d+)?)\s*(mg|µg\/day|ug\/day|mcg\/day|µg|ug|mcg)\s+(PO|oral|ITB bolus|ITB continuous|injection)(?:\s+\((extra|rate change|flex bolus|refill|alarm|scheduled)\))?\s*$/i;

/** The dose an annotation text states, or undefined when it states none. */
export function parseDoseText(text: string): DoseFact | undefined {
  const m = DOSE_RE.exec(text.trim());
  if (!m) return undefined;
  const unitText = (m[3] ?? '').toLowerCase();
  const unit: DoseUnitText = unitText === 'mg' ? 'mg' : unitText.endsWith('/day') ? 'ug_per_day' : 'ug';
  const routeText = (m[4] ?? '').toLowerCase();
  const route = (Object.keys(ROUTES) as DoseRouteText[]).find(
    (r) => ROUTES[r].toLowerCase() === routeText || (r === 'oral' && routeText === 'oral'),
  );
  if (route === undefined) return undefined;
  const kind = (m[5] ?? 'scheduled').toLowerCase().replace(' ', '_') as DoseKindText;
  return { route, kind, amount: Number(m[2]), unit, status: m[1] === undefined ? 'taken' : 'missed' };
}

/** The annotation text of a side effect, e.g. `Side effect: drowsiness, moderate`. */
export function sideEffectText(s: { kind: string; severity: string; note?: string }): string {
  return `Side effect: ${s.kind}, ${s.severity}${s.note ? `: ${s.note}` : ''}`;
}

/** The session facts a file's annotations state. */
export interface SessionFacts {
  protocol?: string;
  muscle?: string;
  side?: BodySide;
  clinical?: ClinicalScores;
}

const MAS_GRADES = ['0', '1', '1+', '2', '3', '4'] as const;

/** The annotation texts (at onset 0) of a session's protocol, muscle, side and scores. */
export function sessionFactTexts(s: {
  protocol: string;
  muscle: string | null;
  side: BodySide | null;
  clinical: ClinicalScores | null;
}): string[] {
  const out = [`Protocol: ${s.protocol}`];
  if (s.muscle !== null) out.push(`Muscle: ${s.muscle}`);
  if (s.side !== null) out.push(`Side: ${s.side}`);
  const c = s.clinical ?? {};
  if (c.modifiedAshworth !== undefined) out.push(`MAS: ${c.modifiedAshworth}`);
  if (c.tardieuQuality !== undefined) out.push(`Tardieu quality: ${c.tardieuQuality}`);
  if (c.tardieuR1Deg !== undefined) out.push(`Tardieu R1: ${c.tardieuR1Deg} deg`);
  if (c.tardieuR2Deg !== undefined) out.push(`Tardieu R2: ${c.tardieuR2Deg} deg`);
  return out;
}

/**
 * Takes the session facts out of a file's annotations: returns them and the annotations that remain
 * (doses, side effects and markers stay annotations). A fact text that does not parse stays an annotation.
 */
export function takeSessionFacts(annotations: readonly Annotation[]): {
  facts: SessionFacts;
  rest: Annotation[];
} {
  const facts: SessionFacts = {};
  const clinical: ClinicalScores = {};
  const rest: Annotation[] = [];
  for (const a of annotations) {
    const m = /^(Protocol|Muscle|Side|MAS|Tardieu quality|Tardieu R1|Tardieu R2): (.+?)( deg)?$/.exec(a.text);
    const key = m?.[1];
    const value = (m?.[2] ?? '').trim();
    const deg = Number(value);
    const grade = MAS_GRADES.find((g) => g === value);
    if (key === 'Protocol' && facts.protocol === undefined) facts.protocol = value;
    else if (key === 'Muscle') facts.muscle = value;
    else if (key === 'Side' && (value === 'left' || value === 'right')) facts.side = value;
    else if (key === 'MAS' && grade !== undefined) clinical.modifiedAshworth = grade;
    else if (key === 'Tardieu quality' && /^[0-5]$/.test(value)) clinical.tardieuQuality = deg;
    else if (key === 'Tardieu R1' && Number.isFinite(deg) && Math.abs(deg) <= 180)
      clinical.tardieuR1Deg = deg;
    else if (key === 'Tardieu R2' && Number.isFinite(deg) && Math.abs(deg) <= 180)
      clinical.tardieuR2Deg = deg;
    else rest.push(a);
  }
  if (Object.keys(clinical).length > 0) facts.clinical = clinical;
  return { facts, rest };
}
