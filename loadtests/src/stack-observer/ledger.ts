import type { CaughtMail } from './mails';
import { acceptedAtMs, type StoredRegistration } from './rows';

/**
 * Where every acked registration of a run ended up: the "nothing lost, nothing doubled" accounting. Lost: acked but
 * neither stored nor rejected as a duplicate. Doubled: a person stored more than once, or mailed more than once.
 */
export interface Ledger {
  /** 201 answers (distinct userIDs). */
  readonly acked: number;
  readonly stored: number;
  readonly confirmed: number;
  /** Acked, then rejected as a duplicate by Postgres (a duplicate that slipped past Redis). */
  readonly rejected: number;
  /** Stored users with at least one confirmation mail in the catcher. */
  readonly mailed: number;
  readonly lost: number;
  /** Rows of the run beyond one per acked registration, plus users mailed more than once. */
  readonly doubled: number;
  /** Stored but not CONFIRMED when the wait ended. */
  readonly unconfirmed: number;
  /** Stored but with no mail when the wait ended. */
  readonly unmailed: number;
}

/** Time of each registration through the pipeline's stages (ms). */
export interface StageTimes {
  /** Accept (UUIDv7 time) → CONFIRMED, per confirmed registration. */
  readonly endToEnd: number[];
  /** Accept → row stored (Kafka command, user service consume and insert). */
  readonly acceptToStored: number[];
  /** Stored → user.created published by the outbox relay. */
  readonly storedToPublished: number[];
  /** Published → mailed: the notifier's fetch, its Redis claim and the SMTP send (`users.confirmed_at`). */
  readonly publishedToMailed: number[];
  /**
   * Mailed → CONFIRMED: the rest of the notifier's batch (its later mails, the sent markers, publishing
   * user.confirmation.sent), then Kafka and the user service's status update.
   */
  readonly mailedToConfirmed: number[];
}

export interface LedgerInput {
  readonly ackedIds: readonly string[];
  readonly rows: ReadonlyMap<string, StoredRegistration>;
  readonly rejectedIds: ReadonlySet<string>;
  readonly mails: readonly CaughtMail[];
  /** All user rows carrying the run's marker, acked or not. */
  readonly rowsWithMarker: number;
}

export function buildLedger(input: LedgerInput): { ledger: Ledger; stages: StageTimes } {
  const acked = [...new Set(input.ackedIds)];
  const mailCount = new Map<string, number>();
  for (const mail of input.mails) {
    for (const to of mail.to) {
      mailCount.set(to, (mailCount.get(to) ?? 0) + 1);
    }
  }
  let stored = 0;
  let confirmed = 0;
  let rejected = 0;
  let mailed = 0;
  let lost = 0;
  let mailedTwice = 0;
  for (const id of acked) {
    const row = input.rows.get(id);
    if (!row) {
      if (input.rejectedIds.has(id)) rejected++;
      else lost++;
      continue;
    }
    stored++;
    const mails = mailCount.get(row.email) ?? 0;
    if (mails > 0) mailed++;
    if (mails > 1) mailedTwice++;
    if (row.status === 'CONFIRMED' && row.confirmedAtMs !== undefined) confirmed++;
  }
  const extraRows = Math.max(0, input.rowsWithMarker - stored);
  return {
    ledger: {
      acked: acked.length,
      stored,
      confirmed,
      rejected,
      mailed,
      lost,
      doubled: extraRows + mailedTwice,
      unconfirmed: stored - confirmed,
      unmailed: stored - mailed,
    },
    stages: stageTimes(acked, input.rows),
  };
}

/** Each stored registration's time through the stages; one counts in a stage when both of its timestamps exist. */
export function stageTimes(ackedIds: readonly string[], rows: ReadonlyMap<string, StoredRegistration>): StageTimes {
  const stages: StageTimes = {
    endToEnd: [],
    acceptToStored: [],
    storedToPublished: [],
    publishedToMailed: [],
    mailedToConfirmed: [],
  };
  for (const id of new Set(ackedIds)) {
    const row = rows.get(id);
    if (!row) continue;
    const accepted = acceptedAtMs(id);
    stages.acceptToStored.push(row.createdAtMs - accepted);
    if (row.publishedAtMs !== undefined) stages.storedToPublished.push(row.publishedAtMs - row.createdAtMs);
    if (row.mailedAtMs !== undefined && row.publishedAtMs !== undefined) {
      stages.publishedToMailed.push(row.mailedAtMs - row.publishedAtMs);
    }
    if (row.confirmedAtMs === undefined) continue;
    stages.endToEnd.push(row.confirmedAtMs - accepted);
    if (row.mailedAtMs !== undefined) stages.mailedToConfirmed.push(row.confirmedAtMs - row.mailedAtMs);
  }
  return stages;
}
