import { INFRA_PORTS } from '@scalefu/contracts';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StackError } from '../console';
import { assertPortFree, waitUntil } from '../ports';
import type { ProcessSupervisor } from '../process-supervisor';
import type { StackDirs } from '../paths';

/**
 * Debian's docker-registry (the CNCF distribution registry) on loopback, standing in for Artifact Registry in
 * `npm run release -- --dry-run`: plain HTTP, filesystem storage under the run's data folder.
 */
export async function startLocalRegistry(
  supervisor: ProcessSupervisor,
  dirs: StackDirs,
  port = Number(process.env[INFRA_PORTS.registry.env] ?? INFRA_PORTS.registry.port),
): Promise<{ host: string }> {
  await assertPortFree('registry', port, INFRA_PORTS.registry.env);
  const storage = path.join(dirs.data, 'registry');
  await mkdir(storage, { recursive: true });
  const config = path.join(dirs.run, 'registry.yml');
  await mkdir(dirs.run, { recursive: true });
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${JSON.stringify(storage)} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
      '',
    ].join('\n'),
  );
  const registry = supervisor.spawn({
    name: 'registry',
    command: 'docker-registry',
    args: ['serve', config],
    logFile: path.join(dirs.logs, 'registry.log'),
  });
  const host = `127.0.0.1:${port}`;
  await waitUntil(
    'registry',
    'GET /v2/',
    async () => {
      const response = await fetch(`http://${host}/v2/`);
      if (response.status !== 200) throw new Error(`/v2/ answered ${response.status}`);
    },
    { timeoutMs: 15_000, alive: () => registry.isAlive() },
  ).catch(async (error) => {
    await registry.stop();
    throw new StackError('registry', `${(error as Error).message}\n${registry.tail()}`);
  });
  return { host };
}
