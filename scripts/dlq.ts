#!/usr/bin/env tsx
/**
 * Purpose: inspect and replay dead-lettered events. `list` shows every DLQ with total and pending counts; `show`
 *          prints pending records (event id, type, error, origin, masked data); `replay` sends them back through the
 *          failing group's retry topic once the cause is fixed, and marks them replayed.
 * Prerequisites: a reachable Kafka: the local stack by default, or KAFKA_BROKERS=host:port,... with KAFKA_SSL=true,
 *                KAFKA_SSL_CA_FILE and KAFKA_SASL_USERNAME/PASSWORD (SCRAM-SHA-512) for a cluster's listener.
 * Usage: npm run dlq -- list
 *        npm run dlq -- show <dlq-topic>
 *        npm run dlq -- replay <dlq-topic> [--id <eventId>]
 */
import { RUNTIME_ENV } from '@scalefu/contracts';
import { kafkaConfigProperties, loadConfig } from '@scalefu/service-kit';
import { parseArgs } from 'node:util';
import { Type } from 'typebox';
import { DlqTool } from './lib/dlq';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { id: { type: 'string' } } });
const [command, topic] = positionals;
// The same Kafka variables (and local defaults) a service reads: KAFKA_BROKERS, KAFKA_SSL, KAFKA_SASL_*.
const config = loadConfig('dlq', Type.Object(kafkaConfigProperties));
const tool = new DlqTool({
  brokers: config[RUNTIME_ENV.kafkaBrokers],
  ssl: config[RUNTIME_ENV.kafkaSsl],
  ...(config[RUNTIME_ENV.kafkaSslCaFile] ? { sslCaFile: config[RUNTIME_ENV.kafkaSslCaFile] } : {}),
  ...(config[RUNTIME_ENV.kafkaSaslUsername] ? { saslUsername: config[RUNTIME_ENV.kafkaSaslUsername] } : {}),
  ...(config[RUNTIME_ENV.kafkaSaslPassword] ? { saslPassword: config[RUNTIME_ENV.kafkaSaslPassword] } : {}),
});

function usage(): never {
  console.error('usage: npm run dlq -- list | show <dlq-topic> | replay <dlq-topic> [--id <eventId>]');
  process.exit(2);
}

try {
  if (command === 'list') {
    const rows = await tool.list();
    console.log(`${'DLQ topic'.padEnd(52)} ${'owner'.padEnd(14)} ${'total'.padStart(6)} ${'pending'.padStart(8)}`);
    for (const r of rows)
      console.log(
        `${r.topic.padEnd(52)} ${r.owner.padEnd(14)} ${String(r.total).padStart(6)} ${String(r.pending).padStart(8)}`,
      );
  } else if (command === 'show' && topic) {
    const letters = await tool.pending(topic);
    if (!letters.length) console.log(`${topic}: nothing pending`);
    for (const l of letters) {
      console.log(`${l.dlqTopic}[${l.partition}]@${l.offset}  event ${l.eventId ?? '-'}  ${l.eventType ?? ''}`);
      console.log(`  failed ${l.failedAt}  from ${l.original}`);
      console.log(`  error  ${l.error}`);
      console.log(`  data   ${l.preview}`);
    }
  } else if (command === 'replay' && topic) {
    const replayed = await tool.replay(topic, values.id ? { eventId: values.id } : {});
    console.log(`${topic}: replayed ${replayed.length} record(s) through the retry topic`);
  } else {
    usage();
  }
} catch (error) {
  const message = (error as Error).message;
  const hint = /ECONNREFUSED|Connection error/.test(message)
    ? ` (is the stack running? \`npm start\`, or set ${RUNTIME_ENV.kafkaBrokers})`
    : '';
  console.error(`dlq: ${message}${hint}`);
  process.exit(1);
}
