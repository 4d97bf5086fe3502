import { z } from 'zod';
import { EmptyInput, EmptyOutput, StreamDescriptorSchema } from '../schemas.js';

export const DeviceInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['builtin', 'file', 'serial', 'ble']),
  streams: z.array(StreamDescriptorSchema),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

/** `reconnecting`: the device went away while streaming and is being connected again. */
export const StreamStateSchema = z.enum([
  'idle',
  'starting',
  'streaming',
  'no-data',
  'reconnecting',
  'stopped',
  'error',
]);
export type StreamState = z.infer<typeof StreamStateSchema>;

/**
 * The acquisition's state. `deviceName` and `streams` describe the device it runs (or last ran), whatever
 * its kind (built in, replay, serial, Bluetooth, group), so a screen can draw its channels without a lookup.
 */
export const StreamStatusSchema = z.object({
  state: StreamStateSchema,
  deviceId: z.string().nullable(),
  deviceName: z.string().optional(),
  streams: z.array(StreamDescriptorSchema).optional(),
  message: z.string().optional(),
});
export type StreamStatus = z.infer<typeof StreamStatusSchema>;

export const LiveViewSchema = z.object({
  /** Width of the chart's plot area in device pixels: one min/max column per pixel. */
  widthPx: z.number().int().min(16).max(8192),
  /** Seconds of signal across the chart width. */
  windowS: z.number().min(0.5).max(600),
});
export type LiveView = z.infer<typeof LiveViewSchema>;

/** Devices and the live stream. */
export const deviceMethods = {
  listDevices: { input: EmptyInput, output: z.array(DeviceInfoSchema) },
  startStream: {
    input: z.object({ deviceId: z.string().min(1).max(200) }).strict(),
    output: StreamStatusSchema,
  },
  stopStream: { input: EmptyInput, output: StreamStatusSchema },
  getStreamStatus: { input: EmptyInput, output: StreamStatusSchema },
  setLiveView: { input: LiveViewSchema.strict(), output: EmptyOutput },
} as const;

export const ManagedDeviceStateSchema = z.enum([
  'connecting',
  'streaming',
  'no-data',
  'reconnecting',
  'disconnected',
  'error',
]);

/** One device of the session: state, loss counters, effective vs nominal rate per stream, battery. */
export const DeviceStatusSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  state: ManagedDeviceStateSchema,
  message: z.string().optional(),
  lastDataAtMs: z.number(),
  reconnects: z.number().int().nonnegative(),
  droppedSamples: z.number().int().nonnegative(),
  garbageBytes: z.number().int().nonnegative(),
  batteryPercent: z.number().min(0).max(100).optional(),
  streams: z.array(
    z.object({ streamId: z.string(), nominalRateHz: z.number(), effectiveRateHz: z.number() }),
  ),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

/** Time without data of one device between a disconnection and its reconnection (ms since epoch). */
export const DeviceGapSchema = z.object({
  deviceId: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  reason: z.string(),
});

export const DiscoveredDeviceSchema = z.object({
  spec: z.string(),
  id: z.string(),
  name: z.string(),
  transport: z.enum(['builtin', 'serial', 'ble']),
  kind: z.string().optional(),
  rssi: z.number().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
});

/** Discovery across transports, and several devices per session. */
export const deviceSessionMethods = {
  scanDevices: {
    input: z.object({ timeoutMs: z.number().int().min(100).max(30_000).optional() }).strict(),
    output: z.object({
      devices: z.array(DiscoveredDeviceSchema),
      ble: z.object({ state: z.string(), message: z.string() }),
    }),
  },
  connectDevice: {
    input: z.object({ spec: z.string().min(1).max(500) }).strict(),
    output: DeviceStatusSchema,
  },
  disconnectDevice: {
    input: z.object({ deviceId: z.string().min(1).max(500) }).strict(),
    output: EmptyOutput,
  },
  listConnectedDevices: { input: EmptyInput, output: z.array(DeviceStatusSchema) },
} as const;

/** Events of the device session (JSON on the wire). */
export const deviceEvents = {
  deviceStatus: { payload: DeviceStatusSchema, wire: undefined },
  deviceGap: { payload: DeviceGapSchema, wire: undefined },
} as const;

