import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SERVICE_NAMES, TOPICS } from '@scalefu/contracts';
import { PLATFORM_ENVIRONMENTS, type KubernetesSettings } from '../environments/index';
import {
  DESIGN_PEAK_PER_SECOND,
  GKE_ASSUMPTIONS,
  MEASURED_COST,
  capacityFor,
  capacityTable,
  measuredCostTable,
} from './model';

/** The one place this test reads the environments' numbers (platform/environments/{dev,prod}.ts). */
function platformNumbers(overlay: KubernetesSettings) {
  const cores = (quantity: string) =>
    quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
  return {
    podCpuCores: Object.fromEntries(SERVICE_NAMES.map((s) => [s, cores(overlay.services[s].resources.cpu.request)])),
    maxReplicas: Object.fromEntries(SERVICE_NAMES.map((s) => [s, overlay.services[s].maxReplicas])),
    brokers: overlay.kafka.brokers,
    brokerCores: cores(overlay.kafka.resources.cpu.request),
    postgresInstances: overlay.postgres.instances,
    postgresCores: cores(overlay.postgres.resources.cpu.request),
  };
}

describe('capacity model agrees with the platform', () => {
  for (const env of ['dev', 'prod'] as const) {
    const peak = DESIGN_PEAK_PER_SECOND[env];
    const numbers = platformNumbers(PLATFORM_ENVIRONMENTS[env].kubernetes);

    it(`${env}: every service may scale to the pods its design peak of ${peak}/s needs`, () => {
      const short = SERVICE_NAMES.flatMap((s) => {
        const plan = capacityFor(peak, undefined, { ...GKE_ASSUMPTIONS, podCpuCores: numbers.podCpuCores[s]! });
        return plan.pods[s] > numbers.maxReplicas[s]!
          ? [`${s}: needs ${plan.pods[s]} > maxReplicas ${numbers.maxReplicas[s]}`]
          : [];
      });
      assert.deepEqual(short, []);
    });

    it(`${env}: every consumed topic has a partition for each consumer pod of the design peak`, () => {
      const short = Object.values(TOPICS).flatMap((topic) =>
        topic.consumers.flatMap((s) => {
          const plan = capacityFor(peak, undefined, { ...GKE_ASSUMPTIONS, podCpuCores: numbers.podCpuCores[s]! });
          const partitions = PLATFORM_ENVIRONMENTS[env].kubernetes.kafka.topics.partitions[topic.load];
          return plan.pods[s] > partitions
            ? [`${topic.name}: ${s} needs ${plan.pods[s]} pods > ${partitions} partitions`]
            : [];
        }),
      );
      assert.deepEqual(short, []);
    });
  }

  it('prod: its brokers and its Postgres request carry the prod peak at the target utilisation', () => {
    const numbers = platformNumbers(PLATFORM_ENVIRONMENTS.prod.kubernetes);
    const plan = capacityFor(DESIGN_PEAK_PER_SECOND.prod, undefined, {
      ...GKE_ASSUMPTIONS,
      brokerCores: numbers.brokerCores,
    });
    assert.ok(
      numbers.brokers * numbers.brokerCores >= plan.brokerCoresNeeded,
      `${numbers.brokers} brokers × ${numbers.brokerCores} cores < ${plan.brokerCoresNeeded.toFixed(1)} cores needed`,
    );
    assert.ok(numbers.brokers >= plan.brokers, `brokers ${numbers.brokers} < ${plan.brokers}`);
    assert.equal(numbers.postgresInstances, GKE_ASSUMPTIONS.postgresInstances);
    assert.ok(
      numbers.postgresCores >= plan.postgresCores,
      `Postgres requests ${numbers.postgresCores} cores < ${plan.postgresCores} needed`,
    );
  });

  it('the model assumes the prod pod and broker sizes the platform requests', () => {
    const numbers = platformNumbers(PLATFORM_ENVIRONMENTS.prod.kubernetes);
    for (const s of SERVICE_NAMES) assert.equal(numbers.podCpuCores[s], GKE_ASSUMPTIONS.podCpuCores, s);
    assert.equal(numbers.brokerCores, GKE_ASSUMPTIONS.brokerCores);
  });

  it('docs/capacity-model.md shows the figures the model reads and the table it computes', () => {
    const doc = readFileSync(new URL('../../docs/capacity-model.md', import.meta.url), 'utf8');
    assert.ok(
      doc.includes(measuredCostTable()),
      'regenerate the input: npx tsx -e "…measuredCostTable()" (see the doc)',
    );
    assert.ok(doc.includes(capacityTable()), 'regenerate the table: npx tsx -e "…capacityTable()" (see the doc)');
  });

  it('sizes pods by the rate, not by floating-point dust (16.000000000000004 pods are 16)', () => {
    const cost = { ...MEASURED_COST, services: { ...MEASURED_COST.services, notifier: 0.56 } };
    assert.equal(capacityFor(10_000, cost).pods.notifier, 16);
    assert.equal(capacityFor(10_001, cost).pods.notifier, 17);
  });

  it('needs more of everything as the rate grows, and refuses a rate of zero', () => {
    const [small, large] = [capacityFor(1000), capacityFor(250_000)];
    for (const s of SERVICE_NAMES) assert.ok(large.pods[s] > small.pods[s], s);
    assert.ok(large.brokers > small.brokers && large.partitions > small.partitions);
    assert.throws(() => capacityFor(0), /rate must be > 0/);
  });
});
