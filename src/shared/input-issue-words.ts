/** The parts of a schema issue (zod's) that say what was wrong with a value. */
export interface InputIssue {
  code: string;
  message: string;
  path: readonly PropertyKey[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
}

/** Messages a schema author wrote (a `.regex(…, 'A patient code holds…')`) are kept; these are the library's. */
const LIBRARY_MESSAGE = /^(Too big|Too small|Invalid|Unrecognized key|Expected)/;

const num = (v: number | bigint | undefined): string => (v === undefined ? '' : String(Number(v)));

/**
 * One issue in words a person reads beside the field: "Must be at most 500.", "Must be a whole number.",
 * "Required." — never the library's "Too big: expected number to be <=500". Author-written messages pass
 * unchanged.
 */
export function issueInWords(issue: InputIssue): string {
  if (!LIBRARY_MESSAGE.test(issue.message)) return issue.message;
  const text = issue.origin === 'string' || issue.origin === 'array';
  switch (issue.code) {
    case 'too_big':
      if (text) return `Must be at most ${num(issue.maximum)} characters long.`;
      return issue.inclusive === false
        ? `Must be less than ${num(issue.maximum)}.`
        : `Must be at most ${num(issue.maximum)}.`;
    case 'too_small':
      if (text)
        return Number(issue.minimum) <= 1
          ? 'Required.'
          : `Must be at least ${num(issue.minimum)} characters long.`;
      if (issue.inclusive === false && Number(issue.minimum) === 0) return 'Must be more than 0.';
      return issue.inclusive === false
        ? `Must be more than ${num(issue.minimum)}.`
        : `Must be at least ${num(issue.minimum)}.`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'Must be a whole number.';
      if (issue.expected === 'number') return 'Must be a number.';
      return 'Required.';
    case 'invalid_value':
      return issue.values && issue.values.length > 0
        ? `Must be one of: ${issue.values.map(String).join(', ')}.`
        : 'Not an allowed value.';
    case 'unrecognized_keys':
      return `Not a field this form knows: ${(issue.keys ?? []).join(', ')}.`;
    case 'invalid_format':
      return 'Not in the expected form.';
    default:
      return 'Not a valid value.';
  }
}
