/**
 * A second process writing the server's SQLite store as hard as it can, through the same domain
 * services the CLI uses (`node test/e2e/store-writer.ts <dataDir> <orgId> <n>`): each round a
 * project (a transaction that reads, then writes) and an API key. Prints how many rounds failed.
 */
import { loadConfig } from '../../src/config/config.ts';
import { createDeps } from '../../src/deps.ts';
import { createApiKey } from '../../src/domain/api-keys/api-key.service.ts';
import { createProject } from '../../src/domain/projects/project.service.ts';

const [dataDir, orgId, n] = process.argv.slice(2);
const deps = await createDeps(loadConfig({ data: dataDir }, {}));
let failed = 0;
const errors = new Set<string>();
for (let i = 0; i < Number(n); i++) {
  try {
    await createProject(deps.ctx, null, { orgId, name: `writer-${process.pid}-${i}` });
    await createApiKey(deps.ctx, { orgId, description: `writer ${i}`, orgRoles: ['ORG_MEMBER'] });
  } catch (err) {
    failed++;
    errors.add(String(err));
  }
}
await deps.close();
process.stdout.write(`${JSON.stringify({ failed, errors: [...errors] })}\n`);
