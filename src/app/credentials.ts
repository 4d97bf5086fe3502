/**
 * Secrets kept by the operating system's keychain (the desktop shell's `safeStorage`). The app never writes a
 * secret anywhere else; where no keychain exists (the browser shell, the CLI) it is absent and the server
 * password comes from libpq's `PGPASSWORD` or `.pgpass` instead.
 */
export interface CredentialStore {
  get(key: string): string | undefined;
  set(key: string, secret: string): void;
}

/** The keychain key of the sync server's password. */
export const SYNC_PASSWORD_KEY = 'sync-server-password';
