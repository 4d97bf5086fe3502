/** The renderer's policy, one directive a line: only our own scripts, styles, and connections back home. */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** Directives a browser ignores (and warns about) when the policy comes in a `<meta>` tag (CSP Level 3). */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/**
 * Content Security Policy of the renderer, the same in Electron and in the browser shell: sent as a header
 * with every file of the renderer.
 */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/**
 * The same policy for the `<meta http-equiv>` tag of the built index.html: every directive of
 * {@link CONTENT_SECURITY_POLICY} except those a meta tag cannot carry (`frame-ancestors` stays in the header).
 */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter(
  (d) => !HEADER_ONLY_DIRECTIVES.includes(d.split(' ')[0] ?? ''),
).join('; ');

/**
 * Returns `html` with a `<meta http-equiv="Content-Security-Policy">` tag carrying
 * {@link CONTENT_SECURITY_POLICY_META} as the first element of its `<head>`, so the policy holds before any
 * script or style loads, even where the header is lost (a page saved to disk, a proxy that drops headers).
 * Throws if `html` has no `<head>` or already has a policy tag.
 */
export function withCspMetaTag(html: string): string {
  if (/http-equiv\s*=\s*["']?content-security-policy/i.test(html))
    throw new Error('index.html already has a Content-Security-Policy meta tag');
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (!head) throw new Error('index.html has no <head> to put the Content-Security-Policy in');
  const content = CONTENT_SECURITY_POLICY_META.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  const at = head.index + head[0].length;
  const tag = `\n    <meta http-equiv="Content-Security-Policy" content="${content}" />`;
  return html.slice(0, at) + tag + html.slice(at);
}
