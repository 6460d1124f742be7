import { dev } from './dev';
import { prod } from './prod';
import type { ClusterEnvironment, EnvironmentSettings } from './types';

export * from './gcp';
export * from './kubernetes';
export * from './names';
export * from './types';

export const ENVIRONMENT_SETTINGS: Readonly<Record<ClusterEnvironment, EnvironmentSettings>> = { dev, prod };
