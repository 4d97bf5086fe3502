import { z } from 'zod';
import { ClinicalScoresSchema, StreamQualitySchema } from '../shared/api/session-api.js';
import type { ClinicalScores, Session, StreamQuality } from '../shared/api/session-api.js';
import { StreamDescriptorSchema } from '../shared/schemas.js';

/**
 * Tolerant reading of the JSON columns of a session row. A row written by an older version or damaged (for
 * example ±Infinity ranges that JSON stored as null) never throws here: what can be repaired is repaired
 * (a missing number reads as 0), what cannot reads as empty, and each problem is described in words for
 * that session only, so one bad row never stops the listing or reading of the others.
 */
export interface SessionJson {
  streams: Session['streams'];
  quality: Record<string, StreamQuality> | null;
  clinical: ClinicalScores | null;
  /** What could not be read as stored; empty when the row is sound. */
  problems: string[];
}

const StreamsSchema = z.array(StreamDescriptorSchema);
const QualitySchema = z.record(z.string(), StreamQualitySchema);

/** `value` with every number field that is not a finite number (null, missing) set to 0, recursively. */
function zeroBadNumbers(value: unknown, numberKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => zeroBadNumbers(v, numberKeys));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      numberKeys.has(k) && !(typeof v === 'number' && Number.isFinite(v)) ? 0 : zeroBadNumbers(v, numberKeys),
    ]),
  );
}

const issueText = (e: z.ZodError): string => {
  const i = e.issues[0];
  return i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
};

function parse<T>(
  text: string | null,
  schema: z.ZodType<T>,
  what: string,
  repairKeys: ReadonlySet<string>,
  problems: string[],
): T | undefined {
  if (text === null) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    problems.push(`${what}: not readable`);
    return undefined;
  }
  const direct = schema.safeParse(raw);
  if (direct.success) return direct.data;
  const repaired = schema.safeParse(zeroBadNumbers(raw, repairKeys));
  if (repaired.success) {
    problems.push(`${what}: values that are not numbers (${issueText(direct.error)}) read as 0`);
    return repaired.data;
  }
  problems.push(`${what}: not valid (${issueText(direct.error)})`);
  return undefined;
}

const streamNumbers = new Set(['rangeMin', 'rangeMax']);
const qualityNumbers = new Set(['nominalHz', 'samples', 'droppedSamples', 'gaps']);

/** Reads the streams, quality and clinical JSON of a session row (see {@link SessionJson}). */
export function readSessionJson(row: {
  streams_json: string;
  effective_rates_json: string | null;
  clinical_json: string | null;
}): SessionJson {
  const problems: string[] = [];
  const streams = parse(row.streams_json, StreamsSchema, 'stream description', streamNumbers, problems) ?? [];
  const quality =
    parse(row.effective_rates_json, QualitySchema, 'quality counters', qualityNumbers, problems) ?? null;
  const clinical =
    parse(row.clinical_json, ClinicalScoresSchema, 'clinical scores', new Set(), problems) ?? null;
  return { streams, quality, clinical, problems };
}
