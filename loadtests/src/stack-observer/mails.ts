import { allMails, type CaughtMail } from '../../../scripts/lib/stack/mail-inbox';

export type { CaughtMail };

/** Every mail in the SMTP catcher (`MAIL_WEB_URL`) addressed to a recipient containing `marker`. */
export async function mailsMatching(mailWebUrl: string, marker: string): Promise<CaughtMail[]> {
  const needle = marker.toLowerCase();
  return (await allMails(mailWebUrl)).filter((m) => m.to.some((a) => a.includes(needle)));
}
