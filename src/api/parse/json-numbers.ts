// Numbers a double cannot hold, kept as the server wrote them (IDs and sizes beyond 2^53 must not change).

/**
 * JSON.parse, except that numbers a double cannot hold (beyond 2^53, more than 15 significant digits, overflowing
 * to Infinity) come back as the text the server wrote, as strings. It reads every token, so
 * callers take it only for bodies where JSON.parse met such a number (see mayBeInexact). Throws JSON.parse's errors.
 */
export function parseJsonKeepingNumbers(text: string, parsed: unknown = JSON.parse(text)): unknown {
  try {
    return JSON.parse(text.replace(STRING_OR_NUMBER, (token) => (token[0] !== '"' && isInexact(token) ? `"${token}"` : token)));
  } catch {
    return parsed;
  }
}

/** True when a number JSON.parse gave may differ from what the body wrote (then parseJsonKeepingNumbers tells). */
export function mayBeInexact(n: number): boolean {
  if (Number.isSafeInteger(n)) return false;
  if (!Number.isFinite(n) || Number.isInteger(n)) return true;
  // A double prints with at most 17 significant digits; 16 or more means the body may have had more. So may 0.
  const text = String(n);
  return text.length >= 17 || /e-/.test(text);
}

/** Strings whole (so digits in them are skipped), or number tokens. */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** True when Number(token) would not show the value the token means. */
export function isInexact(token: string): boolean {
  const n = Number(token);
  if (!Number.isFinite(n)) return true;
  const digits = token.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  if (n === 0) return digits.length > 0;
  return digits.length > 15 && String(n) !== token;
}
