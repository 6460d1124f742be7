import { METRICS } from '@scalefu/contracts';
import { Board } from '../board';
import { argoCdSyncs } from './annotations';

/** Kafka pipeline: what flows through each topic, how far each group lags, what is retried and dead-lettered. */
export function kafkaPipeline(): Board {
  const board = new Board({
    uid: 'scalefu-kafka',
    title: 'ScaleFu / Kafka pipeline',
    description: 'Rates per topic, consumer lag per group, retries, DLQ depth, per-stage latency, outbox',
    tags: ['kafka'],
  });
  argoCdSyncs(board);
  board
    .section('Flow')
    .panel({
      title: 'Produced per topic',
      description: 'Records acknowledged by the brokers (acks=all) per second',
      queries: [
        {
          expr: `sum by (topic) (rate(${METRICS.kafkaProduced.name}{outcome="acked"}[5m]))`,
          legend: '{{topic}}',
        },
      ],
      unit: 'ops',
    })
    .panel({
      title: 'Consumed per topic and outcome',
      description: 'processed, skipped_duplicate, retried, deferred, dead_lettered',
      queries: [
        {
          expr: `sum by (topic, outcome) (rate(${METRICS.kafkaConsumed.name}[5m]))`,
          legend: '{{topic}} {{outcome}}',
        },
      ],
      unit: 'ops',
    })
    .section('Lag, retries, dead letters')
    .panel({
      title: 'Consumer lag per group and topic (services)',
      description: "Records behind the high watermark at each group's last batch, summed over the group's members",
      queries: [
        {
          expr: `sum by (group, topic) (${METRICS.kafkaConsumerLag.name})`,
          legend: '{{group}} {{topic}}',
        },
      ],
      width: 8,
    })
    .panel({
      title: 'Consumer lag per group (Kafka Exporter, clusters)',
      description: 'From the Strimzi Kafka Exporter; the broker-side view of the same lag',
      queries: [
        { expr: 'sum by (consumergroup, topic) (kafka_consumergroup_lag)', legend: '{{consumergroup}} {{topic}}' },
      ],
      width: 8,
    })
    .panel({
      title: 'Retries and deferrals per topic',
      description: 'Records sent to the retry companion topic per second',
      queries: [
        {
          expr: `sum by (topic, outcome) (rate(${METRICS.kafkaConsumed.name}{outcome=~"retried|deferred"}[5m]))`,
          legend: '{{topic}} {{outcome}}',
        },
      ],
      unit: 'ops',
      width: 8,
    })
    .panel({
      title: 'DLQ depth',
      description: 'Dead letters not yet replayed (npm run dlq -- list); anything above 0 needs a human',
      queries: [{ expr: `max by (topic) (${METRICS.kafkaDlqDepth.name})`, legend: '{{topic}}' }],
      thresholds: [{ value: 1, color: 'red' }],
    })
    .panel({
      title: 'Dead-lettered per topic',
      description: 'Records parked in the DLQ per second',
      queries: [
        {
          expr: `sum by (topic) (rate(${METRICS.kafkaConsumed.name}{outcome="dead_lettered"}[5m]))`,
          legend: '{{topic}}',
        },
      ],
      unit: 'ops',
    })
    .section('Per-stage latency')
    .panel({
      title: 'Queueing per stage (append → handler start) p95',
      description: 'How long records wait in each topic before their handler starts',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (le, topic) (rate(${METRICS.kafkaRecordAge.name}_bucket[5m])))`,
          legend: '{{topic}}',
        },
      ],
      unit: 's',
      width: 8,
    })
    .panel({
      title: 'Handling per stage p95',
      description: 'Handler time per record, including in-process retries',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (le, topic) (rate(${METRICS.kafkaHandlerDuration.name}_bucket[5m])))`,
          legend: '{{topic}}',
        },
      ],
      unit: 's',
      width: 8,
    })
    .panel({
      title: 'Produce p95 (enqueue → ack)',
      description: 'Per service',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (le, service) (rate(${METRICS.kafkaProduceDuration.name}_bucket[5m])))`,
          legend: '{{service}}',
        },
      ],
      unit: 's',
      width: 8,
    })
    .section('Outbox (user service)')
    .panel({
      title: 'Outbox backlog',
      description: 'Events committed but not yet published',
      queries: [{ expr: `max(${METRICS.outboxBacklog.name})`, legend: 'pending' }],
      width: 8,
    })
    .panel({
      title: 'Oldest unpublished outbox event',
      description: 'Age in seconds (0 when none)',
      queries: [{ expr: `max(${METRICS.outboxAge.name})`, legend: 'age' }],
      unit: 's',
      width: 8,
    })
    .panel({
      title: 'Outbox publish delay p95',
      description: 'Row commit → broker ack',
      queries: [
        {
          expr: `histogram_quantile(0.95, sum by (le) (rate(${METRICS.outboxPublishDelay.name}_bucket[5m])))`,
          legend: 'p95',
        },
      ],
      unit: 's',
      width: 8,
    });
  return board;
}
