/**
 * Browser shell: sends a chosen or dropped file to the app (`POST /upload`, with the tab's access token)
 * and resolves with the path it was stored at, to import from. Rejects with the app's reason in words.
 */
export async function uploadForImport(file: File): Promise<string> {
  const token = sessionStorage.getItem('tonus-token') ?? '';
  const response = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'x-tonus-token': token },
    body: file,
  });
  const result = (await response.json().catch(() => undefined)) as
    { ok: true; value: { path: string } } | { ok: false; error: { message: string } } | undefined;
  if (!result) throw new Error(`The upload failed (HTTP ${response.status}).`);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.path;
}
