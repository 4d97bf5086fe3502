import type { Command } from 'commander';
import type pg from 'pg';
import {
  connectServer,
  connectionFromEnvironment,
  ServerConnectionError,
} from '../../storage/server-connection.node.js';
import { addSite, migrateServer, serverSchemaVersion } from '../../storage/server-migrate.node.js';
import { serverMigrations } from '../../storage/server-migrations/index.js';
import { CliError, emit, ExitCode } from '../output.js';

/**
 * Runs `fn` with a client connected from libpq's environment variables (password from `PGPASSWORD` or
 * `.pgpass`, never a command-line argument) and ends it after. Connection problems exit 1 in words.
 */
export async function withServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client;
  try {
    const connection = connectionFromEnvironment();
    client = await connectServer(connection);
  } catch (err) {
    const why =
      err instanceof ServerConnectionError ? err.message : `cannot connect: ${(err as Error).message}`;
    throw new CliError(`tonus: ${why}`, ExitCode.failure);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function migrateCommand(json: boolean | undefined): Promise<void> {
  await withServer(async (client) => {
    const applied = await migrateServer(client);
    const version = await serverSchemaVersion(client);
    emit(json, { applied, version, latest: serverMigrations.at(-1)?.version ?? 0 }, () =>
      console.log(
        applied.length === 0
          ? `server schema already at version ${version}`
          : `applied server migrations ${applied.join(', ')}; now at version ${version}`,
      ),
    );
  });
}

/** `tonus server init|migrate|add-site`: the clinic or study PostgreSQL server's schema and sites. */
export function registerServer(program: Command): void {
  const server = program
    .command('server')
    .description('the clinic or study PostgreSQL server (connection from PGHOST, PGUSER, … and .pgpass)');
  server
    .command('init')
    .description('create the Tonus schema, roles and policies on an empty database')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => migrateCommand(opts.json));
  server
    .command('migrate')
    .description('bring the server schema up to this version of Tonus')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => migrateCommand(opts.json));
  server
    .command('add-site')
    .description("add a site and its login role (set the role's password afterwards with psql \\password)")
    .requiredOption('--site <id>', 'site id: lower-case letters, digits, - and _')
    .requiredOption('--name <name>', 'site name')
    .requiredOption('--role <role>', 'login role the site syncs as')
    .option('--no-raw-data', 'do not send raw sample chunks from this site')
    .option('--json', 'print JSON')
    .action(async (opts: { site: string; name: string; role: string; rawData: boolean; json?: boolean }) =>
      withServer(async (client) => {
        await addSite(client, {
          siteId: opts.site,
          name: opts.name,
          role: opts.role,
          syncChunks: opts.rawData,
        });
        emit(opts.json, { site: opts.site, role: opts.role, rawData: opts.rawData }, () =>
          console.log(
            `site ${opts.site} syncs as role ${opts.role}; set its password with: \\password ${opts.role}`,
          ),
        );
      }),
    );
}
