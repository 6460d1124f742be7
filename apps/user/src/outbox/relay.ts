/**
 * Outbox relay: moves committed events from the `outbox` table to Kafka. Each round, in one transaction, it takes
 * the relay turn (an advisory lock, so with several replicas exactly one publishes at a time and per-key order
 * holds), locks the oldest unpublished rows, publishes them with their stored event ids (awaiting acks=all),
 * and marks them published. A crash anywhere before the commit leaves the rows unpublished: they are published
 * again with the same ids and consumers dedupe by id (at-least-once, never lost). Woken by NOTIFY at commit,
 * with a short poll as the fallback while LISTEN is down or the last round failed (no NOTIFY comes for rows left
 * behind), and a slow one while LISTEN works: an idle stack then opens no transaction per second.
 */
import { METRICS, eventSourceOf, type EventEnvelope } from '@scalefu/contracts';
import {
  counterOf,
  gaugeOf,
  histogramOf,
  inTransaction,
  type Logger,
  type PostgresClient,
  type PostgresPool,
  type ServiceMetrics,
} from '@scalefu/service-kit';
import pg from 'pg';
import type { Counter, Histogram } from 'prom-client';
import {
  OUTBOX_CHANNEL,
  claimUnpublished,
  markPublished,
  outboxBacklog,
  prunePublished,
  tryTakeRelayTurn,
  type OutboxRow,
} from '../store/outbox';
import { SERVICE } from '../config';
import { pruneProcessed } from '../store/processed-events';

/** What the relay needs from a producer: `EventProducer.publish`, which resolves after the broker's ack. */
export interface RelayPublisher {
  publish<T>(topic: string, key: string, event: EventEnvelope<T>): Promise<void>;
}

export interface OutboxRelayOptions {
  readonly pool: PostgresPool;
  /** Connection string for the dedicated LISTEN connection (kept out of the pool). */
  readonly databaseUrl: string;
  readonly publisher: RelayPublisher;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Rows per round. @default 500 */
  readonly batchSize?: number;
  /** Poll interval while LISTEN is down or the last round failed (ms). @default 1000 */
  readonly pollIntervalMs?: number;
  /** Poll interval while LISTEN works: a safety net for a lost NOTIFY (ms). @default 30000 */
  readonly listeningPollIntervalMs?: number;
  /** Published rows are deleted after this many hours. @default 24 */
  readonly retentionHours?: number;
}

const SOURCE = eventSourceOf(SERVICE);
const PRUNE_EVERY_MS = 10 * 60 * 1000;

class RelayMetrics {
  readonly published: Counter<'topic'>;
  readonly delay: Histogram<never>;

  constructor(metrics: ServiceMetrics, pool: PostgresPool, logger: Logger) {
    const { registry } = metrics;
    this.published = counterOf(registry, METRICS.outboxPublished);
    this.delay = histogramOf(registry, METRICS.outboxPublishDelay);
    // One backlog query serves both gauges of a scrape.
    let backlog: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
    const read = () =>
      (backlog ??= outboxBacklog(pool)
        .catch((error: unknown) => {
          logger.warn({ err: error }, 'outbox backlog query failed');
          return { pending: NaN, oldestAgeSeconds: NaN };
        })
        .finally(() => setTimeout(() => (backlog = undefined), 0)));
    gaugeOf(registry, METRICS.outboxAge, async function () {
      this.set((await read()).oldestAgeSeconds);
    });
    gaugeOf(registry, METRICS.outboxBacklog, async function () {
      this.set((await read()).pending);
    });
  }
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly listeningPollIntervalMs: number;
  private lastRound = { at: 0, failed: false };
  private readonly metrics: RelayMetrics;
  private listener: pg.Client | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = true;
  private lastPrune = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.listeningPollIntervalMs = options.listeningPollIntervalMs ?? 30_000;
    this.metrics = new RelayMetrics(options.metrics, options.pool, options.logger);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'outbox listen failed; polling until it reconnects');
      this.scheduleReconnect();
    });
    this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
    this.wake();
  }

  private poll(): void {
    const fast = !this.listener || this.lastRound.failed;
    if (fast || Date.now() - this.lastRound.at >= this.listeningPollIntervalMs) this.wake();
  }

  /** Ask for a round; if one is running, another follows it so rows committed meanwhile are not left waiting. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.wakeAgain && !this.stopped) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Wait for the round in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    await this.idle();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Publish rounds until the outbox is empty (or another replica holds the turn). */
  private async drain(): Promise<void> {
    try {
      let hadTurn = true;
      for (;;) {
        const round = await this.turnRound();
        hadTurn = round.hadTurn;
        if (round.published < this.batchSize || this.stopped) break;
      }
      await this.pruneNow();
      // Another relay held the turn: rows may wait for it to finish, and their NOTIFY has passed, so poll fast.
      this.lastRound = { at: Date.now(), failed: !hadTurn };
    } catch (error) {
      this.lastRound = { at: Date.now(), failed: true };
      this.options.logger.warn({ err: error }, 'outbox relay round failed; retrying on the next poll');
    }
  }

  /** One round in its own transaction; returns how many events were published (0 when another relay has the turn). */
  async relayOnce(): Promise<number> {
    return (await this.turnRound()).published;
  }

  private turnRound(): Promise<{ published: number; hadTurn: boolean }> {
    return inTransaction(this.options.pool, async (tx) =>
      (await tryTakeRelayTurn(tx))
        ? { published: await this.relayRound(tx), hadTurn: true }
        : { published: 0, hadTurn: false },
    );
  }

  /**
   * Publish and mark the oldest unpublished rows inside the caller's transaction, which must hold the relay turn.
   * Throws when any publish fails; the caller rolls back and the rows stay unpublished.
   */
  async relayRound(tx: PostgresClient): Promise<number> {
    const rows = await claimUnpublished(tx, this.batchSize);
    if (rows.length === 0) return 0;
    const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // All or nothing: marking only the acked rows could let a later event of a key overtake an earlier one.
    if (failed) throw failed.reason;
    await markPublished(
      tx,
      rows.map((r) => r.id),
    );
    const now = Date.now();
    for (const row of rows) {
      this.metrics.published.inc({ topic: row.topic });
      this.metrics.delay.observe(Math.max(0, now - row.createdAt.getTime()) / 1000);
    }
    return rows.length;
  }

  private publish(row: OutboxRow): Promise<void> {
    return this.options.publisher.publish(row.topic, row.key, {
      id: row.eventId,
      source: SOURCE,
      type: row.eventType,
      time: row.createdAt.toISOString(),
      subject: row.key,
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
      data: row.payload,
    });
  }

  private async pruneNow(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const removed = await prunePublished(this.options.pool, this.options.retentionHours ?? 24);
    // The relay is the service's one periodic worker, so it also forgets processed-event marks nobody can need.
    const forgotten = await pruneProcessed(this.options.pool);
    if (removed + forgotten > 0)
      this.options.logger.debug({ removed, forgotten }, 'pruned outbox and processed events');
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: `${SERVICE}-outbox-listen`,
    });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.options.logger.warn({ err: error }, 'outbox listen connection lost; polling until it reconnects');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listener = client;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen().catch(() => this.scheduleReconnect());
    }, 2000);
    this.reconnectTimer.unref();
  }
}
