import type { LiveView, SignalQuality, StreamStatus } from '../shared/api/device-api.js';
import { ApiFailure } from '../shared/result.js';
import type { SampleBlock } from '../shared/samples.js';
import type {
  BlockSink,
  DeviceDescriptor,
  DeviceDisconnectedError,
  DeviceDriver,
  DriverEvents,
} from '../devices/driver.js';
import { replayControlOf, type ReplayControl } from './replay-control.js';
import type { DeviceEntry } from '../devices/registry.js';
import type { EventHub } from './event-hub.js';
import { LiveFanout } from './live-fanout.js';
import { deviceInfoOf } from './device-info.js';
import { waitForDeviceReturn } from './device-return.js';
import { LiveIndicators } from '../indicators/live-indicators.js';
import { LiveSignalQuality } from '../indicators/live-signal-quality.js';
import type { StreamDescriptor } from '../shared/samples.js';

/** Live frames per second sent to the UI. */
export const FRAME_RATE_HZ = 30;
/** A connected device that sends nothing for this long is shown as "no data". */
export const NO_DATA_TIMEOUT_MS = 2000;

/**
 * Waits between reconnection attempts after a device is lost (the last one repeats), for drivers that cannot
 * watch for their device's return; the others reconnect as soon as it is seen again.
 */
export const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000] as const;
/** A lost device that has not come back after this long is given up: the stream ends in `error`. */
export const RECONNECT_GIVE_UP_MS = 30_000;

/** Interval of the `signalQuality` event (and the age up to which {@link Acquisition.getSignalQuality} reuses it). */
export const SIGNAL_QUALITY_INTERVAL_MS = 1000;

/** Settings the acquisition reads when a stream starts. */
export interface AcquisitionOptions {
  /** Site mains frequency for the line-noise test (default 50 Hz). */
  mainsHz?: () => 50 | 60;
}

/** Loss and rate accounting of one stream since the stream started. */
interface StreamCounter {
  /** `firstSeq` the next block should carry. */
  expectedSeq: number;
  droppedSamples: number;
  /**
   * Rate measurement between block arrivals (host clock): samples of the blocks after the one that arrived
   * at `rateSinceMs`, up to the one at `lastArrivalMs`; measuring from arrival to arrival keeps the
   * delivery rhythm (blocks every 20 ms or so) out of the rate.
   */
  rateSamples: number;
  rateSinceMs: number | undefined;
  lastArrivalMs: number;
  /** The rate over the last completed measurement (at least one interval long). */
  measuredRateHz: number | undefined;
}

export const defaultLiveView: LiveView = { widthPx: 1200, windowS: 10 };

/** A span without data after the device went away: from its last sample to its first one back (or the end). */
export interface AcquisitionGap {
  deviceId: string;
  /** Host time of the last sample before the loss, ms since epoch. */
  startMs: number;
  /** Host time of the first sample after reconnecting, or of the moment the stream ended without it. */
  endMs: number;
  /** What the driver said when the device went away. */
  reason: string;
  /** True when the device came back and streams again; false when the stream ended during the loss. */
  reconnected: boolean;
}

/** The device is gone and being reconnected. */
interface Loss {
  startMs: number;
  reason: string;
  abort: AbortController;
  /** A reconnection loop is running for this loss. */
  isRetrying: boolean;
  /** The device went away again while the loop was starting it. */
  failedAgain: boolean;
}

/**
 * Acquisition: driver → live fan-out, live indicators and block listeners (the recorder). One device streams
 * at a time here; status changes and display frames are published on the event hub.
 *
 * Device loss: when the driver reports a disconnection the status becomes `reconnecting` and the driver is
 * connected and started again with growing waits; the first block back ends the loss with an
 * {@link AcquisitionGap} (`reconnected: true`) before that block reaches the block listeners. After
 * {@link RECONNECT_GIVE_UP_MS} without success, or on {@link stop} during the loss, the gap is published with
 * `reconnected: false` and the stream ends (`error`, respectively `stopped`).
 */
