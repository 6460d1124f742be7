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

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A memory quantity (`512Mi`, `1Gi`, `500M`) in MiB; throws on anything else, such as a CPU quantity (`250m`). */
export function memoryMebibytes(construct: string, field: string, value: string): number {
  assertQuantity(construct, field, value);
  const [, amount, unit = ''] = /^([0-9.]+)([A-Za-z]*)$/.exec(value)!;
  const perUnit = BYTES_PER_UNIT[unit];
  if (perUnit === undefined) invalid(construct, `${field} "${value}" is not a memory quantity (e.g. 512Mi, 1Gi)`);
  return (Number(amount) * perUnit) / 2 ** 20;
}
