import { loadStatic } from '../src/app/static-files.js';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp.js';

/** The scheme the desktop window loads the renderer from, registered as standard and secure before ready. */
export const APP_SCHEME = 'tonus';

/**
 * Handler of the `tonus://` protocol: answers a request with the built renderer's file from `staticDir`
 * (never a file outside it, never a source map) and sends the renderer's Content Security Policy with every
 * answer, the 404 included.
 */
export function rendererProtocolHandler(staticDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = await loadStatic(staticDir, new URL(request.url).pathname);
    const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY };
    if (!file) return new Response('Not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), { headers: { ...headers, 'content-type': file.type } });
  };
}
