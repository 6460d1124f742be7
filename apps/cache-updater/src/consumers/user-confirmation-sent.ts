import { TOPICS } from '@scalefu/contracts';
import { subscribe } from '@scalefu/service-kit';
import { planConfirmationSent } from '../domain/cache-plan';
import { applyPlan, type ConsumerDeps } from './apply';

export function userConfirmationSentConsumer(deps: ConsumerDeps) {
  return subscribe(TOPICS.confirmationSent, (event, ctx) => applyPlan(deps, planConfirmationSent(event.data), ctx));
}
