import type { Static, TSchema } from 'typebox';
import { EVENT_TYPES, type EventType } from '../events';
import {
  ConfirmationSentData,
  RegistrationRejectedData,
  RegistrationRequestedData,
  UserChangedData,
  UserDeletedData,
} from './events';

export * from './api';
export * from './common';
export * from './events';

/** Payload schema of every event type: producers and consumers validate `data` against it. */
export const EVENT_DATA_SCHEMAS = {
  [EVENT_TYPES.registrationRequested]: RegistrationRequestedData,
  [EVENT_TYPES.userCreated]: UserChangedData,
  [EVENT_TYPES.userUpdated]: UserChangedData,
  [EVENT_TYPES.userDeleted]: UserDeletedData,
  [EVENT_TYPES.confirmationSent]: ConfirmationSentData,
  [EVENT_TYPES.registrationRejected]: RegistrationRejectedData,
} as const satisfies Record<EventType, TSchema>;

export type EventData<T extends EventType> = Static<(typeof EVENT_DATA_SCHEMAS)[T]>;
