/** One request in vegeta's JSON target format (`-format=json`): a line per target, the body base64-encoded. */
export interface VegetaTarget {
  readonly method: string;
  readonly url: string;
  /** Raw request body; encoded to base64 on the wire. */
  readonly body?: string;
  readonly header?: Readonly<Record<string, readonly string[]>>;
}

/** The target as the line vegeta reads from its stdin. */
export function encodeTarget(target: VegetaTarget): string {
  return `${JSON.stringify({
    method: target.method,
    url: target.url,
    ...(target.body !== undefined ? { body: Buffer.from(target.body, 'utf8').toString('base64') } : {}),
    ...(target.header ? { header: target.header } : {}),
  })}\n`;
}

/** A JSON POST target. */
export function jsonPost(url: string, body: unknown, header: Record<string, string[]> = {}): VegetaTarget {
  return {
    method: 'POST',
    url,
    body: JSON.stringify(body),
    header: { 'Content-Type': ['application/json'], ...header },
  };
}
