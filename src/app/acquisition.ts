import type { LiveView, StreamStatus } from '../shared/api/device-api.js';
import { ApiFailure } from '../shared/result.js';
import type { SampleBlock } from '../shared/samples.js';
import type { DeviceDriver } from '../devices/driver.js';
import { replayControlOf, type ReplayControl } from './replay-control.js';
import type { DeviceEntry } from '../devices/registry.js';
import type { EventHub } from './event-hub.js';
import { LiveFanout } from './live-fanout.js';
import { LiveIndicators } from '../indicators/live-indicators.js';
import type { StreamDescriptor } from '../shared/samples.js';

/** Live frames per second sent to the UI. */
export const FRAME_RATE_HZ = 30;
/** A connected device that sends nothing for this long is shown as "no data". */
export const NO_DATA_TIMEOUT_MS = 2000;

export const defaultLiveView: LiveView = { widthPx: 1200, windowS: 10 };

/**
 * Acquisition: driver → live fan-out (and, in later rooms, pipeline and recorder). One device streams at a
 * time here; status changes and display frames are published on the event hub.
 */
export class Acquisition {
  private driver: DeviceDriver | undefined;
  private fanout: LiveFanout | undefined;
  private indicators: LiveIndicators | undefined;
  private frameTimer: ReturnType<typeof setInterval> | undefined;
  private lastBlockAtMs = 0;
  private view: LiveView = defaultLiveView;
  private status: StreamStatus = { state: 'idle', deviceId: null };
  private readonly blockListeners = new Set<(block: SampleBlock) => void>();

  constructor(
    /** Finds the device for an id (builtin, replay:FILE, serial:PATH, ble:ID); may throw on an unreadable file. */
    private readonly resolveDevice: (deviceId: string) => DeviceEntry | undefined,
    private readonly hub: EventHub,
    private readonly nowMs: () => number = Date.now,
  ) {}

  getStatus(): StreamStatus {
    return this.status;
  }

  /** Subscribes to every decoded block (recorders, live indicators). Returns the unsubscribe function. */
  onBlock(listener: (block: SampleBlock) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
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
    this.setStatus({ state: 'starting', deviceId });
    try {
      await driver.connect();
      this.driver = driver;
      this.fanout = new LiveFanout(deviceId, driver.descriptor.streams, this.view);
      this.indicators = liveIndicatorsFor(driver.descriptor.streams);
      this.lastBlockAtMs = this.nowMs();
      await driver.start((block) => this.onDriverBlock(block));
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
    this.driver = undefined;
    this.fanout = undefined;
    this.indicators = undefined;
    if (driver) {
      await driver.stop();
      await driver.disconnect();
      this.setStatus({ state: 'stopped', deviceId: driver.descriptor.id });
    }
    return this.status;
  }

  private onDriverBlock(block: SampleBlock): void {
    this.lastBlockAtMs = this.nowMs();
    this.fanout?.push(block);
    this.indicators?.push(block);
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

  private setStatus(status: StreamStatus): void {
    this.status = status;
    this.hub.emit('streamStatus', status);
  }
}

/** Live indicators for a device's streams, on its declared joint-axis gyro channel when there is one. */
function liveIndicatorsFor(streams: readonly StreamDescriptor[]): LiveIndicators {
  const axis = streams.find((s) => s.jointAxisChannelId !== undefined);
  return new LiveIndicators(
    streams,
    axis?.jointAxisChannelId ? { velocity: { streamId: axis.id, channelId: axis.jointAxisChannelId } } : {},
  );
}
