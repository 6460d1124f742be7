import { TOPICS } from '@scalefu/contracts';
import { AppError, NotFoundError, ValidationError, inTransaction } from '@scalefu/service-kit';
import { applyPersonChange, samePerson } from '../domain/person';
import { assertIfMatch } from '../domain/preconditions';
import { identityChanged, identityOf, toResource, type StoredUser } from '../domain/user';
import { enqueueEvent } from '../store/outbox';
import { IdentityTakenError, findUser, updatePerson } from '../store/users';
import type { RouteDeps } from './shared';

export interface PersonChange {
  name?: string | undefined;
  email?: string | undefined;
  phoneNumber?: string | undefined;
}

/**
 * The write behind PUT and PATCH: lock the row, check If-Match against its version, validate and apply the
 * editable fields, bump the version and write `user.updated` (with `previousIdentity` when a dedup key moved)
 * to the outbox, all in one transaction. A change that changes nothing writes nothing.
 */
export async function changeUser(
  deps: RouteDeps,
  userID: string,
  ifMatch: string | undefined,
  change: PersonChange,
): Promise<StoredUser> {
  return inTransaction(deps.pool, async (tx) => {
    const current = await findUser(tx, userID, true);
    if (!current) throw new NotFoundError('User');
    assertIfMatch(ifMatch, current.version, true);
    const next = applyPersonChange(current, change);
    if (!next.ok) throw new ValidationError(next.errors);
    if (samePerson(current, next.value)) return current;
    let updated: StoredUser;
    try {
      updated = await updatePerson(tx, userID, next.value);
    } catch (error) {
      if (error instanceof IdentityTakenError) throw identityConflict(error);
      throw error;
    }
    const before = identityOf(current);
    const after = identityOf(updated);
    await enqueueEvent(tx, TOPICS.userUpdated, userID, {
      user: toResource(updated),
      identity: after,
      ...(identityChanged(before, after) ? { previousIdentity: before } : {}),
    });
    return updated;
  });
}

export function identityConflict(error: IdentityTakenError): AppError {
  const field = error.field ?? 'email';
  return new AppError('CONFLICT', 'Another user already has this identity', [
    { field, message: 'is already used by another user' },
  ]);
}
