import type { EnvironmentSettings } from './types';

/** prod: three zones, real replication, deletion protection. */
export const prod: EnvironmentSettings = {
  name: 'prod',
  projectId: 'scalefu-prod',
  region: 'asia-southeast1',
  zones: ['asia-southeast1-a', 'asia-southeast1-b', 'asia-southeast1-c'],
  clusterName: 'scalefu-prod',
  dnsDomain: 'scalefu.jadepalace.co.th',
  // release-digests:begin (written by scripts/release.ts; do not edit by hand)
  imageTag: '0.1.0',
  imageDigests: {},
  // release-digests:end
  controlPlaneCidr: '172.16.0.16/28',
};
