import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Links that open one page until they expire, with no password in them: an HMAC-SHA256 over the
 * path and the expiry (seconds since 1970). Query and fragment are left out, so that a signed
 * article link may still point at any paragraph; nothing else can be changed without the key.
 */
export type SignatureCheck = "valid" | "expired" | "forged";

export function signPath(key: Buffer, path: string, expires: number): string {
  return createHmac("sha256", key).update(`${path}\n${expires}`).digest("base64url");
}

export function checkPath(key: Buffer, path: string, exp: string, sig: string, now: Date): SignatureCheck {
  if (!/^\d{1,12}$/.test(exp)) return "forged";
  const expected = Buffer.from(signPath(key, path, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "forged";
  return Number(exp) * 1000 <= now.getTime() ? "expired" : "valid";
}
