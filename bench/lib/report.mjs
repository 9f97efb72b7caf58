// Small statistics and text-table helpers for the bench report.

export const min = (xs) => Math.min(...xs);

export function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Bytes as MB (10^6 bytes would flatter; MB here means MiB, as `ps` and /proc count it). */
export function fmtMB(bytes, signed = false) {
	const v = bytes / (1024 * 1024);
	const text = v.toFixed(0);
	return signed && v >= 0 ? `+${text}` : text;
}

export const fmtRatio = (r) => `${r.toFixed(2)}×`;

/** A plain text table with a header rule; numeric-looking cells are right-aligned. */
export function table(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const numeric = (s) => /^[-+]?[\d.]+( \/ [-+]?[\d.]+)*$/.test(s);
	const line = (cells) =>
		cells.map((c, i) => (numeric(String(c)) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].map((l) => `  ${l.trimEnd()}`).join('\n');
}
