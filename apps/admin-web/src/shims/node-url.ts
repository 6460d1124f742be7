/** Browser stand-in for `node:url`'s `domainToASCII` (IDNA → A-label), used by `@scalefu/identity`'s e-mail check. */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return '';
  }
}
