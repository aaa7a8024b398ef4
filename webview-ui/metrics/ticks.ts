// Axis tick labels that tell ticks apart at any scale: a learning rate of 2·10⁻⁴ must not read "0".
const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** Labels for ticks `splits` (ascending, evenly spaced): as many digits as the spacing needs, powers of ten for tiny or huge values. */
export function tickLabels(splits: number[]): string[] {
  const finite = splits.filter(Number.isFinite);
  const spacing = finite.length > 1 ? Math.abs(finite[1] - finite[0]) : Math.abs(finite[0] ?? 1) || 1;
  const largest = Math.max(...finite.map(Math.abs), 0);
  const spacingPower = Math.floor(Math.log10(spacing));
  if (largest !== 0 && (largest < 1e-2 || largest >= 1e5)) {
    const power = Math.floor(Math.log10(largest));
    const digits = Math.max(0, power - spacingPower);
    return splits.map((v) => (v === 0 ? '0' : scientific(v, power, digits)));
  }
  const decimals = Math.max(0, -spacingPower);
  return splits.map((v) => v.toFixed(decimals));
}

/** v as m·10ⁿ with n = `power` for every tick of an axis, so they line up: 1.5·10⁻⁴, 2·10⁻⁴, 2.5·10⁻⁴. */
function scientific(v: number, power: number, digits: number): string {
  const mantissa = (v / 10 ** power).toFixed(digits);
  return `${mantissa}·10${String(power).replace(/./g, (c) => SUPERSCRIPT[c])}`;
}
