import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { spawnTracked, stopChild } from '../support/child-processes.js';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

export interface ShellUnderTest {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  server: ChildProcess;
  browser: BrowserContext;
  page: Page;
  /**
   * Kills the server process at once (SIGKILL, as a crash would) and waits until it has gone; the page stays
   * open. Call {@link ShellUnderTest.restartServer} to bring it back.
   */
  killServer(): Promise<void>;
  /** Starts the server again on the same data folder and port (it keeps its token), as a person would. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real browser shell (`tonus serve`, a separate process) on a fresh data folder. A server that
 * does not come up is stopped before the error is thrown.
 */
export async function startServer(
  dataDir: string,
  port?: number,
): Promise<{ server: ChildProcess; url: string }> {
  const portArgs = port === undefined ? [] : ['--port', String(port)];
  const server = spawnTracked(
    process.execPath,
    ['bin/tonus.js', '--data-dir', dataDir, 'serve', ...portArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  }).catch(async (e: unknown) => {
    await stopChild(server);
    throw e;
  });
  return { server, url };
}

/** Launches Debian's Chromium headless with a fresh profile folder (its --user-data-dir). */
export async function launchChromium(
  profileDir: string,
  viewport: { width: number; height: number },
  executablePath = CHROMIUM,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--test-type',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * The whole browser shell: server process + Chromium page at the printed URL. `seed`, when given, fills the
 * fresh data folder before the server starts (and must close what it opened). When any step after the
 * server's start throws, the server and browser are stopped before the error reaches the caller.
 */
export async function openShell(
  viewport = { width: 1440, height: 900 },
  seed?: (dataDir: string) => Promise<void>,
  executablePath = CHROMIUM,
): Promise<ShellUnderTest> {
  const root = mkdtempSync(join(tmpdir(), 'tonus-e2e-'));
  const dataDir = join(root, 'data');
  if (seed) await seed(dataDir);
  const { server, url } = await startServer(dataDir);
  let browser: BrowserContext | undefined;
  let page: Page;
  const errors: string[] = [];
  try {
    browser = await launchChromium(join(root, 'profile'), viewport, executablePath);
    page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
  } catch (e) {
    await browser?.close();
    await stopChild(server);
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  const context = browser;
  const origin = new URL(url).origin;
  const token = new URL(url).hash.replace('#token=', '');
  const shell: ShellUnderTest = {
    url,
    origin,
    token,
    dataDir,
    server,
    browser: context,
    page,
    async killServer() {
      const exited = new Promise<void>((resolve) => shell.server.once('exit', () => resolve()));
      shell.server.kill('SIGKILL');
      await exited;
    },
    async restartServer() {
      const restarted = await startServer(dataDir, Number(new URL(url).port));
      if (restarted.url !== url) {
        await stopChild(restarted.server);
        throw new Error(`the restarted server printed ${restarted.url}, not ${url}`);
      }
      shell.server = restarted.server;
    },
    async close() {
      await context.close();
      await stopChild(shell.server);
      rmSync(root, { recursive: true, force: true });
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    },
  };
  return shell;
}