export class Acquisition {
  private driver: DeviceDriver | undefined;
  private loss: Loss | undefined;
  private lastSampleMs: number | undefined;
  private readonly gapListeners = new Set<(gap: AcquisitionGap) => void>();
  private fanout: LiveFanout | undefined;
  private indicators: LiveIndicators | undefined;
  private quality: LiveSignalQuality | undefined;
  private readonly counters = new Map<string, StreamCounter>();
  private latestQuality: SignalQuality | null = null;
  private frameTimer: ReturnType<typeof setInterval> | undefined;
  private lastBlockAtMs = 0;
  private view: LiveView = defaultLiveView;
  private status: StreamStatus = { state: 'idle', deviceId: null };
  /** Name and streams of the device started last, carried in every status. */
  private shown: Pick<StreamStatus, 'deviceName' | 'streams'> = {};
  private readonly blockListeners = new Set<(block: SampleBlock) => void>();
  private readonly connectListeners = new Set<(descriptor: DeviceDescriptor) => void>();

  constructor(
    /** Finds the device for an id (builtin, replay:FILE, serial:PATH, ble:ID); may throw on an unreadable file. */
    private readonly resolveDevice: (deviceId: string) => DeviceEntry | undefined,
    private readonly hub: EventHub,
    private readonly nowMs: () => number = Date.now,
    private readonly options: AcquisitionOptions = {},
  ) {}

  getStatus(): StreamStatus {
    return this.status;
  }

