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
  /** Longest a done record waits for its offset to be committed while the consumer runs. @default 100 */
  readonly intervalMs?: number;
  readonly logger: Logger;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A consumer group's offset commits, coalesced: every partition batch used to send its own OffsetCommit, a quarter of
 * the local broker's CPU at 500 registrations/s (ADR 0150). Done offsets now wait up to `intervalMs` and leave in
 * one request for all the group's partitions. At most one commit is in flight, and each carries the newest offset per
 * partition, so a commit never moves a partition back. A crash loses at most the interval's commits, and what those
 * records did is redone by the next owner, which the handlers' idempotency makes harmless.
 */
export class OffsetCommits {
  private readonly intervalMs: number;
  private readonly pending = new Map<string, PartitionCommit>();
  private commitThrough: CommitThroughGroup | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private lastSentAt = -Infinity;

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
    const offset = (BigInt(lastDone) + 1n).toString();
    const key = partitionKey(topic, partition);
    const known = this.pending.get(key);
    if (known === undefined || BigInt(known.offset) < BigInt(offset))
      this.pending.set(key, { topic, partition, offset });
    this.commitThrough = commitThrough;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - performance.now());
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Commit what is waiting now, after any commit in flight; resolves when the broker answered (or it failed). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.inFlight = this.inFlight.then(() => this.send());
    return this.inFlight;
  }

  /** After a rebalance: drop what waits for partitions this member no longer owns (their new owner redoes it). */
  retainOnly(assignment: Readonly<Record<string, readonly number[]>>): void {
    for (const [key, commit] of this.pending) {
      if (!(assignment[commit.topic] ?? []).includes(commit.partition)) this.pending.delete(key);
    }
  }

  /** Stop the timer; what still waits is not committed (call `flush` first). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async send(): Promise<void> {
    const commits = [...this.pending.values()];
    const commitThrough = this.commitThrough;
    if (commits.length === 0 || commitThrough === undefined) return;
    this.pending.clear();
    this.lastSentAt = performance.now();
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of commits) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
    }
    try {
      await commitThrough({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
    } catch (error) {
      // Lost the partition in a rebalance: the next owner re-reads these records; handlers make a repeat harmless.
      this.props.logger.warn(
        { err: error, groupId: this.props.groupId, partitions: commits.length },
        'offset commit failed',
      );
    }
  }
}
