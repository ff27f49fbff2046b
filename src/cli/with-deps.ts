import { loadConfig } from '../config/config.ts';
import { createDeps, type Deps } from '../deps.ts';

export interface StoreFlags {
  data?: string;
  databaseUrl?: string;
  secretKey?: string;
  json?: boolean;
}

/** Opens the store for one command and always closes it. */
export async function withDeps<T>(flags: StoreFlags, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig(
    { data: flags.data, databaseUrl: flags.databaseUrl, secretKey: flags.secretKey },
    process.env,
  );
  const deps = await createDeps(config);
  try {
    return await fn(deps);
  } finally {
    await deps.close();
  }
}
