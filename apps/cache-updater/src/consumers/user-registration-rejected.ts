import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planRegistrationRejected } from '../domain/cache-plan';
import { applyPlan, applyPlans, type ConsumerDeps } from './apply';

export function userRegistrationRejectedConsumer(deps: ConsumerDeps) {
  return subscribe(
    TOPICS.registrationRejected,
    (event, ctx) => applyPlan(deps, planRegistrationRejected(event.data), ctx),
    (items, ctx) =>
      applyPlans(
        deps,
        items.map((i) => planRegistrationRejected(i.event.data)),
        ctx,
      ),
  );
}
