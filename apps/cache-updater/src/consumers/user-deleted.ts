import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planUserDeleted } from '../domain/cache-plan';
import { applyPlan, type ConsumerDeps } from './apply';

export function userDeletedConsumer(deps: ConsumerDeps) {
  return subscribe(TOPICS.userDeleted, (event, ctx) => applyPlan(deps, planUserDeleted(event.data), ctx));
}
