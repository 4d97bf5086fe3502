import { describe, expect, it } from 'vitest';
import { connectionMessage } from '../../renderer/connection-words.js';
import { ConnectionMonitor } from '../../renderer/connection-monitor.js';
import { CONNECTION_LOST_AFTER_MS } from '../../src/shared/connection-heartbeat.js';

describe('connection monitor', () => {
  it('declares a silent connection lost after the limit, well inside 2 s, and only once', () => {
    expect(CONNECTION_LOST_AFTER_MS).toBeLessThan(2000);
    const m = new ConnectionMonitor(1500);
    m.started(0);
    m.opened(100);
    m.heard(600);
    expect(m.check(2100)).toBe(false);
    expect(m.get()).toEqual({ kind: 'connected' });
    expect(m.check(2101)).toBe(true);
    expect(m.get()).toEqual({ kind: 'lost', sinceMs: 2101 });
    expect(m.check(5000)).toBe(false);
  });

  it('says lost at once when the socket closes, and counts a generation per recovery', () => {
    const m = new ConnectionMonitor(1500);
    const seen: string[] = [];
    m.subscribe(() => seen.push(m.get().kind));
    m.started(0);
    m.opened(10);
    expect(m.generation).toBe(0);
    m.closed(20);
    m.closed(30);
    expect(m.get()).toEqual({ kind: 'lost', sinceMs: 20 });
    m.opened(40);
    expect(m.generation).toBe(1);
    m.closed(50);
    m.opened(60);
    expect(m.generation).toBe(2);
    expect(seen).toEqual(['connected', 'lost', 'connected', 'lost', 'connected']);
  });

  it('a first connection that never opens is lost after the limit, not "connecting" forever', () => {
    const m = new ConnectionMonitor(1500);
    m.started(1000);
    expect(m.check(2400)).toBe(false);
    expect(m.get()).toEqual({ kind: 'connecting' });
    expect(m.check(2600)).toBe(true);
    expect(m.get().kind).toBe('lost');
  });

  it('a refused token stays refused until a socket opens', () => {
    const m = new ConnectionMonitor(1500);
    m.started(0);
    m.refused();
    m.closed(10);
    expect(m.check(10_000)).toBe(false);
    expect(m.get()).toEqual({ kind: 'refused' });
    m.opened(20);
    expect(m.get()).toEqual({ kind: 'connected' });
  });
});

describe('connection message', () => {
  it('says the recording is stored up to the last flush heard, and that it reconnects', () => {
    const at = new Date(2026, 11, 5, 10, 41, 7).getTime();
    const text = connectionMessage({ kind: 'lost', sinceMs: at + 2000 }, at);
    expect(text).toMatch(/^Connection to Tonus lost: the recording is stored up to 10:41:07; reconnecting…/);
    expect(connectionMessage({ kind: 'lost', sinceMs: 0 }, undefined)).toMatch(
      /^Connection to Tonus lost; reconnecting…/,
    );
    expect(connectionMessage({ kind: 'refused' }, undefined)).toContain('access token');
  });
});
