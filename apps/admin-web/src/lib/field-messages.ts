import type { Lang } from './messages/common';

/**
 * Thai for the field messages `@scalefu/identity` and the API produce (they speak English); a message without a
 * Thai entry is shown as the API wrote it, so a new rule never shows an empty error.
 */
const THAI: readonly [RegExp, string][] = [
  [/must not be empty/, 'ต้องไม่เว้นว่าง'],
  [/must contain a letter/, 'ต้องมีตัวอักษร'],
  [/must be \d+–\d+ characters/, 'ต้องมีความยาว 2–200 ตัวอักษร'],
  [/must be at least/, 'สั้นเกินไป'],
  [/must be at most/, 'ยาวเกินไป'],
  [/may contain only letters/, "ใช้ได้เฉพาะตัวอักษร ตัวเลข ช่องว่าง และเครื่องหมาย ' - . ,"],
  [/combining marks/, 'มีวรรณยุกต์หรือสระซ้อนมากเกินไป'],
  [/valid e-mail/, 'รูปแบบอีเมลไม่ถูกต้อง'],
  [/phone number of digits/, 'ใช้ได้เฉพาะตัวเลข + ช่องว่าง หรือ -'],
  [/valid phone number/, 'หมายเลขโทรศัพท์ไม่ถูกต้อง'],
  [/Thai \(\+66\)/, 'ต้องเป็นหมายเลขโทรศัพท์ไทย (+66)'],
  [/must be 13 digits/, 'ต้องเป็นตัวเลข 13 หลัก'],
  [/check digit/, 'เลขตรวจสอบไม่ถูกต้อง'],
  [/already registered/, 'ข้อมูลนี้ลงทะเบียนไว้แล้ว'],
];

export function fieldMessage(lang: Lang, message: string): string {
  if (lang === 'en') return message;
  return THAI.find(([pattern]) => pattern.test(message))?.[1] ?? message;
}
