import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger';

export interface KafkaConnectionSettings {
  /** Comma-separated `host:port` list. */
  readonly brokers: string;
  /** Client id; the service name. */
  readonly clientId: string;
  /** Use TLS. @default false */
  readonly ssl?: boolean;
  /** PEM CA file for TLS (Strimzi's cluster CA). @default system CAs */
  readonly sslCaFile?: string;
  /** SCRAM-SHA-512 user (Strimzi KafkaUser). @default no SASL */
  readonly saslUsername?: string;
  /** SCRAM-SHA-512 password. */
  readonly saslPassword?: string;
}

const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** KafkaJS client whose logs go through the service's pino logger. */
export function createKafka(settings: KafkaConnectionSettings, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers.split(',').map((b) => b.trim()),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[PINO_LEVEL[level] ?? 'info'](extra, message);
      },
  };
  if (settings.ssl) config.ssl = settings.sslCaFile ? { ca: [readFileSync(settings.sslCaFile, 'utf8')] } : true;
  if (settings.saslUsername && settings.saslPassword) {
    config.sasl = { mechanism: 'scram-sha-512', username: settings.saslUsername, password: settings.saslPassword };
  }
  return new Kafka(config);
}
