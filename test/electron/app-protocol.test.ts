import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererProtocolHandler } from '../../electron/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../electron/window-options.js';

let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tonus-protocol-'));
  const staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tonus</title>');
  writeFileSync(join(staticDir, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(staticDir, 'assets', 'index.js.map'), '{"version":3}');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  handle = rendererProtocolHandler(staticDir);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tonus:// protocol handler', () => {
  it('serves the renderer with its content type and the Content Security Policy', async () => {
    const page = await handle(new Request(APP_ENTRY_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Tonus</title>');
    const script = await handle(new Request(`${APP_ORIGIN}/assets/index.js`));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves no source map and nothing outside the renderer folder, still with the policy', async () => {
    for (const path of ['/assets/index.js.map', '/../secret.txt', '/%2e%2e/secret.txt', '/missing.js']) {
      const answer = await handle(new Request(`${APP_ORIGIN}${path}`));
      expect(answer.status, path).toBe(404);
      expect(answer.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await answer.text()).not.toContain('outside the renderer');
    }
  });
});
