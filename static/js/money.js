// Money on every screen: integer minor units (bani, cents, fils, yen) end to end, as the
// server keeps them. Typed amounts are parsed as text, digit by digit, never through a
// float; shown amounts are formatted from an exact decimal string. The currency's
// exponent (how many minor digits it has: JPY 0, RON 2, KWD 3) comes from the server
// (GET /api/v1/venue → currency_exponent); exponentOf() is the browser's own table, for a
// currency the server has not described.

const MAX_EXPONENT = 6;

/** The minor digits of an ISO 4217 currency as the browser knows them (JPY 0, KWD 3). */
export function exponentOf(currency) {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

function checkedExponent(exponent) {
  const value = Number(exponent);
  return Number.isInteger(value) && value >= 0 && value <= MAX_EXPONENT ? value : 2;
}

/**
 * What a waiter typed ("12,50", "12.5", "1 250", "500") → integer minor units, or null.
 *
 * "," and "." are both taken as the decimal separator (one of them, once); spaces are
 * ignored (a thousands gap). More decimals than the currency has, a sign, letters, or an
 * amount too large to count exactly → null.
 */
export function parseMoney(text, exponent = 2) {
  exponent = checkedExponent(exponent);
  const compact = String(text ?? "").replace(/[\s\u00a0\u202f]/g, "");
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(compact);
  if (!match) return null;
  const [, whole, fraction = ""] = match;
  if (!whole && !fraction) return null;
  if (fraction.length > exponent) return null;
  const digits = (whole + fraction.padEnd(exponent, "0")).replace(/^0+(?=\d)/, "");
  const minor = Number(digits);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 123456, 2 → "1234.56"; -5, 3 → "-0.005": the exact decimal, as text. */
export function decimalText(minor, exponent = 2) {
  exponent = checkedExponent(exponent);
  const value = Math.trunc(Number(minor) || 0);
  const digits = String(Math.abs(value)).padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${value < 0 ? "-" : ""}${whole}${exponent ? `.${fraction}` : ""}`;
}

const formats = new Map();

function numberFormat(locale, options) {
  const key = JSON.stringify([locale, options]);
  if (!formats.has(key)) {
    let format;
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      try {
        format = new Intl.NumberFormat(undefined, options);
      } catch {
        format = new Intl.NumberFormat(undefined, { ...options, style: "decimal", currency: undefined });
      }
    }
    formats.set(key, format);
  }
  return formats.get(key);
}

function bcp47(locale) {
  return locale ? String(locale).replace(/_/g, "-") : undefined;
}

/**
 * Integer minor units → "12,50 RON", "1.250 JPY", "1,234 KWD" in the venue's locale, with
 * exactly `exponent` decimals. Intl gets the exact decimal as a string (no float is made
 * for the amount; engines without string decimals read it as the nearest double, which
 * still prints the same digits at these precisions).
 */
export function formatMoney(minor, currency, exponent = 2, locale = undefined) {
  exponent = checkedExponent(exponent);
  const format = numberFormat(bcp47(locale), {
    style: "currency", currency: currency || "RON",
    minimumFractionDigits: exponent, maximumFractionDigits: exponent,
  });
  return format.format(decimalText(minor, exponent));
}

/** The amount alone, as a waiter would type it in this locale: 1550, 2, "ro-RO" → "15,50". */
export function formatAmount(minor, exponent = 2, locale = undefined) {
  exponent = checkedExponent(exponent);
  const format = numberFormat(bcp47(locale), {
    style: "decimal", useGrouping: false,
    minimumFractionDigits: exponent, maximumFractionDigits: exponent,
  });
  return format.format(decimalText(minor, exponent));
}
