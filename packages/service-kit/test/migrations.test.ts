import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { readMigrations, runMigrations } from '../src/postgres/migrations';
import { stackEnv } from './support';

// Each test gets its own database so schema_migrations starts empty.
let admin: pg.Client;
const databases: string[] = [];

before(async () => {
  admin = new pg.Client({ connectionString: stackEnv('DATABASE_URL') });
  await admin.connect();
});

after(async () => {
  for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin.end();
});

async function freshPool(): Promise<pg.Pool> {
  const name = `mig_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  const url = new URL(stackEnv('DATABASE_URL'));
  url.pathname = `/${name}`;
  return new pg.Pool({ connectionString: url.toString(), max: 4 });
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(path.join(dir, name), sql);
  return dir;
}

test('applies pending migrations in order once, and a second run applies nothing', async () => {
  const pool = await freshPool();
  const dir = await migrationsDir({
    '0001_create.sql': 'CREATE TABLE t (id int PRIMARY KEY);',
    '0002_seed.sql': 'INSERT INTO t VALUES (1), (2);',
  });
  assert.deepEqual((await runMigrations(pool, dir)).applied, ['0001_create', '0002_seed']);
  assert.deepEqual((await runMigrations(pool, dir)).applied, []);
  assert.equal((await pool.query('SELECT count(*)::int AS n FROM t')).rows[0].n, 2);
  await pool.end();
});

test('replicas starting together apply each migration exactly once (advisory lock)', async () => {
  const pool = await freshPool();
  const dir = await migrationsDir({
    '0001_create.sql': 'CREATE TABLE once (id int PRIMARY KEY); INSERT INTO once VALUES (1);',
  });
  const results = await Promise.all([runMigrations(pool, dir), runMigrations(pool, dir), runMigrations(pool, dir)]);
  assert.equal(results.flatMap((r) => r.applied).length, 1);
  await pool.end();
});

test('a failing migration rolls back and names itself; an edited applied migration is refused', async () => {
  const pool = await freshPool();
  const bad = await migrationsDir({
    '0001_ok.sql': 'CREATE TABLE a (id int);',
    '0002_bad.sql': 'CREATE TABLE b (id int); SELECT nope;',
  });
  await assert.rejects(runMigrations(pool, bad), /migration 2 \(bad\) failed/);
  assert.equal((await pool.query("SELECT to_regclass('b') AS b")).rows[0].b, null, 'partial migration rolled back');
  await writeFile(path.join(bad, '0001_ok.sql'), 'CREATE TABLE a (id bigint);');
  await writeFile(path.join(bad, '0002_bad.sql'), 'SELECT 1;');
  await assert.rejects(runMigrations(pool, bad), /changed after it was applied/);
  await pool.end();
});

test('misnamed or gapped migration files are refused before anything runs', async () => {
  await assert.rejects(readMigrations(await migrationsDir({ 'create.sql': '' })), /must be named NNNN_name.sql/);
  await assert.rejects(
    readMigrations(await migrationsDir({ '0001_a.sql': '', '0003_c.sql': '' })),
    /expected version 0002/,
  );
});
