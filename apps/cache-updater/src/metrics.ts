import { Counter, type Registry } from 'prom-client';

export class CacheUpdaterMetrics {
  readonly changes: Counter<'topic' | 'outcome'>;

  constructor(registry: Registry) {
    this.changes = new Counter({
      name: 'scalefu_cache_updater_changes_total',
      help: 'Events applied to the Redis cache by topic and outcome (applied, stale, kept, removed, tombstoned)',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    });
  }
}
