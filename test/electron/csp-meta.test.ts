import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CONTENT_SECURITY_POLICY_META,
  withCspMetaTag,
} from '../../src/shared/csp.js';
import viteConfig from '../../vite.config.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const indexHtml = readFileSync(join(repoRoot, 'renderer', 'index.html'), 'utf8');

describe('Content Security Policy as a meta tag', () => {
  it('is the header policy without frame-ancestors, which a meta tag cannot carry', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY_META).not.toContain('frame-ancestors');
    expect(CONTENT_SECURITY_POLICY_META + "; frame-ancestors 'none'").toBe(CONTENT_SECURITY_POLICY);
  });

  it("comes first in the renderer's <head>, before any script or style", () => {
    const html = withCspMetaTag(indexHtml);
    const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`;
    const at = html.indexOf(meta);
    expect(at).toBeGreaterThan(html.indexOf('<head>'));
    expect(html.slice(html.indexOf('<head>') + '<head>'.length, at).trim()).toBe('');
    expect(html.indexOf('<script')).toBeGreaterThan(at);
    expect(html.replace(`\n    ${meta}`, '')).toBe(indexHtml);
  });

  it('refuses a page without <head> or with a policy tag already', () => {
    expect(() => withCspMetaTag('<html><body></body></html>')).toThrow(/no <head>/);
    expect(() => withCspMetaTag(withCspMetaTag(indexHtml))).toThrow(/already has/);
  });

  it("is written by the renderer's production build, from the same function", () => {
    const plugins = ((viteConfig as UserConfig).plugins ?? []).flat() as Plugin[];
    const csp = plugins.find((p) => p.name === 'tonus-csp-meta');
    expect(csp?.apply).toBe('build');
    expect(csp?.transformIndexHtml).toEqual({ order: 'pre', handler: withCspMetaTag });
  });
});
