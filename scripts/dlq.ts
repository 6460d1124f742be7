#!/usr/bin/env tsx
/**
 * Purpose: inspect and replay dead-lettered events. `list` shows every DLQ with total and pending counts; `show`
 *          prints pending records (event id, type, error, origin, masked data); `replay` sends them back through the
 *          failing group's retry topic once the cause is fixed, and marks them replayed.
 * Prerequisites: a reachable Kafka (the local stack, or KAFKA_BROKERS=host:port,...).
 * Usage: npm run dlq -- list
 *        npm run dlq -- show <dlq-topic>
 *        npm run dlq -- replay <dlq-topic> [--id <eventId>]
 */
import { INFRA_PORTS, RUNTIME_ENV } from '@scalefu/contracts';
import { parseArgs } from 'node:util';
import { DlqTool } from './lib/dlq';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { id: { type: 'string' } } });
const [command, topic] = positionals;
const brokers = process.env[RUNTIME_ENV.kafkaBrokers] ?? `127.0.0.1:${INFRA_PORTS.kafka.port}`;
const tool = new DlqTool(brokers);

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
  console.error(`dlq: ${(error as Error).message}`);
  process.exit(1);
}
