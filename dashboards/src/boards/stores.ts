import { METRICS } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

/**
 * Data stores: Postgres from the CloudNativePG instance exporter, Redis from redis_exporter (both run beside the
 * stores in the clusters), and the services' own view of them (SMTP, outbox query through the scrape).
 */
export function dataStores(): Board {
  const board = new Board({
    uid: 'scalefu-stores',
    title: 'ScaleFu / Data stores',
    description: 'Postgres (CloudNativePG exporter) and Redis (redis_exporter) in the clusters; SMTP from the notifier',
    tags: ['postgres', 'redis'],
  });
  argoCdSyncs(board);
  board
    .section('Postgres (CloudNativePG)')
    .panel({
      title: 'Postgres instances up',
      description: 'cnpg_collector_up per instance',
      queries: [{ expr: 'sum by (pod) (cnpg_collector_up)', legend: '{{pod}}' }],
      width: 8,
    })
    .panel({
      title: 'Postgres backends',
      description: 'Connections by state',
      queries: [{ expr: 'sum by (state) (cnpg_backends_total)', legend: '{{state}}' }],
      width: 8,
    })
    .panel({
      title: 'Postgres database size',
      description: 'Per database',
      queries: [{ expr: 'max by (datname) (cnpg_pg_database_size_bytes)', legend: '{{datname}}' }],
      unit: 'bytes',
      width: 8,
    })
    .section('Redis (redis_exporter)')
    .panel({
      title: 'Redis up',
      description: 'redis_up per instance',
      queries: [{ expr: 'sum by (pod) (redis_up)', legend: '{{pod}}' }],
      width: 8,
    })
    .panel({
      title: 'Redis commands per second',
      description: 'All commands processed',
      queries: [{ expr: 'sum by (pod) (rate(redis_commands_processed_total[5m]))', legend: '{{pod}}' }],
      unit: 'ops',
      width: 8,
    })
    .panel({
      title: 'Redis memory used',
      description: 'Per instance',
      queries: [{ expr: 'max by (pod) (redis_memory_used_bytes)', legend: '{{pod}}' }],
      unit: 'bytes',
      width: 8,
    })
    .section('SMTP (notifier)')
    .panel({
      title: 'SMTP send p95',
      description: 'Time the SMTP server took to accept one confirmation mail',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (le) (rate(${METRICS.smtpDuration.name}_bucket[5m])))`,
          legend: 'p95',
        },
      ],
      unit: 's',
    })
    .panel({
      title: 'Confirmation mails by outcome',
      description: 'sent, already_sent, in_progress, failed per second',
      queries: [{ expr: `sum by (outcome) (rate(${METRICS.emails.name}[5m]))`, legend: '{{outcome}}' }],
      unit: 'ops',
    });
  return board;
}
