/** Helm values of the pinned operators; only what ScaleFu needs to differ from the chart defaults, with the reason. */
import { WORKLOAD_KSAS, type EnvironmentNames } from '../../environments/index';
import { APP_NAMESPACE, type OperatorId } from '../facts';

export function operatorValues(id: OperatorId, names: EnvironmentNames): Record<string, unknown> {
  switch (id) {
    case 'strimzi':
      return {
        watchNamespaces: [APP_NAMESPACE],
        extraEnvs: [
          // Our NetworkPolicyGraph owns every policy; Strimzi's own would open listeners to all pods.
          { name: 'STRIMZI_NETWORK_POLICY_GENERATION', value: 'false' },
          // The app namespace enforces the restricted Pod Security Standard.
          { name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' },
        ],
      };
    case 'cloudnativePg':
      return { crds: { create: true } };
    case 'certManager':
      return {
        crds: { enabled: true, keep: true },
        // HTTP-01 solvers attach HTTPRoutes to the Gateway.
        config: {
          apiVersion: 'controller.config.cert-manager.io/v1alpha1',
          kind: 'ControllerConfiguration',
          enableGatewayAPI: true,
        },
      };
    case 'externalSecrets':
      return {
        installCRDs: true,
        serviceAccount: {
          name: WORKLOAD_KSAS['external-secrets'].serviceAccount,
          annotations: { 'iam.gke.io/gcp-service-account': names.workloadServiceAccounts['external-secrets'] },
        },
      };
    case 'keda':
      return {};
    case 'monitoring':
      return {
        // Pick up ServiceMonitors/PodMonitors from every namespace, not only those labelled for this release.
        prometheus: {
          prometheusSpec: {
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
          },
        },
      };
  }
}
