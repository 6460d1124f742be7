/**
 * Reading the SMTP catcher's inbox (mailpit's REST API at `MAIL_WEB_URL`), for the tests, the bench and the load
 * runs: one client, so a change of catcher changes one file.
 */

/** One caught mail as listed (no bodies). */
export interface CaughtMail {
  /** The catcher's id, for `mailDetail`. */
  readonly id: string;
  /** Recipients, lower-case. */
  readonly to: readonly string[];
  /** Message-ID header without the angle brackets. */
  readonly messageId: string;
  readonly subject: string;
  /** When the catcher received it (milliseconds). */
  readonly receivedAtMs: number;
}

/** One caught mail with its bodies. */
export interface CaughtMailDetail extends CaughtMail {
  readonly text: string;
  readonly html: string;
}

interface Address {
  Address: string;
}

interface Summary {
  ID: string;
  MessageID: string;
  To: Address[] | null;
  Subject: string;
  Created: string;
}

interface ListPage {
  total: number;
  messages_count?: number;
  messages: Summary[];
}

/** Page size of one list request; the list is read page by page, newest first. */
const PAGE = 5000;

function caught(summary: Summary): CaughtMail {
  return {
    id: summary.ID,
    to: (summary.To ?? []).map((t) => t.Address.toLowerCase()),
    messageId: summary.MessageID,
    subject: summary.Subject,
    receivedAtMs: Date.parse(summary.Created),
  };
}

async function getJson<T>(url: URL): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url.pathname} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function pages(webUrl: string, pathname: string, query: Record<string, string>): Promise<CaughtMail[]> {
  const mails: CaughtMail[] = [];
  for (let start = 0; ; start += PAGE) {
    const url = new URL(pathname, webUrl);
    for (const [key, value] of Object.entries({ ...query, start: String(start), limit: String(PAGE) })) {
      url.searchParams.set(key, value);
    }
    const page = await getJson<ListPage>(url);
    mails.push(...page.messages.map(caught));
    if (page.messages.length < PAGE) return mails;
  }
}

/** Every mail the catcher holds. */
export function allMails(webUrl: string): Promise<CaughtMail[]> {
  return pages(webUrl, '/api/v1/messages', {});
}

/** Mails to exactly `address` (case-insensitive), bodies included. */
export async function mailsTo(webUrl: string, address: string): Promise<CaughtMailDetail[]> {
  const wanted = address.toLowerCase();
  const found = await pages(webUrl, '/api/v1/search', { query: `to:"${address}"` });
  const exact = found.filter((m) => m.to.includes(wanted));
  return Promise.all(exact.map((m) => mailDetail(webUrl, m)));
}

/** The bodies of one listed mail. */
export async function mailDetail(webUrl: string, mail: CaughtMail): Promise<CaughtMailDetail> {
  const detail = await getJson<{ Text: string; HTML: string }>(new URL(`/api/v1/message/${mail.id}`, webUrl));
  return { ...mail, text: detail.Text, html: detail.HTML };
}

/** Message-ID of every delivery, per recipient among `addresses` (the catcher keeps each delivery, even repeats). */
export async function messageIdsTo(webUrl: string, addresses: Iterable<string>): Promise<Map<string, string[]>> {
  const wanted = new Set([...addresses].map((a) => a.toLowerCase()));
  const ids = new Map<string, string[]>();
  for (const mail of await allMails(webUrl)) {
    for (const to of mail.to) if (wanted.has(to)) ids.set(to, [...(ids.get(to) ?? []), mail.messageId]);
  }
  return ids;
}

/** Deliveries per recipient among `addresses`. */
export async function countMailsTo(webUrl: string, addresses: Iterable<string>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const [address, ids] of await messageIdsTo(webUrl, addresses)) counts.set(address, ids.length);
  return counts;
}
