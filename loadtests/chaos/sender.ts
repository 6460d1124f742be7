/**
 * The chaos suite's load: a small, bounded open-model sender of registrations in TypeScript. Open model means a
 * request starts on its schedule whether or not earlier ones answered (no coordinated omission), up to a cap on
 * requests in flight. Kept in this one module behind `SteadyLoad` so the vegeta engine of `loadtests/` can
 * replace it without touching the scenarios.
 */
import { PUBLIC_ROUTE_TEMPLATES } from '@scalefu/contracts';
import { newPerson, type Person } from '../lib/people';

export interface Ack {
  readonly userID: string;
  readonly email: string;
  /** ms since the load started. */
  readonly at: number;
}

export interface LoadTally {
  /** Registrations answered 201, with the userID the service promised. */
  readonly acked: readonly Ack[];
  /** Answers by status (0 = no answer: refused connection, timeout). */
  readonly statuses: Readonly<Record<number, number>>;
  readonly sent: number;
  /** Schedule slots skipped because the in-flight cap was reached (the service was too slow to keep up). */
  readonly dropped: number;
}

export interface SteadyLoadOptions {
  /** The onboarder's base URL. */
  readonly target: string;
  /** Registrations started per second. */
  readonly ratePerSecond: number;
  /** Hard bound on requests started (slots skipped at the in-flight cap do not count). */
  readonly maxRequests: number;
  /** Hard bound on run time, ms. */
  readonly maxDurationMs: number;
  /** Cap on requests in flight. @default 64 */
  readonly maxInFlight?: number;
  /** Per-request timeout, ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** A running load: `stop()` ends the schedule and waits for the requests in flight. */
export class SteadyLoad {
  private readonly acked: Ack[] = [];
  private readonly statuses: Record<number, number> = {};
  private sent = 0;
  private dropped = 0;
  private inFlight = 0;
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;
  /** The schedule has ended and every request answered. */
  private over = false;
  private readonly started = Date.now();
  private readonly done: Promise<void>;

  constructor(private readonly options: SteadyLoadOptions) {
    this.done = this.schedule().then(async () => {
      await Promise.all([...this.pending]);
      this.over = true;
    });
  }

  get ackedCount(): number {
    return this.acked.length;
  }

  private async schedule(): Promise<void> {
    const interval = 1000 / this.options.ratePerSecond;
    for (let i = 0; !this.stopped && this.sent < this.options.maxRequests; i++) {
      const due = this.started + i * interval;
      if (due - this.started > this.options.maxDurationMs) break;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.stopped) break;
      if (this.inFlight >= (this.options.maxInFlight ?? 64)) {
        this.dropped += 1;
        continue;
      }
      const request = this.register(newPerson(`chaos${i}`));
      this.pending.add(request);
      void request.finally(() => this.pending.delete(request));
    }
  }

  private async register(person: Person): Promise<void> {
    this.inFlight += 1;
    this.sent += 1;
    let status = 0;
    try {
      const response = await fetch(`${this.options.target}${PUBLIC_ROUTE_TEMPLATES.register}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(person),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      status = response.status;
      const body = (await response.json()) as { data?: { userID?: string } };
      if (status === 201 && body.data?.userID) {
        this.acked.push({ userID: body.data.userID, email: person.email, at: Date.now() - this.started });
      }
    } catch {
      // no answer (refused, reset, timeout): not acked, counted as status 0
    } finally {
      this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      this.inFlight -= 1;
    }
  }

  /** Resolves when `count` registrations were acked (or the load ended). */
  async untilAcked(count: number): Promise<void> {
    while (this.acked.length < count && !this.over) await new Promise((r) => setTimeout(r, 50));
  }

  async stop(): Promise<LoadTally> {
    this.stopped = true;
    await this.done;
    await Promise.all([...this.pending]);
    return { acked: [...this.acked], statuses: { ...this.statuses }, sent: this.sent, dropped: this.dropped };
  }
}
