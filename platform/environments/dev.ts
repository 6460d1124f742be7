import { base } from './base';
import { deriveEnvironment } from './derive';

/** dev: the base's small Kubernetes sizes on cheap spot nodes, without deletion protection; same code as prod. */
export const dev = deriveEnvironment(base, {
  settings: {
    name: 'dev',
    projectId: 'scalefu-dev',
    clusterName: 'scalefu-dev',
    dnsDomain: 'dev.scalefu.jadepalace.co.th',
    controlPlaneCidr: '172.16.0.0/28',
    // release-digests:begin (written by scripts/release.ts; do not edit by hand)
    imageTag: '0.1.0',
    imageDigests: {},
    // release-digests:end
  },
  gcp: {
    flowLogSampling: 0.1,
    nodePools: [
      {
        name: 'general',
        machineType: 'e2-standard-4',
        minNodesPerZone: 1,
        maxNodesPerZone: 2,
        spot: true,
        diskSizeGb: 50,
        labels: { 'scalefu.io/pool': 'general' },
      },
    ],
    deletionProtection: false,
    immutableImageTags: false,
    backupSoftDeleteDays: 7,
  },
});
