/**
 * Identity adapter: the one import through which this service validates, canonicalises, hashes and masks a
 * person's identity fields. It re-exports `@scalefu/identity`, the package the onboarder uses too, so an
 * admin-created user gets exactly the dedup keys a public registration would (docs/adr/0030).
 */
export {
  canonicalEmail,
  checkEmail,
  checkName,
  checkNationalId,
  checkThaiPhone,
  maskEmail,
  maskNationalId,
  maskPhone,
  nationalIdHmac,
  type Checked,
  type CheckedEmail,
  type FieldError,
} from '@scalefu/identity';
