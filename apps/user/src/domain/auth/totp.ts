import { Secret, TOTP } from 'otpauth';
import { toString as qrToString } from 'qrcode';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30 s. */
const PERIOD_SECONDS = 30;
const ISSUER = 'ScaleFu';

function totpOf(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh 160-bit secret (RFC 4226's recommended length), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI and its QR code as SVG, for the enrolment screen. */
export async function enrolmentOf(secretBase32: string, label: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = totpOf(secretBase32, label).toString();
  return { uri, qrSvg: await qrToString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
}

/**
 * The 30 s step a code belongs to when it is valid within ±1 step of now, else undefined. The caller refuses a step
 * at or below the last one it accepted (a replay).
 */
export function matchingStep(secretBase32: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpOf(secretBase32, 'x').validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}

/** The code of a given moment (tests, and the CLI's self-check). */
export function codeAt(secretBase32: string, timestamp: number): string {
  return totpOf(secretBase32, 'x').generate({ timestamp });
}

export const TOTP_PERIOD_MS = PERIOD_SECONDS * 1000;
