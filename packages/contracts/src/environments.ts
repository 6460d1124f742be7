/** Where ScaleFu runs: the one-machine local stack, and the two GKE clusters. */
export const ENVIRONMENTS = ['local', 'dev', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export type PerEnvironment<T> = Readonly<Record<Environment, T>>;
