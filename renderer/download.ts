import type { PreparedDownload } from '../src/shared/api/download-api.js';

/** True in the browser shell (no Electron preload bridge): exports become downloads there. */
export const isBrowserShell = (): boolean => window.tonus === undefined;

/**
 * Fetches each prepared file with the access token (kept for this tab by the API client) and hands it to
 * the browser as a download. Rejects with a message naming the file when one cannot be fetched.
 */
export async function downloadPrepared(files: readonly PreparedDownload[]): Promise<void> {
  const token = sessionStorage.getItem('tonus-token') ?? '';
  for (const file of files) {
    const response = await fetch(file.path, { headers: { 'x-tonus-token': token } });
    if (!response.ok) {
      const detail = (await response.json().catch(() => undefined)) as
        { error?: { message?: string } } | undefined;
      throw new Error(`${file.name}: ${detail?.error?.message ?? `HTTP ${response.status}`}`);
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
