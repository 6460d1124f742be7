/**
 * `node:url`'s `domainToASCII` (UTS 46 → A-label, '' when refused) on the WHATWG URL parser every JavaScript runtime
 * has, so the same e-mail rules run in Node and in the admin web's browser bundle: Node's own `domainToASCII` runs the
 * same hostname-setter steps (it too stops the host at `/`, `?`, `#` and refuses `@`, `:`). `idna.test.ts` compares both on
 * generated input.
 */
export function domainToASCII(domain: string): string {
  // The URL hostname setter (what Node runs): on a host it refuses it keeps the old one, so set it on two URLs
  // with different hosts; the same answer from both is the A-label, different answers mean refused.
  const first = new URL('ws://a');
  const second = new URL('ws://b');
  first.hostname = domain;
  second.hostname = domain;
  return first.hostname === second.hostname ? first.hostname : '';
}