/** Quality of one channel of the streaming device (src/indicators/live-signal-quality.ts has the rules). */
export const ChannelQualitySchema = z.object({
  channelId: z.string(),
  label: z.string(),
  kind: z.enum(['emg', 'accel', 'gyro', 'angle', 'marker', 'other']),
  verdict: z.enum(['good', 'check', 'off']),
  /** Machine-readable reasons, most serious first; empty when good. */
  issues: z.array(
    z.enum(['waiting', 'railed', 'flatLine', 'humDominates', 'clipping', 'lineNoise', 'noisyBaseline']),
  ),
  /** One plain sentence per issue, same order. */
  reasons: z.array(z.string()),
  /** EMG: RMS of the band-passed signal in its quietest 250 ms window, µV (null: IMU or unscaled unit). */
  noiseUv: z.number().nullable(),
  /** EMG: PSD at mains ± 1 Hz over the reference bands (domain.md §1.3), dB. */
  lineNoiseDb: z.number().nullable(),
  /** Share of samples at the channel's range limits, 0–1. */
  clippedFraction: z.number().min(0).max(1),
});
export type ChannelQuality = z.infer<typeof ChannelQualitySchema>;

/**
 * Signal quality and loss counters of the streaming device, about once a second while someone listens.
 * Counters run since the stream started.
 */
export const SignalQualitySchema = z.object({
  deviceId: z.string(),
  /** Host time of the evaluation, ms since epoch. */
  atMs: z.number(),
  state: StreamStateSchema,
  /** Battery level, when the device reports it. */
  batteryPercent: z.number().min(0).max(100).optional(),
  /** Samples missing from sequence-number jumps, summed over streams. */
  droppedSamples: z.number().int().nonnegative(),
  /** Seconds of signal the channel values are computed from (the last ≈ 2 s). */
  windowS: z.number().nonnegative(),
  streams: z.array(
    z.object({
      streamId: z.string(),
      label: z.string(),
      nominalRateHz: z.number(),
      /** Samples per second actually arriving (the driver's clock fit, or counted over the last interval). */
      effectiveRateHz: z.number(),
      droppedSamples: z.number().int().nonnegative(),
      channels: z.array(ChannelQualitySchema),
    }),
  ),
});
export type SignalQuality = z.infer<typeof SignalQualitySchema>;

/** Signal quality of the streaming device: the latest snapshot, for a screen opened mid-stream. */
export const signalQualityMethods = {
  getSignalQuality: { input: EmptyInput, output: SignalQualitySchema.nullable() },
} as const;

/** Events of the live signal quality (JSON on the wire). */
export const signalQualityEvents = {
  signalQuality: { payload: SignalQualitySchema, wire: undefined },
} as const;

/** Live indicators of the streaming device, about 30 times a second (domain spec §2; live variant). */
export const LiveIndicatorsSchema = z.object({
  deviceId: z.string(),
  /** Stretch angular velocity now, °/s. */
  velocityDegS: z.number(),
  /** 50 ms RMS of each EMG channel (band-passed), in the channel's unit. */
  emgRms: z.array(z.number()),
  /** Stretches completed recently (the live analysis keeps the last 50). */
  stretchCount: z.number().int().nonnegative(),
  /** Stretches completed since the device stream started; never decreases (for counting a protocol). */
  stretchesCompleted: z.number().int().nonnegative(),
  /** Pendulum releases (a fall after ≥ 0.5 s still) since the device stream started; never decreases. */
  dropsStarted: z.number().int().nonnegative(),
  /** The stretch in progress, or else the last completed one. */
  stretch: z
    .object({
      inProgress: z.boolean(),
      peakVelDegS: z.number(),
      catchPresent: z.boolean().nullable(),
      reflexPresent: z.boolean(),
    })
    .nullable(),
});
export type LiveIndicatorsPayload = z.infer<typeof LiveIndicatorsSchema>;

/** One option a kind of device takes in its spec (`?key=value`), for the guided "Other device" form. */
export const DeviceKindOptionSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** One sentence under the field. */
  hint: z.string(),
  /** When set, the value is one of these (a select); otherwise free text. */
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  /** Used when the field is left empty. */
  defaultValue: z.string().optional(),
  required: z.boolean(),
});

/** A kind of real device Tonus drives (src/devices/descriptors.ts), with the options its spec takes. */
export const DeviceKindInfoSchema = z.object({
  kind: z.string(),
  name: z.string(),
  transport: z.enum(['serial', 'ble']),
  options: z.array(DeviceKindOptionSchema),
});
export type DeviceKindInfo = z.infer<typeof DeviceKindInfoSchema>;

/** The kinds of devices, for choosing one by kind, port or Bluetooth id, and options. */
export const deviceKindMethods = {
  listDeviceKinds: { input: EmptyInput, output: z.array(DeviceKindInfoSchema) },
} as const;
