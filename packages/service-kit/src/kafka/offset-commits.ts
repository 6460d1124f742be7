import type { Logger } from '../logger';

/** The next offset to read of one partition, as Kafka's OffsetCommit takes it (last done + 1). */
export interface PartitionCommit {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Sends one OffsetCommit request for the group: a batch payload's `commitOffsetsIfNecessary`, not
 * `consumer.commitOffsets`, which KafkaJS silently drops once a stop has begun: exactly when the records in hand must
 * be committed (or the next owner redoes them).
 */
export type CommitThroughGroup = (offsets: {
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}) => Promise<void>;

export interface OffsetCommitsProps {
  /** The consumer group, for the log line of a failed commit. */
  readonly groupId: string;
  /** How long a done record's offset may wait before the commit that carries it is sent. @default 100 */
  readonly intervalMs?: number;
  readonly logger: Logger;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Longest wait before offsets of a failed commit are tried again on their own (the wait doubles per failure). */
const RETRY_CEILING_MS = 5000;

/**
 * A consumer group's offset commits, coalesced: every partition batch used to send its own OffsetCommit, a quarter of
 * the local broker's CPU at 500 registrations/s (ADR 0150). Done offsets now wait up to `intervalMs` and leave in
 * one request for all the group's partitions; the first after a quiet spell goes at once. One commit is in flight at
 * a time, and no partition's commit goes below what this member already committed for it, so a commit never moves a
 * partition back. A failed commit is tried again after a backoff while the assignment holds. What a crash or a lost
 * partition leaves uncommitted is redone by the next owner, which the handlers' idempotency makes harmless.
 */
export class OffsetCommits {
  private readonly intervalMs: number;
  private readonly pending = new Map<string, PartitionCommit>();
  /** Per partition, the highest offset this member has committed: nothing at or below it is sent again. */
  private readonly committed = new Map<string, PartitionCommit>();
  private commitThrough: CommitThroughGroup | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private lastSentAt = -Infinity;
  /** Bumped by every new assignment and by `discard`: a commit that failed before it is not retried. */
  private assignmentVersion = 0;
  /** Failed commits in a row: how long the retry of what they carried waits. */
  private failures = 0;

  constructor(private readonly props: OffsetCommitsProps) {
    this.intervalMs = props.intervalMs ?? 100;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 0) {
      throw new Error(`OffsetCommits: intervalMs must be a finite number ≥ 0, got ${props.intervalMs}`);
    }
  }

  /** Offsets waiting for the next commit, one per partition (the newest). */
  get waiting(): readonly PartitionCommit[] {
    return [...this.pending.values()];
  }

  /**
   * Record that every record of `partition` up to `lastDone` is done, and commit it within the interval.
   * `commitThrough` is the batch's own commit function: it still works while a stop is under way.
   */
  add(topic: string, partition: number, lastDone: string, commitThrough: CommitThroughGroup): void {
    this.commitThrough = commitThrough;
    this.keep({ topic, partition, offset: (BigInt(lastDone) + 1n).toString() });
    this.schedule(Math.max(0, this.lastSentAt + this.intervalMs - performance.now()));
  }

  /** Commit what is waiting now, after any commit in flight; resolves when the broker answered (or it failed). */
  flush(): Promise<void> {
    this.cancel();
    this.inFlight = this.inFlight.then(() => this.send());
    return this.inFlight;
  }

  /**
   * A new assignment (after a rebalance): drop what waits for partitions this member no longer owns, and forget what
   * it committed for them. Their new owner reads those records again.
   */
  retainOnly(assignment: Readonly<Record<string, readonly number[]>>): void {
    this.assignmentVersion++;
    for (const byPartition of [this.pending, this.committed]) {
      for (const [key, { topic, partition }] of byPartition) {
        if (!(assignment[topic] ?? []).includes(partition)) byPartition.delete(key);
      }
    }
  }

  /** Stop the timer; what still waits is not committed (call `flush` first). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The consumer crashed or stopped: nothing waiting is sent any more (its records are redone by the next owner). */
  discard(): void {
    this.cancel();
    this.pending.clear();
    this.commitThrough = undefined;
    this.assignmentVersion++;
  }

  private schedule(waitMs: number): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => void this.flush(), waitMs);
    this.timer.unref();
  }

  /** Keep the newest offset per partition, unless this member already committed it or a later one. */
  private keep(commit: PartitionCommit): void {
    const key = partitionKey(commit.topic, commit.partition);
    const offset = BigInt(commit.offset);
    const atLeast = (known: PartitionCommit | undefined) => known !== undefined && BigInt(known.offset) >= offset;
    if (atLeast(this.pending.get(key)) || atLeast(this.committed.get(key))) return;
    this.pending.set(key, commit);
  }

  private async send(): Promise<void> {
    const commits = [...this.pending.values()];
    const commitThrough = this.commitThrough;
    if (commits.length === 0 || commitThrough === undefined) return;
    this.pending.clear();
    this.lastSentAt = performance.now();
    const version = this.assignmentVersion;
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of commits) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    }
    try {
      await commitThrough({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
      this.failures = 0;
      for (const commit of commits) {
        const key = partitionKey(commit.topic, commit.partition);
        const before = this.committed.get(key);
        if (before === undefined || BigInt(before.offset) < BigInt(commit.offset)) this.committed.set(key, commit);
      }
    } catch (error) {
      // Under the same assignment these are tried again, alone or with the next batch's; after a new one, the
      // partitions this member kept are read again from the broker's offset and committed anew, the lost ones by their
      // new owner.
      if (version === this.assignmentVersion) for (const commit of commits) this.keep(commit);
      this.failures++;
      this.schedule(Math.min(RETRY_CEILING_MS, Math.max(this.intervalMs, 50) * 2 ** this.failures));
      this.props.logger.warn(
        { err: error, groupId: this.props.groupId, partitions: commits.length },
        'offset commit failed',
      );
    }
  }
}
