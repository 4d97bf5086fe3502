/**
 * A small checker of the BIDS rules an EMG-BIDS + motion dataset must follow, driven by the vendored BIDS
 * 1.11.0 schema files (fixtures/bids-schema-1.11.0): file names (entities, their order, labels, required
 * entities, extensions), required sidecar fields, required and initial table columns, dataset_description.
 * YAML is read with Debian's python3-yaml (a dependency of python3-mne).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/app/paths.js';

const schemaDir = join(packageRoot(), 'fixtures', 'bids-schema-1.11.0');

type Yaml = Record<string, unknown>;
const yamlCache = new Map<string, unknown>();
/** A schema file as JSON. */
export function schemaFile(rel: string): unknown {
  if (!yamlCache.has(rel)) {
    const out = execFileSync(
      '/usr/bin/python3',
      [
        '-c',
        'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))',
        join(schemaDir, rel),
      ],
      { encoding: 'utf8' },
    );
    yamlCache.set(rel, JSON.parse(out));
  }
  return yamlCache.get(rel);
}

const levelOf = (v: unknown): string => (typeof v === 'string' ? v : String((v as Yaml).level));
/** `name__channels` → `name` (the schema's column ids carry a suffix after `__`). */
const columnName = (id: string): string => id.split('__')[0] as string;

/** Required fields of every group of a sidecar rule file that selects this suffix. */
export function requiredSidecarFields(ruleFile: string, suffix: string): string[] {
  const groups = schemaFile(ruleFile) as Record<
    string,
    { selectors: string[]; fields: Record<string, unknown> }
  >;
  return Object.values(groups)
    .filter((g) => g.selectors.some((s) => s === `suffix == "${suffix}"`))
    .flatMap((g) =>
      Object.entries(g.fields)
        .filter(([, v]) => levelOf(v) === 'required')
        .map(([k]) => k),
    );
}

/** Problems with a JSON sidecar against the required fields of `ruleFile` for `suffix`. */
export function checkSidecar(json: Record<string, unknown>, ruleFile: string, suffix: string): string[] {
  const problems = requiredSidecarFields(ruleFile, suffix)
    .filter((f) => !(f in json))
    .map((f) => `missing required field ${f}`);
  if (json.EMGPlacementScheme === 'Other' && !('EMGPlacementSchemeDescription' in json))
    problems.push('EMGPlacementSchemeDescription is required when EMGPlacementScheme is "Other"');
  return problems;
}

/** Problems with a TSV (with header) against table rule `rule` of `ruleFile`. */
export function checkTable(text: string, ruleFile: string, rule: string): string[] {
  const r = (
    schemaFile(ruleFile) as Record<string, { initial_columns?: string[]; columns: Record<string, unknown> }>
  )[rule];
  if (r === undefined) return [`no rule ${rule} in ${ruleFile}`];
  const lines = text.split('\n').filter((l) => l !== '');
  const header = (lines[0] ?? '').split('\t');
  const problems: string[] = [];
  (r.initial_columns ?? []).forEach((id, i) => {
    if (header[i] !== columnName(id))
      problems.push(`column ${i + 1} must be ${columnName(id)}, is ${header[i]}`);
  });
  for (const [id, v] of Object.entries(r.columns))
    if (levelOf(v) === 'required' && !header.includes(columnName(id)))
      problems.push(`missing column ${columnName(id)}`);
  lines.slice(1).forEach((l, k) => {
    if (l.split('\t').length !== header.length)
      problems.push(`row ${k + 2} has ${l.split('\t').length} cells`);
  });
  return problems;
}

/** Problems with dataset_description.json. */
export function checkDatasetDescription(json: Record<string, unknown>): string[] {
  const r = (schemaFile('rules/dataset_metadata.yaml') as Record<string, { fields: Record<string, unknown> }>)
    .dataset_description;
  return Object.entries(r?.fields ?? {})
    .filter(([k, v]) => levelOf(v) === 'required' && !(k in json))
    .map(([k]) => `missing required field ${k}`);
}

interface FileRule {
  suffixes: string[];
  extensions: string[];
  datatypes: string[];
  entities: Record<string, string>;
}

