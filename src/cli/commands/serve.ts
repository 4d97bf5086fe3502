import type { Command } from 'commander';
import { startServer } from '../../server/server.js';
import { browserShellToken } from '../../server/token-file.js';
import { createTonusApp } from '../../app/tonus-app.js';
import { rendererBuildDir } from '../../app/paths.js';
import type { GlobalOptions } from '../global-options.js';
import { dataDirOf } from '../global-options.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Tonus UI to a browser on 127.0.0.1 (the browser shell)')
    .option('--port <port>', 'port to listen on (default: a free one)', (v) => Number.parseInt(v, 10))
    .option('--new-token', 'make a new access token (pages opened with the old address stop working)')
    .action(async (opts: { port?: number; newToken?: boolean }, cmd: Command) => {
      const app = createTonusApp({ dataDir: dataDirOf(cmd.optsWithGlobals<GlobalOptions>()) });
      const server = await startServer({
        handlers: app.handlers,
        events: app.events,
        staticDir: rendererBuildDir(),
        downloads: app.downloads,
        token: browserShellToken(app.dataDir, opts.newToken === true),
        ...(opts.port === undefined ? {} : { port: opts.port }),
      });
      console.log(`Tonus is running at ${server.url}`);
      console.log(`Data folder: ${app.dataDir}. Press Ctrl+C to stop.`);
      const shutdown = (): void => {
        void server
          .close()
          .then(() => app.close())
          .finally(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
}
