import type { EnvironmentSettings } from './types';

/** dev: small, cheap, one zone's worth of everything that can be; same code as prod. */
export const dev: EnvironmentSettings = {
  name: 'dev',
  projectId: 'scalefu-dev',
  region: 'asia-southeast1',
  zones: ['asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c'],
  clusterName: 'scalefu-dev',
  dnsDomain: 'dev.scalefu.jadepalace.co.th',
  // release-digests:begin (written by scripts/release.ts; do not edit by hand)
  imageTag: '0.1.0',
  imageDigests: {},
  // release-digests:end
  controlPlaneCidr: '172.16.0.0/28',
};
