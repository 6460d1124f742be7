import type { ClusterEnvironment } from '../../environments/index';
import { dev } from './dev';
import { prod } from './prod';
import type { ClusterOverlay } from './types';

export type { ClusterOverlay, ResourceSize, ServiceOverlay } from './types';

/** The overlay of each cluster; `npm run synth` renders one `clusters/<name>/` per entry. */
export const OVERLAYS: Readonly<Record<ClusterEnvironment, ClusterOverlay>> = { dev, prod };
