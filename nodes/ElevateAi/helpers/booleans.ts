/**
 * A boolean parameter set by an expression arrives as whatever the expression gave: `"true"` from
 * a JSON field, `1` from a spreadsheet. These are read as n8n itself reads booleans (true/false in
 * any case, 1/0); anything else is `undefined`, for the caller to reject naming the field, so
 * that the opposite of what was meant is never sent.
 */
export function toBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim().toLowerCase();
	if (text === 'true' || text === '1') return true;
	if (text === 'false' || text === '0') return false;
	return undefined;
}
