import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planUserCreated } from '../domain/cache-plan';
import { applyPlan, type ConsumerDeps } from './apply';

export function userCreatedConsumer(deps: ConsumerDeps) {
  return subscribe(TOPICS.userCreated, (event, ctx) => applyPlan(deps, planUserCreated(event.data), ctx));
}
