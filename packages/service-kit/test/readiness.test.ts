import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, test } from 'node:test';
import { createHttpServer } from '../src/http/server';
import { ServiceMetrics } from '../src/metrics';
import { createPostgresPool, postgresReadiness } from '../src/postgres/pool';
import { createRedis, redisReadiness } from '../src/redis/client';
import { eventually, silentLogger, stackEnv } from './support';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test('readyz turns unready when Redis dies and ready again when it is back (a real redis-server)', async () => {
  const port = await freePort();
  const start = () =>
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
  let redisServer = start();
  cleanups.push(() => void redisServer.kill('SIGKILL'));
  const redis = createRedis({ url: `redis://127.0.0.1:${port}`, connectionName: 'readiness-test' }, silentLogger);
  cleanups.push(() => redis.disconnect());
  const app = await createHttpServer({
    service: 'test',
    logger: silentLogger,
    metrics: new ServiceMetrics('test'),
    readinessChecks: [redisReadiness(redis)],
  });
  cleanups.push(() => app.close());
  await eventually('redis up', async () => {
    await redis.connect().catch(() => undefined);
    return (await app.inject({ url: '/readyz' })).statusCode === 200;
  });

  redisServer.kill('SIGKILL');
  await eventually(
    'readyz 503 while redis is down',
    async () => (await app.inject({ url: '/readyz' })).statusCode === 503,
  );

  redisServer = start();
  await eventually(
    'readyz 200 after redis is back',
    async () => (await app.inject({ url: '/readyz' })).statusCode === 200,
  );
});

test('readyz is unready, with the dependency named, while Postgres is unreachable', async () => {
  const closedPort = await freePort();
  const good = createPostgresPool({ url: stackEnv('DATABASE_URL'), applicationName: 'readiness-test' }, silentLogger);
  const url = new URL(stackEnv('DATABASE_URL'));
  url.port = String(closedPort);
  const bad = createPostgresPool({ url: url.toString(), applicationName: 'readiness-test' }, silentLogger);
  cleanups.push(
    () => good.end(),
    () => bad.end(),
  );
  const goodCheck = postgresReadiness(good);
  const app = await createHttpServer({
    service: 'test',
    logger: silentLogger,
    metrics: new ServiceMetrics('test'),
    readinessChecks: [goodCheck, { ...postgresReadiness(bad), name: 'postgres-unreachable' }],
  });
  cleanups.push(() => app.close());
  const response = await app.inject({ url: '/readyz' });
  assert.equal(response.statusCode, 503);
  assert.equal(response.json().checks.postgres, 'ok');
  assert.match(response.json().checks['postgres-unreachable'], /^error: /);
});
