import { resolveDataDir } from '../app/data-dir.js';

export interface GlobalOptions {
  dataDir?: string;
}

export const dataDirOf = (opts: GlobalOptions): string => resolveDataDir(opts.dataDir);
