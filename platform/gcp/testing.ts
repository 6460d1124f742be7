/** Test helpers: synthesize a stack in memory (no GCP, no Terraform) and assert with CDKTF's matchers. */
import assert from 'node:assert/strict';
import { Testing, testingMatchers } from 'cdktf';
import { PLATFORM_ENVIRONMENTS, type ClusterEnvironment, type EnvironmentSettings } from '../environments';
import type { GcpEnvironmentConfig } from './config';
import { ScaleFuGcpStack } from './stack';

/** Synthesized Terraform JSON of one environment's stack, as `Testing.synth` returns it. */
export function synthEnv(
  name: ClusterEnvironment,
  overrides: { env?: Partial<EnvironmentSettings>; config?: Partial<GcpEnvironmentConfig> } = {},
): string {
  const env = { ...PLATFORM_ENVIRONMENTS[name].settings, ...overrides.env };
  const config = { ...PLATFORM_ENVIRONMENTS[name].gcp, ...overrides.config };
  return Testing.synth(new ScaleFuGcpStack(Testing.app(), name, { env, config }));
}

const hasResource = testingMatchers.getToHaveResourceWithProperties();

/** Asserts (with CDKTF's matcher, and its message on failure) that some resource of `type` has `properties`. */
export function assertResource(synth: string, type: string, properties: Record<string, unknown>): void {
  const result = hasResource(synth, { tfResourceType: type }, properties);
  assert.ok(result.pass, result.message);
}

/** Asserts that no resource of `type` has `properties`. */
export function assertNoResource(synth: string, type: string, properties: Record<string, unknown>): void {
  const result = hasResource(synth, { tfResourceType: type }, properties);
  assert.ok(!result.pass, result.message);
}

/** Every resource of `type` in the synth, for "all of them must..." assertions the matchers cannot express. */
export function resourcesOf(synth: string, type: string): Record<string, unknown>[] {
  const parsed = JSON.parse(synth) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return Object.values(parsed.resource?.[type] ?? {});
}

/** The single resource of `type`; fails if there is not exactly one. */
export function onlyResourceOf(synth: string, type: string): Record<string, unknown> {
  const all = resourcesOf(synth, type);
  assert.equal(all.length, 1, `expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** Terraform address (`type.logical_id`) of the one resource of `type` whose `field` equals `value`. */
export function addressOf(synth: string, type: string, field: string, value: unknown): string {
  const parsed = JSON.parse(synth) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const hits = Object.entries(parsed.resource?.[type] ?? {}).filter(([, r]) => r[field] === value);
  assert.equal(hits.length, 1, `expected one ${type} with ${field}=${String(value)}, found ${hits.length}`);
  return `${type}.${hits[0]![0]}`;
}
