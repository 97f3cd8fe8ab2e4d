/**
 * Small statistics and formatting helpers for the benchmarks. Pure; every figure the bench prints goes through
 * these, so that rounding and ratios read the same in every section.
 */

/** Median of the values; NaN for none. */
export function median(values: readonly number[]): number {
    if (values.length === 0) {
        return Number.NaN;
    }
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0-100) by linear interpolation between closest ranks; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) {
        return Number.NaN;
    }
    if (p < 0 || p > 100) {
        throw new Error(`percentile must be within 0-100; got ${p}`);
    }
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p / 100) * (sorted.length - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function sum(values: readonly number[]): number {
    return values.reduce((total, value) => total + value, 0);
}

/** `a / b`, or NaN when `b` is 0 or either is not finite. */
export function ratio(a: number, b: number): number {
    return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}

/**
 * How a size step scales against linear: `growth` is time(large) / time(small), `linear` is large / small, and
 * `vsLinear` is growth / linear (1 = linear, 2 = twice what linear predicts).
 */
export function growth(small: { size: number; value: number }, large: { size: number; value: number }): { growth: number; linear: number; vsLinear: number } {
    const g = ratio(large.value, small.value);
    const linear = ratio(large.size, small.size);
    return { growth: g, linear, vsLinear: ratio(g, linear) };
}

/** Rounds to `digits` significant digits (for JSON figures that should not carry timer noise). */
export function round(value: number, digits = 3): number {
    if (!Number.isFinite(value) || value === 0) {
        return value;
    }
    const magnitude = Math.floor(Math.log10(Math.abs(value)));
    const factor = 10 ** (digits - 1 - magnitude);
    return Math.round(value * factor) / factor;
}

export function formatMs(ms: number): string {
    if (!Number.isFinite(ms)) {
        return "-";
    }
    if (ms >= 10_000) {
        return `${(ms / 1000).toFixed(1)} s`;
    }
    if (ms >= 1000) {
        return `${(ms / 1000).toFixed(2)} s`;
    }
    if (ms >= 10) {
        return `${ms.toFixed(0)} ms`;
    }
    if (ms >= 0.1) {
        return `${ms.toFixed(2)} ms`;
    }
    return `${(ms * 1000).toFixed(1)} µs`;
}

export function formatMb(mb: number): string {
    return Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : "-";
}

export function formatRatio(value: number): string {
    if (!Number.isFinite(value)) {
        return "-";
    }
    return value >= 10 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

export function formatRate(value: number, unit: string): string {
    if (!Number.isFinite(value)) {
        return "-";
    }
    return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

export function formatPercent(value: number): string {
    return Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : "-";
}

/**
 * A Markdown-compatible table with padded columns: readable on a terminal and pasteable into a README.
 * Columns whose every cell (after the header) looks numeric are right-aligned.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const width = header.length;
    for (const row of rows) {
        if (row.length !== width) {
            throw new Error(`table row has ${row.length} cells; the header has ${width}`);
        }
    }
    const numeric = header.map((_, column) => rows.length > 0 && rows.every((row) => /^[-+]?[\d.,]+|^-$/.test(row[column].trim())));
    const widths = header.map((cell, column) => Math.max(cell.length, 3, ...rows.map((row) => row[column].length)));
    const line = (cells: readonly string[]) =>
        `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(" | ")} |`;
    const rule = `|${widths.map((w, column) => (numeric[column] ? `${"-".repeat(w + 1)}:` : `${"-".repeat(w + 2)}`)).join("|")}|`;
    return [line(header), rule, ...rows.map(line)].join("\n");
}
