// What the sample estates of every simulator share.

/** The fixed "now" of the estates, so that dates in responses never change between runs. */
export const ESTATE_EPOCH = Date.UTC(2026, 10, 20, 22, 0, 0);
