/** Recommended Kubernetes labels; `app.kubernetes.io/name` is also what selectors and NetworkPolicies match on. */
export function appLabels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'scalefu',
    'app.kubernetes.io/managed-by': 'cdk8s',
  };
}

/** The stable subset used in selectors (selectors are immutable on Deployments, so keep them minimal). */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** Throws a construct validation error naming the construct and the offending prop. */
export function invalid(construct: string, message: string): never {
  throw new Error(`${construct}: ${message}`);
}

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

/** Kubernetes resource quantity check, so a typo fails at synth rather than at apply. */
export function assertQuantity(construct: string, field: string, value: string): void {
  if (!QUANTITY.test(value)) invalid(construct, `${field} "${value}" is not a Kubernetes quantity (e.g. 250m, 1Gi)`);
}
