/** Every property runs at least this many generated cases (issue 10: ≥ 1,000 each). */
export const RUNS = 1_000;
