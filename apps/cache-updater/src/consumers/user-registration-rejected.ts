import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planRegistrationRejected } from '../domain/cache-plan';
import { applyPlan, type ConsumerDeps } from './apply';

export function userRegistrationRejectedConsumer(deps: ConsumerDeps) {
  return subscribe(TOPICS.registrationRejected, (event, ctx) =>
    applyPlan(deps, planRegistrationRejected(event.data), ctx),
  );
}
