/**
 * The per-field checks alone, for browsers (the admin web's live validation): no Node built-in, none of the keyed
 * hashing the services do.
 */
export { checkEmail } from './email';
export { checkName, NAME_MAX_CHARACTERS, NAME_MIN_CHARACTERS } from './name';
export { checkNationalId } from './national-id';
export { checkThaiPhone } from './phone';
export type { Checked, FieldError } from './result';
