import type { Logger } from './logger';

interface StopStep {
  readonly name: string;
  readonly stop: () => Promise<void>;
}

/**
 * Orderly shutdown: steps registered while starting run in reverse on SIGTERM/SIGINT (HTTP stops accepting,
 * consumers finish and commit, the producer flushes, pools close), bounded by a deadline after which the
 * process exits anyway so Kubernetes never has to SIGKILL a hung pod.
 */
export class ServiceLifecycle {
  private readonly steps: StopStep[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  /** Register how to stop something just started; stops run last-registered first. */
  onStop(name: string, stop: () => Promise<void>): void {
    this.steps.push({ name, stop });
  }

  /** Exit cleanly on SIGTERM/SIGINT, and log-then-exit on an unexpected crash. */
  installSignalHandlers(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void this.shutdown(signal).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
    process.on('unhandledRejection', (reason) => {
      this.logger.fatal({ err: reason }, 'unhandled rejection');
      void this.shutdown('unhandledRejection').finally(() => process.exit(1));
    });
  }

  shutdown(reason: string): Promise<void> {
    this.stopping ??= this.runSteps(reason);
    return this.stopping;
  }

  private async runSteps(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    const deadline = setTimeout(() => {
      this.logger.error({ timeout_ms: this.timeoutMs }, 'shutdown deadline passed, exiting');
      process.exit(1);
    }, this.timeoutMs);
    deadline.unref();
    for (const step of [...this.steps].reverse()) {
      try {
        await step.stop();
        this.logger.debug({ step: step.name }, 'stopped');
      } catch (error) {
        this.logger.warn({ err: error, step: step.name }, 'stop step failed');
      }
    }
    clearTimeout(deadline);
    this.logger.info('stopped');
  }
}
