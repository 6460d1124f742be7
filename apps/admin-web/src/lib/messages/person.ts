/** The field labels of a person and the registration statuses: the register, status and admin pages share them. */
export const FIELD_LABELS = {
  name: { th: 'ชื่อ-นามสกุล', en: 'Full name' },
  email: { th: 'อีเมล', en: 'E-mail' },
  phoneNumber: { th: 'หมายเลขโทรศัพท์', en: 'Phone number' },
  nationalId: { th: 'เลขประจำตัวประชาชน (ไม่บังคับ)', en: 'National ID (optional)' },
} as const;

export const STATUS_NAMES = {
  ACCEPTED: { th: 'รับคำขอแล้ว', en: 'Accepted' },
  CREATED: { th: 'สร้างบัญชีแล้ว', en: 'Created' },
  CONFIRMED: { th: 'ยืนยันแล้ว', en: 'Confirmed' },
  DUPLICATE: {
    th: 'ข้อมูลนี้ลงทะเบียนไว้แล้ว จึงไม่ได้สร้างบัญชีใหม่',
    en: 'These details were already registered, so no new account was made',
  },
  REJECTED: { th: 'การสมัครถูกปฏิเสธ', en: 'The registration was rejected' },
} as const;
