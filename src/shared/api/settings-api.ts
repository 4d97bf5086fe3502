import { z } from 'zod';
import { EmptyInput } from '../schemas.js';

/** Installation-wide settings. Per-patient PK parameters live with the dose log. */
export const SettingsSchema = z.object({
  /** Mains frequency of the site: decides which line-noise notch is applied. */
  mainsHz: z.union([z.literal(50), z.literal(60)]),
  theme: z.enum(['system', 'light', 'dark']),
  /** Display units for angles and angular velocity. */
  angleUnit: z.enum(['deg', 'rad']),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings: Settings = { mainsHz: 50, theme: 'system', angleUnit: 'deg' };

export const settingsMethods = {
  getSettings: { input: EmptyInput, output: SettingsSchema.extend({ dataDir: z.string() }) },
  updateSettings: {
    input: SettingsSchema.partial().strict(),
    output: SettingsSchema.extend({ dataDir: z.string() }),
  },
} as const;
