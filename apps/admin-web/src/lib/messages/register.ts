import { FIELD_LABELS } from './person';

/** `/register`. */
export const REGISTER_MESSAGES = {
  ...FIELD_LABELS,
  registerIntro: {
    th: 'กรอกข้อมูลเพื่อสมัครเป็นสมาชิกวังหยก',
    en: 'Fill in your details to become a member of the Jade Palace.',
  },
  phoneHint: { th: 'เบอร์มือถือไทย เช่น 081 234 5678', en: 'A Thai number, e.g. 081 234 5678' },
  nationalIdHint: { th: '13 หลัก', en: '13 digits' },
  submit: { th: 'สมัคร', en: 'Register' },
  submitting: { th: 'กำลังส่ง…', en: 'Sending…' },
  fixErrors: { th: 'โปรดแก้ไขข้อมูลที่ไม่ถูกต้อง', en: 'Please correct the highlighted fields' },
  alreadyRegistered: { th: 'ข้อมูลนี้ลงทะเบียนไว้แล้ว', en: 'is already registered' },
  duplicateSummary: { th: 'มีผู้ลงทะเบียนด้วยข้อมูลนี้แล้ว', en: 'Someone is already registered with this' },
} as const;
