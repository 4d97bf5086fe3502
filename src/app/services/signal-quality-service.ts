import type { ApiHandlers } from '../../shared/api-contract.js';
import type { signalQualityMethods } from '../../shared/api/device-api.js';
import { defaultSettings, SettingsSchema } from '../../shared/api/settings-api.js';
import type { Db } from '../../storage/database.node.js';
import { SettingsRepository } from '../../storage/settings-repository.node.js';
import type { AppContext } from '../app-context.js';

/** Handlers of the signal-quality methods: the acquisition's latest snapshot (null when nothing streams). */
export function signalQualityService(ctx: AppContext): Pick<ApiHandlers, keyof typeof signalQualityMethods> {
  return { getSignalQuality: async () => ctx.acquisition.getSignalQuality() };
}

/** The site's mains frequency from the stored settings; the default when unset or invalid. */
export function storedMainsHz(db: Db): 50 | 60 {
  const stored = SettingsSchema.shape.mainsHz.safeParse(new SettingsRepository(db).read().mainsHz);
  return stored.success ? stored.data : defaultSettings.mainsHz;
}
