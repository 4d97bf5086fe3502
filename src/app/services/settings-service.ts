import type { ApiHandlers } from '../../shared/api-contract.js';
import { defaultSettings, SettingsSchema, type settingsMethods } from '../../shared/api/settings-api.js';
import { SettingsRepository } from '../../storage/settings-repository.node.js';
import type { AppContext } from '../app-context.js';

/** Handlers of the settings methods. Stored values that no longer validate fall back to defaults. */
export function settingsService(ctx: AppContext): Pick<ApiHandlers, keyof typeof settingsMethods> {
  const repo = new SettingsRepository(ctx.db);
  const current = () => {
    const parsed = SettingsSchema.partial().safeParse(repo.read());
    return { ...defaultSettings, ...(parsed.success ? parsed.data : {}), dataDir: ctx.dataDir };
  };
  return {
    getSettings: async () => current(),
    updateSettings: async (changes) => {
      repo.write(changes);
      return current();
    },
  };
}
