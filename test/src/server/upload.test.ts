import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/app/paths.js';
import { createTonusApp, type TonusApp } from '../../../src/app/tonus-app.js';
import { startServer, type RunningServer } from '../../../src/server/server.js';
import { safeFileName } from '../../../src/server/upload.js';

const fixture = join(packageRoot(), 'fixtures', 'demo-passive-stretch.bdf');

describe('browser shell upload for import', () => {
  let app: TonusApp;
  let server: RunningServer;
  const staticDir = mkdtempSync(join(tmpdir(), 'tonus-static-'));
  const MAX = 4 * 1024 * 1024;

  const upload = (body: Uint8Array<ArrayBuffer>, token: string | null = server.token, name = 'visit 1.bdf') =>
    fetch(`${server.origin}/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: token === null ? {} : { 'x-tonus-token': token },
      body,
    });

  beforeAll(async () => {
    app = createTonusApp({ dataDir: mkdtempSync(join(tmpdir(), 'tonus-up-app-')) });
    server = await startServer({
      handlers: app.handlers,
      events: app.events,
      staticDir,
      maxUploadBytes: MAX,
    });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  it('stores a real BDF+ privately, byte for byte, and the import reads it from there', async () => {
    const bytes = new Uint8Array(readFileSync(fixture));
    const r = await upload(bytes);
    expect(r.status).toBe(200);
    const { value } = (await r.json()) as { value: { path: string } };
    expect(value.path).toMatch(/-visit_1\.bdf$/);
    expect(readFileSync(value.path).equals(Buffer.from(bytes))).toBe(true);
    expect(statSync(value.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(value.path)).mode & 0o777).toBe(0o700);

    const imported = await fetch(`${server.origin}/api/importRecordingFile`, {
      method: 'POST',
      headers: { 'x-tonus-token': server.token },
      body: JSON.stringify({ path: value.path }),
    });
    const result = (await imported.json()) as { ok: boolean; value: { origin: string } };
    expect(result).toMatchObject({ ok: true, value: { origin: 'import' } });

    await server.close();
    expect(existsSync(value.path)).toBe(false);
    server = await startServer({
      handlers: app.handlers,
      events: app.events,
      staticDir,
      maxUploadBytes: MAX,
    });
  });

  it('refuses an upload without the token, or larger than the bound, and keeps no file of it', async () => {
    expect((await upload(new Uint8Array(10), null)).status).toBe(401);
    expect((await upload(new Uint8Array(10), 'wrong')).status).toBe(401);
    const tooBig = await upload(new Uint8Array(MAX + 1));
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { message: string } }).error.message).toBe(
      'The file is 5 MB; at most 4 MB can be uploaded.',
    );
    const get = await fetch(`${server.origin}/upload`, { headers: { 'x-tonus-token': server.token } });
    expect(get.status).toBe(405);
  });

  it('keeps only a safe base name of what the browser sends', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\rec ording.txt')).toBe('rec_ording.txt');
    expect(safeFileName('..')).toBe('upload');
  });
});
