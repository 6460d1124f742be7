import pg from 'pg';
import { stageTimes, storedRegistrations, type StageTimes } from '../../../loadtests/src/stack-observer';
import { countMailsTo } from '../stack/mail-inbox';
import { quantile } from './open-load';

/** Milliseconds since the epoch that a UUIDv7 carries in its first 48 bits (the onboarder's accept time). */
export function uuidV7Millis(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

export interface PipelineOutcome {
  /** Acked registrations found in Postgres (each at most once: user_id is the primary key). */
  readonly stored: number;
  readonly confirmed: number;
  /** Accept (UUIDv7 time) -> status CONFIRMED (`updated_at`), over the confirmed ones. */
  readonly e2eP50Ms: number;
  readonly e2eP95Ms: number;
  readonly e2eP99Ms: number;
  readonly e2eMaxMs: number;
  /** Time from the first accept to the last confirmation: the pipeline's end-to-end drain rate. */
  readonly confirmedPerSecond: number;
}

/** p50 / p95 in ms of one stage; NaN when no row has both of its timestamps. */
export interface StageLatency {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/**
 * accept→CONFIRMED in four stages, from timestamps Postgres holds (the load runs' stack observer reads them): the
 * onboarder's ack, Kafka and the user service's store (`users.created_at`, its transaction's start); the outbox relay
 * up to the broker's ack (`published_at` of the `user.created` row); the notifier's fetch, claim and SMTP send (the
 * `sentAt` it reports, kept as `users.confirmed_at`); and the rest of the notifier's batch, `user.confirmation.sent` and
 * the user service's status update (`users.updated_at` of the CONFIRMED row, its transaction's start).
 */
export interface PipelineStages {
  readonly acceptToStored: StageLatency;
  readonly storedToPublished: StageLatency;
  readonly publishedToMailed: StageLatency;
  readonly mailedToConfirmed: StageLatency;
}

export function stageLatencies(times: StageTimes): PipelineStages {
  const stage = (durations: readonly number[]): StageLatency => ({
    p50Ms: quantile(durations, 0.5),
    p95Ms: quantile(durations, 0.95),
  });
  return {
    acceptToStored: stage(times.acceptToStored),
    storedToPublished: stage(times.storedToPublished),
    publishedToMailed: stage(times.publishedToMailed),
    mailedToConfirmed: stage(times.mailedToConfirmed),
  };
}

/** The stages of `ids`' registrations; read after the CPU window, as these queries are the bench's, not the pipeline's. */
export async function pipelineStages(databaseUrl: string, ids: readonly string[]): Promise<PipelineStages> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    return stageLatencies(stageTimes(ids, await storedRegistrations(pool, ids)));
  } finally {
    await pool.end();
  }
}

async function countConfirmed(pool: pg.Pool, ids: readonly string[]): Promise<{ stored: number; confirmed: number }> {
  const { rows } = await pool.query<{ stored: string; confirmed: string }>(
    `SELECT count(*) AS stored, count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed
       FROM users WHERE user_id = ANY($1::uuid[])`,
    [ids],
  );
  return { stored: Number(rows[0]!.stored), confirmed: Number(rows[0]!.confirmed) };
}

/**
 * How often the drain is polled. Each poll looks up every acked id in Postgres (27 ms of its CPU for 30,000 ids,
 * measured 2026-12-07; a soak's 450,000 ids cost more), and the bench counts Postgres' CPU until the last
 * confirmation: polled every 500 ms, that was ~1 % of a goal run's total. The E2E figures come from the rows'
 * timestamps, so a slower poll only ends the wait up to 2 s later.
 */
const DRAIN_POLL_MS = 2000;

/**
 * Wait until every acked registration is CONFIRMED (or no progress for `stallMs`), then read accept→CONFIRMED from
 * the rows: the confirmation time is when the user service's confirming transaction began (`updated_at` of the
 * CONFIRMED row, as the stack observer reads it), the accept time is in the UUIDv7 the onboarder minted, so no probe of
 * ours sits on the path.
 */
export async function awaitPipeline(
  databaseUrl: string,
  ids: readonly string[],
  options: { stallMs?: number; onProgress?: (confirmed: number) => void } = {},
): Promise<PipelineOutcome> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    let last = -1;
    let lastChange = Date.now();
    for (;;) {
      const { confirmed } = await countConfirmed(pool, ids);
      if (confirmed !== last) {
        last = confirmed;
        lastChange = Date.now();
        options.onProgress?.(confirmed);
      }
      if (confirmed >= ids.length || Date.now() - lastChange > (options.stallMs ?? 30_000)) break;
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
    const counts = await countConfirmed(pool, ids);
    const { rows } = await pool.query<{ user_id: string; confirmed_ms: string }>(
      `SELECT user_id, (extract(epoch FROM updated_at) * 1000)::bigint AS confirmed_ms
         FROM users WHERE user_id = ANY($1::uuid[]) AND status = 'CONFIRMED'`,
      [ids],
    );
    const e2e = rows.map((r) => Number(r.confirmed_ms) - uuidV7Millis(r.user_id));
    return {
      ...counts,
      e2eP50Ms: quantile(e2e, 0.5),
      e2eP95Ms: quantile(e2e, 0.95),
      e2eP99Ms: quantile(e2e, 0.99),
      e2eMaxMs: quantile(e2e, 1),
      confirmedPerSecond: drainRate(
        ids,
        rows.map((r) => Number(r.confirmed_ms)),
      ),
    };
  } finally {
    await pool.end();
  }
}

/**
 * Confirmations per second from the first accept to the last confirmation. Folds instead of `Math.min(...ids)`:
 * spreading a soak's ~450,000 values overflows the call stack.
 */
export function drainRate(ids: readonly string[], confirmedMs: readonly number[]): number {
  if (confirmedMs.length === 0) return 0;
  const firstAccept = ids.reduce((least, id) => Math.min(least, uuidV7Millis(id)), Infinity);
  const lastConfirm = confirmedMs.reduce((most, ms) => Math.max(most, ms), -Infinity);
  return (confirmedMs.length * 1000) / Math.max(1, lastConfirm - firstAccept);
}

/** Mails the SMTP catcher holds per recipient among `addresses` (mailpit's REST API). */
export function mailsPerRecipient(webUrl: string, addresses: ReadonlySet<string>): Promise<Map<string, number>> {
  return countMailsTo(webUrl, addresses);
}
