import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METRICS } from '@scalefu/contracts';
import { ServiceMetrics } from '@scalefu/service-kit';
import { v7 as uuidv7 } from 'uuid';
import { UserMetrics } from './metrics';

test('observes accept -> CONFIRMED from the time inside the UUIDv7 userID', async () => {
  const kit = new ServiceMetrics('user');
  const metrics = new UserMetrics(kit);
  const acceptedAt = Date.UTC(2026, 0, 1, 12, 0, 0);
  metrics.confirmed(uuidv7({ msecs: acceptedAt }), acceptedAt + 320);
  const text = await kit.registry.metrics();
  assert.match(text, new RegExp(`^${METRICS.endToEnd.name}_sum\\{service="user"\\} 0\\.32$`, 'm'));
  assert.match(text, new RegExp(`^${METRICS.endToEnd.name}_bucket\\{le="0\\.3",service="user"\\} 0$`, 'm'));
  assert.match(text, new RegExp(`^${METRICS.endToEnd.name}_bucket\\{le="0\\.35",service="user"\\} 1$`, 'm'));
});

test('skips an id that is not a UUIDv7 instead of observing a nonsense latency', async () => {
  const kit = new ServiceMetrics('user');
  const metrics = new UserMetrics(kit);
  assert.equal(metrics.confirmed('00000000-0000-4000-8000-000000000000'), false);
  assert.match(await kit.registry.metrics(), new RegExp(`^${METRICS.endToEnd.name}_count\\{service="user"\\} 0$`, 'm'));
});