/** The entities a raw file rule allows, with `$ref`s into meta/templates.yaml and rules/files/raw resolved. */
function fileRule(ruleFile: string, name: string): FileRule {
  const resolve = (ref: string): Yaml => {
    const [root, ...path] = ref.split('.');
    let node: unknown =
      root === 'meta'
        ? schemaFile('meta/templates.yaml')
        : schemaFile(`rules/files/raw/${path[2] === undefined ? '' : path[2]}.yaml`);
    const rest = root === 'meta' ? path.slice(1) : path.slice(3);
    for (const key of rest) node = expand(node as Yaml)[key];
    return expand(node as Yaml);
  };
  const expand = (node: Yaml): Yaml => {
    const { $ref, ...own } = node;
    const base = typeof $ref === 'string' ? resolve($ref) : {};
    const merged: Yaml = { ...base, ...own };
    if (own.entities !== undefined) merged.entities = expand(own.entities as Yaml);
    return merged;
  };
  return expand((schemaFile(ruleFile) as Yaml)[name] as Yaml) as unknown as FileRule;
}

/**
 * Problems with a data file's path against the rules: `emg` (emg.yaml), `channels__emg` / `channels__motion`
 * (channels.yaml), `motion` (motion.yaml), and for events the emg/motion entity sets.
 */
export function checkFileName(rel: string): string[] {
  const parts = rel.split('/');
  const name = parts[parts.length - 1] as string;
  const datatype = parts[parts.length - 2] as string;
  const m = /^(.*)_([a-z]+)(\.[a-z.]+)$/.exec(name);
  if (!m) return [`${rel}: not entities_suffix.extension`];
  const [, entityText, suffix, extension] = m as unknown as [string, string, string, string];
  const names = schemaFile('objects/entities.yaml') as Record<string, { name: string; format: string }>;
  const order = schemaFile('rules/entities.yaml') as string[];
  const byShort = new Map(Object.entries(names).map(([k, v]) => [v.name, k]));
  const formats = schemaFile('objects/formats.yaml') as Record<string, { pattern: string }>;
  const problems: string[] = [];
  const seen: string[] = [];
  for (const pair of entityText.split('_')) {
    const [key, value] = pair.split('-');
    const entity = byShort.get(key ?? '');
    if (entity === undefined || value === undefined) {
      problems.push(`${rel}: unknown entity ${pair}`);
      continue;
    }
    const pattern = formats[names[entity]?.format ?? 'label']?.pattern ?? '.*';
    if (!new RegExp(`^${pattern}$`).test(value))
      problems.push(`${rel}: ${key} "${value}" is not a ${names[entity]?.format}`);
    seen.push(entity);
  }
  const positions = seen.map((e) => order.indexOf(e));
  if (positions.some((p, i) => i > 0 && p < (positions[i - 1] ?? 0)))
    problems.push(`${rel}: entities out of order`);
  const rule =
    suffix === 'emg'
      ? fileRule('rules/files/raw/emg.yaml', 'emg')
      : suffix === 'motion'
        ? fileRule('rules/files/raw/motion.yaml', 'motion')
        : suffix === 'channels'
          ? fileRule('rules/files/raw/channels.yaml', `channels__${datatype}`)
          : undefined;
  if (rule === undefined) return problems;
  if (!rule.extensions.includes(extension))
    problems.push(`${rel}: extension ${extension} not allowed for ${suffix}`);
  if (!rule.datatypes.includes(datatype)) problems.push(`${rel}: ${suffix} not allowed in ${datatype}/`);
  for (const [entity, level] of Object.entries(rule.entities)) {
    if (levelOf(level) === 'required' && !seen.includes(entity))
      problems.push(`${rel}: missing required ${entity}`);
  }
  for (const e of seen)
    if (!(e in rule.entities)) problems.push(`${rel}: entity ${e} not allowed for ${suffix}`);
  return problems;
}

/** Reads a file of the dataset. */
export const readDatasetFile = (dir: string, rel: string): string => readFileSync(join(dir, rel), 'utf8');
