/**
 * User service: users in Postgres, the admin API, the outbox relay, and the consumers of registration commands
 * and confirmations. Reads top-down: config → migrations → app → signals.
 */
import { RUNTIME_ENV } from '@scalefu/contracts';
import { createLogger, createPostgresPool, runMigrations } from '@scalefu/service-kit';
import { fileURLToPath } from 'node:url';
import { startApp } from './app';
import { SERVICE, loadUserConfig } from './config';

const config = loadUserConfig();
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });

const migrationPool = createPostgresPool(
  { url: config[RUNTIME_ENV.databaseUrl], max: 1, applicationName: `${SERVICE}-migrate` },
  logger,
);
try {
  const result = await runMigrations(migrationPool, fileURLToPath(new URL('../migrations', import.meta.url)));
  logger.info({ applied: result.applied, already_applied: result.alreadyApplied }, 'migrations done');
} finally {
  await migrationPool.end();
}

const app = await startApp(config, { logger });
app.lifecycle.installSignalHandlers();
