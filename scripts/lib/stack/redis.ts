import { INFRA_PORTS } from '@scalefu/contracts';
import { Redis } from 'ioredis';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { aptInstall, commandExists } from '../apt';
import { StackError } from '../console';
import { assertPortFree, waitUntil } from '../ports';
import type { RunningComponent, StartContext } from './types';

/** Debian's redis-server; installed with apt when missing and we are root, otherwise the exact command to run. */
export async function ensureRedisServer(): Promise<void> {
  if (!(await commandExists('redis-server'))) await aptInstall('redis', ['redis-server']);
}

export async function ping(url: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined); // the rejected connect() below carries the error
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') throw new Error('unexpected PING reply');
  } finally {
    client.disconnect();
  }
}

/** redis-server on loopback with append-only persistence under the stack's data folder. */
export async function startRedis(ctx: StartContext, port: number): Promise<RunningComponent & { url: string }> {
  await assertPortFree('redis', port, INFRA_PORTS.redis.env);
  await ensureRedisServer();
  const dir = path.join(ctx.dirs.data, 'redis');
  await mkdir(dir, { recursive: true });
  const logFile = path.join(ctx.dirs.logs, 'redis.log');
  const server = ctx.supervisor.spawn({
    name: 'redis',
    command: 'redis-server',
    args: [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
    ],
    logFile,
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil('redis', 'PING', () => ping(url), { timeoutMs: 15_000, alive: () => server.isAlive() }).catch(
    async (error) => {
      await server.stop();
      throw new StackError('redis', `${(error as Error).message}\n${server.tail()}`);
    },
  );
  return {
    name: 'redis',
    address: `127.0.0.1:${port}`,
    url,
    pids: [server.pid],
    logFile,
    isAlive: () => server.isAlive(),
    deathReport: () => `${server.describeExit()}\n${server.tail()}`,
    stop: () => server.stop(),
  };
}
