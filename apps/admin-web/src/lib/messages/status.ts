import { STATUS_NAMES } from './person';

/** `/registrations/`. */
export const STATUS_MESSAGES = {
  ...STATUS_NAMES,
  statusTitle: { th: 'สถานะการสมัคร', en: 'Registration status' },
  statusMissingId: { th: 'ไม่พบรหัสการสมัครในลิงก์', en: 'The link has no registration ID' },
  statusNotFound: { th: 'ไม่พบการสมัครนี้', en: 'No such registration' },
  memberId: { th: 'รหัสสมาชิก', en: 'Member ID' },
  confirmedDone: {
    th: 'การสมัครเสร็จสมบูรณ์ เราได้ส่งอีเมลยืนยันให้คุณแล้ว',
    en: 'Your registration is complete; a confirmation e-mail is on its way',
  },
  stillWorking: { th: 'กำลังดำเนินการ…', en: 'Working on it…' },
} as const;