  /** Subscribes to every decoded block (recorders, live indicators). Returns the unsubscribe function. */
  onBlock(listener: (block: SampleBlock) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  /**
   * Subscribes to connections made by {@link start}: called with the connected driver's descriptor (its real
   * streams for the configuration it was given) after connect and before the first block. Returns the
   * unsubscribe function.
   */
  onConnected(listener: (descriptor: DeviceDescriptor) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** The descriptor of the connected driver (streams as configured), when `deviceId` is the one streaming. */
  connectedDescriptor(deviceId: string): DeviceDescriptor | undefined {
    return this.driver && this.status.deviceId === deviceId ? this.driver.descriptor : undefined;
  }

  /** Subscribes to device-loss gaps (see the class comment for when they fire). Returns the unsubscribe. */
  onGap(listener: (gap: AcquisitionGap) => void): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  /** The loss in progress (device gone, reconnecting), if any: since when and why. */
  currentLoss(): { deviceId: string; startMs: number; reason: string } | undefined {
    const deviceId = this.status.deviceId;
    return this.loss && deviceId !== null
      ? { deviceId, startMs: this.loss.startMs, reason: this.loss.reason }
      : undefined;
  }

  setLiveView(view: LiveView): void {
    this.view = view;
    if (this.driver)
      this.fanout = new LiveFanout(this.driver.descriptor.id, this.driver.descriptor.streams, view);
  }

  async start(deviceId: string): Promise<StreamStatus> {
    let entry: DeviceEntry | undefined;
    try {
      entry = this.resolveDevice(deviceId);
    } catch (err) {
      throw new ApiFailure('invalid-input', err instanceof Error ? err.message : String(err), 'deviceId');
    }
    if (!entry)
      throw new ApiFailure('not-found', `No device with id "${deviceId}" is available.`, 'deviceId');
    await this.stop();
    const driver = entry.create();
    this.show(entry.descriptor);
    this.setStatus({ state: 'starting', deviceId });
    try {
      await driver.connect();
      this.show(driver.descriptor);
      this.driver = driver;
      this.fanout = new LiveFanout(deviceId, driver.descriptor.streams, this.view);
      this.indicators = liveIndicatorsFor(driver.descriptor.streams);
      this.startQuality(driver);
      this.lastBlockAtMs = this.nowMs();
      this.lastSampleMs = undefined;
      for (const listener of this.connectListeners) listener(driver.descriptor);
      await driver.start(...this.sinkFor(driver, deviceId));
    } catch (err) {
      this.driver = undefined;
      this.setStatus({ state: 'error', deviceId, message: err instanceof Error ? err.message : String(err) });
      throw new ApiFailure('device-error', `Could not start ${entry.descriptor.name}: ${String(err)}`);
    }
    this.frameTimer = setInterval(() => this.tick(), 1000 / FRAME_RATE_HZ);
    this.setStatus({ state: 'streaming', deviceId });
    return this.status;
  }

  /** Seeking in the running device when it replays a recording; undefined otherwise. */
  replayControl(): { deviceId: string; control: ReplayControl } | undefined {
    const control = replayControlOf(this.driver);
    return this.driver && control ? { deviceId: this.driver.descriptor.id, control } : undefined;
  }

  async stop(): Promise<StreamStatus> {
    if (this.frameTimer !== undefined) clearInterval(this.frameTimer);
    this.frameTimer = undefined;
    const driver = this.driver;
    const deviceId = this.status.deviceId ?? driver?.descriptor.id ?? '';
    this.endLoss(deviceId, this.nowMs(), false);
    this.driver = undefined;
    this.fanout = undefined;
    this.indicators = undefined;
    this.quality = undefined;
    this.latestQuality = null;
    if (driver) {
      await driver.stop();
      await driver.disconnect();
      this.setStatus({ state: 'stopped', deviceId: driver.descriptor.id });
    }
    return this.status;
  }

  /** The sink and events a driver streams into; everything from a driver that is no longer current is dropped. */
  private sinkFor(driver: DeviceDriver, deviceId: string): [BlockSink, DriverEvents] {
    return [
      (block) => {
        if (this.driver === driver) this.onDriverBlock(deviceId, block);
      },
      { onDisconnected: (err) => void this.onDisconnected(driver, deviceId, err) },
    ];
  }

  private async onDisconnected(
    driver: DeviceDriver,
    deviceId: string,
    err: DeviceDisconnectedError,
  ): Promise<void> {
    if (this.driver !== driver) return;
    if (this.loss?.isRetrying) {
      this.loss.failedAgain = true;
      return;
    }
    // A loss that has not seen data since is continued (same start), not opened again.
    const loss: Loss = this.loss ?? {
      startMs: this.lastSampleMs ?? this.nowMs(),
      reason: err.message,
      abort: new AbortController(),
      isRetrying: true,
      failedAgain: false,
    };
    loss.isRetrying = true;
    this.loss = loss;
    const { abort, reason } = loss;
    this.setStatus({
      state: 'reconnecting',
      deviceId,
      message: `${asSentence(reason)} Trying to reconnect; the recording keeps what it has.`,
    });
    const giveUpAtMs = this.nowMs() + RECONNECT_GIVE_UP_MS;
    for (let attempt = 0; ; attempt++) {
      await waitForDeviceReturn(
        driver,
        attempt,
        RECONNECT_DELAYS_MS,
        giveUpAtMs - this.nowMs(),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      loss.failedAgain = false;
      try {
        await driver.connect(abort.signal);
        if (abort.signal.aborted) {
          await driver.disconnect().catch(() => undefined);
          return;
        }
        this.lastBlockAtMs = this.nowMs();
        await driver.start(...this.sinkFor(driver, deviceId));
        if (abort.signal.aborted) return;
        if (loss.failedAgain) throw new Error(reason);
        loss.isRetrying = false;
        this.setStatus({
          state: 'streaming',
          deviceId,
          message: 'Reconnected; the time without data is marked as a gap.',
        });
        return;
      } catch (e) {
        if (abort.signal.aborted) return;
        if (this.nowMs() >= giveUpAtMs) {
          await this.giveUp(driver, deviceId, e);
          return;
        }
      }
    }
  }

  /** Ends a loss that did not recover: gap without an end, driver released, stream in `error`. */
  private async giveUp(driver: DeviceDriver, deviceId: string, lastError: unknown): Promise<void> {
    const reason = this.loss?.reason ?? String(lastError);
    this.endLoss(deviceId, this.nowMs(), false);
    if (this.frameTimer !== undefined) clearInterval(this.frameTimer);
    this.frameTimer = undefined;
    this.driver = undefined;
    this.fanout = undefined;
    this.indicators = undefined;
    this.quality = undefined;
    this.latestQuality = null;
    await driver.disconnect().catch(() => undefined);
    this.setStatus({
      state: 'error',
      deviceId,
      message: `Device lost: ${asSentence(reason)} It did not come back within ${RECONNECT_GIVE_UP_MS / 1000} s; check that it is switched on and in reach or plugged in, then start again.`,
    });
  }

  /** Closes the loss in progress, if any, and publishes its gap. */
  private endLoss(deviceId: string, endMs: number, reconnected: boolean): void {
    const loss = this.loss;
    if (!loss) return;
    this.loss = undefined;
    // Data back ends the loss but not a reconnection loop that is finishing its start (it reports streaming).
    if (!reconnected) loss.abort.abort();
    const gap: AcquisitionGap = {
      deviceId,
      startMs: loss.startMs,
      endMs: Math.max(loss.startMs, endMs),
      reason: loss.reason,
      reconnected,
    };
    for (const listener of this.gapListeners) listener(gap);
  }

  private onDriverBlock(deviceId: string, block: SampleBlock): void {
    const n = block.timestampsMs.length;
    if (n > 0 && this.loss) this.endLoss(deviceId, block.timestampsMs[0] ?? this.nowMs(), true);
    if (n > 0) this.lastSampleMs = block.timestampsMs[n - 1];
    this.lastBlockAtMs = this.nowMs();
    this.fanout?.push(block);
    this.indicators?.push(block);
    this.countBlock(block);
    this.quality?.push(block);
    for (const listener of this.blockListeners) listener(block);
  }

  private tick(): void {
    const now = this.nowMs();
    const deviceId = this.driver?.descriptor.id ?? null;
    if (now - this.lastBlockAtMs > NO_DATA_TIMEOUT_MS) {
      if (this.status.state === 'streaming') {
        this.setStatus({
          state: 'no-data',
          deviceId,
          message: 'The device is connected but has sent no data for 2 seconds.',
        });
      }
    } else if (this.status.state === 'no-data') {
      this.setStatus({ state: 'streaming', deviceId });
    }
    if (
      this.hub.hasListeners('signalQuality') &&
      (!this.latestQuality || now - this.latestQuality.atMs >= SIGNAL_QUALITY_INTERVAL_MS)
    ) {
      const quality = this.evaluateQuality(now);
      if (quality) this.hub.emit('signalQuality', quality);
    }
    const frame = this.fanout?.frame(now);
    if (frame) this.hub.emit('liveFrame', frame);
    if (frame && this.indicators && deviceId !== null && this.hub.hasListeners('liveIndicators')) {
      const snap = this.indicators.snapshot();
      const stretch = snap.current ?? snap.stretches.at(-1) ?? null;
      this.hub.emit('liveIndicators', {
        deviceId,
        velocityDegS: snap.velocityDegS,
        emgRms: snap.emgRms,
        stretchCount: snap.stretches.length,
        stretchesCompleted: snap.stretchesCompleted,
        dropsStarted: snap.dropsStarted,
        stretch:
          stretch === null
            ? null
            : {
                inProgress: stretch === snap.current,
                peakVelDegS: stretch.peakVelDegS,
                catchPresent: stretch.catchPresent,
                reflexPresent: stretch.reflexPresent,
              },
      });
    }
  }

  private show(descriptor: DeviceDescriptor): void {
    const { name, streams } = deviceInfoOf(descriptor);
    this.shown = { deviceName: name, streams };
  }

  private setStatus(status: Omit<StreamStatus, 'deviceName' | 'streams'>): void {
    this.status = { ...status, ...this.shown };
    this.hub.emit('streamStatus', this.status);
  }

  /**
   * Signal quality of the streaming device over the last ≈ 2 s, with loss and rate counters since the
   * stream started; null when nothing streams. Reuses the last evaluation while it is younger than
   * {@link SIGNAL_QUALITY_INTERVAL_MS}.
   */
  getSignalQuality(): SignalQuality | null {
    const now = this.nowMs();
    if (this.latestQuality && now - this.latestQuality.atMs < SIGNAL_QUALITY_INTERVAL_MS)
      return this.latestQuality;
    return this.evaluateQuality(now);
  }

  private startQuality(driver: DeviceDriver): void {
    const streams = driver.descriptor.streams;
    this.quality = new LiveSignalQuality(streams, { mainsHz: this.options.mainsHz?.() ?? 50 });
    this.latestQuality = null;
    this.counters.clear();
    const now = this.nowMs();
    for (const s of streams)
      this.counters.set(s.id, {
        expectedSeq: 0,
        droppedSamples: 0,
        rateSamples: 0,
        rateSinceMs: undefined,
        lastArrivalMs: now,
        measuredRateHz: undefined,
      });
  }

  /** Sequence jumps count as dropped samples; a sequence that starts over (device reconnected) does not. */
  private countBlock(block: SampleBlock): void {
    const c = this.counters.get(block.streamId);
    if (!c) return;
    if (block.firstSeq > c.expectedSeq) c.droppedSamples += block.firstSeq - c.expectedSeq;
    else if (block.firstSeq < c.expectedSeq) this.quality?.reset(block.streamId);
    const n = block.timestampsMs.length;
    c.expectedSeq = block.firstSeq + n;
    const now = this.nowMs();
    if (c.rateSinceMs === undefined) c.rateSinceMs = now;
    else c.rateSamples += n;
    c.lastArrivalMs = now;
  }

  private evaluateQuality(now: number): SignalQuality | null {
    const driver = this.driver;
    if (!driver || !this.quality) return null;
    const stats = driver.stats?.();
    const channels = this.quality.evaluate();
    let windowS = 0;
    const streams = driver.descriptor.streams.map((s) => {
      const c = this.counters.get(s.id);
      let measured = c?.measuredRateHz;
      if (c && c.rateSinceMs !== undefined && c.lastArrivalMs > c.rateSinceMs) {
        const spanMs = c.lastArrivalMs - c.rateSinceMs;
        const rateHz = (c.rateSamples * 1000) / spanMs;
        if (spanMs >= SIGNAL_QUALITY_INTERVAL_MS) {
          c.measuredRateHz = rateHz;
          c.rateSamples = 0;
          c.rateSinceMs = c.lastArrivalMs;
        }
        measured = c.measuredRateHz ?? rateHz;
      }
      // Nothing arrived for a while: nothing is the rate.
      if (c && now - c.lastArrivalMs > NO_DATA_TIMEOUT_MS) measured = 0;
      const fromDriver = stats?.streams.find((x) => x.streamId === s.id)?.effectiveRateHz;
      const rows = channels.filter((q) => q.streamId === s.id);
      for (const r of rows) windowS = Math.max(windowS, r.windowS);
      return {
        streamId: s.id,
        label: s.label,
        nominalRateHz: s.sampleRateHz,
        effectiveRateHz: fromDriver ?? measured ?? 0,
        droppedSamples: c?.droppedSamples ?? 0,
        channels: rows.map((r) => ({
          channelId: r.channelId,
          label: r.label,
          kind: r.kind,
          verdict: r.verdict,
          issues: r.issues,
          reasons: r.reasons,
          noiseUv: r.noiseUv,
          lineNoiseDb: r.lineNoiseDb,
          clippedFraction: r.clippedFraction,
        })),
      };
    });
    const quality: SignalQuality = {
      deviceId: driver.descriptor.id,
      atMs: now,
      state: this.status.state,
      droppedSamples: streams.reduce((sum, s) => sum + s.droppedSamples, 0),
      windowS,
      streams,
    };
    if (stats?.batteryPercent !== undefined) quality.batteryPercent = stats.batteryPercent;
    this.latestQuality = quality;
    return quality;
  }
}

/** `text` ending with one full stop. */
function asSentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** Live indicators for a device's streams, on its declared joint-axis gyro channel when there is one. */
function liveIndicatorsFor(streams: readonly StreamDescriptor[]): LiveIndicators {
  const axis = streams.find((s) => s.jointAxisChannelId !== undefined);
  return new LiveIndicators(
    streams,
    axis?.jointAxisChannelId ? { velocity: { streamId: axis.id, channelId: axis.jointAxisChannelId } } : {},
  );
}
