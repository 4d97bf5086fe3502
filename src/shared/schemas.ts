import { z } from 'zod';

/** Zod schemas for the sample model, shared by every API domain. */
export const UnitSchema = z.enum(['uV', 'mV', 'V', 'g', 'm/s^2', 'deg/s', 'rad/s', 'deg', 'counts', 'none']);
export const SignalKindSchema = z.enum(['emg', 'accel', 'gyro', 'angle', 'marker', 'other']);

export const ChannelDescriptorSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: SignalKindSchema,
  unit: UnitSchema,
  rangeMin: z.number(),
  rangeMax: z.number(),
});

export const StreamDescriptorSchema = z.object({
  id: z.string(),
  label: z.string(),
  sampleRateHz: z.number().positive(),
  channels: z.array(ChannelDescriptorSchema),
  jointAxisChannelId: z.string().optional(),
});

/** Methods take an object so that fields can be added without breaking callers. */
export const EmptyInput = z.object({}).strict();
export const EmptyOutput = z.object({});
