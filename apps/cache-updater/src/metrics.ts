import { METRICS } from '@scalefu/contracts';
import { counterOf } from '@scalefu/service-kit';
import type { Counter, Registry } from 'prom-client';

export class CacheUpdaterMetrics {
  readonly changes: Counter<'topic' | 'outcome'>;

  constructor(registry: Registry) {
    this.changes = counterOf(registry, METRICS.cacheChanges);
  }
}
