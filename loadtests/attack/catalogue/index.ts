/** The whole catalogue, public cases first. Ids are unique (a unit test holds this). */
import type { AttackCase } from '../case';
import { ADMIN_CASES } from './admin';
import { PUBLIC_CASES } from './public';

export const CATALOGUE: readonly AttackCase[] = [...PUBLIC_CASES, ...ADMIN_CASES];
