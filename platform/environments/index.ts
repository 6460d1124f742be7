import { dev } from './dev';
import { prod } from './prod';
import type { ClusterEnvironment, Environment, EnvironmentSettings } from './types';

export * from './gcp';
export * from './kubernetes';
export * from './names';
export * from './types';
export { deriveEnvironment, mergeDeep } from './derive';

/** Every deployable environment, whole; `npm run synth` renders `clusters/<name>/` and the Terraform JSON of each. */
export const PLATFORM_ENVIRONMENTS: Readonly<Record<ClusterEnvironment, Environment>> = { dev, prod };

/** The settings both sides share, by environment (the release and promotion scripts read these). */
export const ENVIRONMENT_SETTINGS: Readonly<Record<ClusterEnvironment, EnvironmentSettings>> = {
  dev: dev.settings,
  prod: prod.settings,
};
