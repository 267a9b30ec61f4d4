import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Local tools read `.env` when a developer made one, otherwise the committed `.env.example`, so a
 * fresh clone runs on working defaults. Values already in the environment win.
 */
export function loadLocalEnv(): string {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const file = existsSync(`${root}.env`) ? `${root}.env` : `${root}.env.example`;
  process.loadEnvFile(file);
  return file;
}
