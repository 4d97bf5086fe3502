/** One numbered schema change. `up` runs inside a transaction together with the version bump. */
export interface Migration {
  /** Strictly increasing, starting at 1; equals the NNNN in the file name. */
  version: number;
  name: string;
  /** SQL statements, executed in order. */
  up: string;
}
