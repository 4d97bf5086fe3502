import { z } from 'zod';
import { EmptyInput, EmptyOutput, StreamDescriptorSchema } from '../schemas.js';

export const DeviceInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  transport: z.enum(['builtin', 'file', 'serial', 'ble']),
  streams: z.array(StreamDescriptorSchema),
});
export type DeviceInfo = z.infer<typeof DeviceInfoSchema>;

export const StreamStateSchema = z.enum(['idle', 'starting', 'streaming', 'no-data', 'stopped', 'error']);
export type StreamState = z.infer<typeof StreamStateSchema>;

export const StreamStatusSchema = z.object({
  state: StreamStateSchema,
  deviceId: z.string().nullable(),
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
