/**
 * Texts every page shows (header, language switch, loading and failure states), Thai first (the default) and English;
 * one key, both languages side by side. Each page imports only the dictionaries it shows, so `/register` does not
 * ship the admin console's texts (ADR 0111).
 */
export const COMMON_MESSAGES = {
  appName: { th: 'ScaleFu วังหยก', en: 'ScaleFu Jade Palace' },
  switchLang: { th: 'English', en: 'ภาษาไทย' },
  home: { th: 'หน้าแรก', en: 'Home' },
  registerTitle: { th: 'สมัครสมาชิก', en: 'Register' },
  adminTitle: { th: 'คอนโซลผู้ดูแล', en: 'Admin console' },
  loading: { th: 'กำลังโหลด…', en: 'Loading…' },
  retry: { th: 'ลองใหม่', en: 'Retry' },
  networkError: { th: 'เชื่อมต่อไม่ได้ โปรดลองใหม่', en: 'Cannot reach the server; please try again' },
  serverError: { th: 'เกิดข้อผิดพลาด โปรดลองใหม่', en: 'Something went wrong; please try again' },
  rateLimited: {
    th: 'ส่งคำขอบ่อยเกินไป โปรดลองใหม่ในอีก {s} วินาที',
    en: 'Too many requests; try again in {s} seconds',
  },
} as const;

export type Lang = 'th' | 'en';
export const LANGS: readonly Lang[] = ['th', 'en'];

/** A dictionary: key → the text in each language. */
export type Messages = Readonly<Record<string, Readonly<Record<Lang, string>>>>;
