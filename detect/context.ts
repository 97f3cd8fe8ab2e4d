import { SecretKind } from "./types";

/** A candidate finding before overlaps are resolved. Rules run in priority order; earlier candidates win overlaps. */
export interface Candidate {
    kind: SecretKind;
    description: string;
    start: number;
    end: number;
}

/** Bounds the work and the output on pathological input (a megabyte of one repeated credential). */
export const MAX_CANDIDATES = 2000;

/**
 * Per-call state shared by the rules: the text, the optional field name, the candidates, and a cache of
 * "query segments" (maximal runs without whitespace or quotes) so that rules which need to look around a
 * match (SAS: is there an `se=` or `sv=` in the same URL?) stay linear however many matches there are.
 */
export class ScanContext {
    readonly candidates: Candidate[] = [];
    private readonly caches = {
        token: new SegmentCache(isTokenBoundary),
        line: new SegmentCache(isLineBoundary),
    };

    constructor(
        readonly text: string,
        readonly key: string | undefined,
    ) {}

    get full(): boolean {
        return this.candidates.length >= MAX_CANDIDATES;
    }

    add(kind: SecretKind, description: string, start: number, end: number): void {
        if (this.full || end <= start) return;
        this.candidates.push({ kind, description, start, end });
    }

    /** Text around [start, end), clipped to the input; `before` and `after` are small constants, so each call is O(1). */
    around(start: number, end: number, before: number, after: number): string {
        return this.text.slice(Math.max(0, start - before), Math.min(this.text.length, end + after));
    }

    /**
     * Whether the segment holding `pos` matches `re` (tested once per segment and cached). A "token" segment is a
     * maximal run without whitespace or quotes (one URL or query string); a "line" segment runs between line
     * breaks. Callers ask with non-decreasing positions within one rule and call `resetSegments()` first; each
     * segment is then scanned once per question, so the total work stays linear in the text.
     */
    segmentMatches(pos: number, segment: "token" | "line", name: string, re: RegExp): boolean {
        return this.caches[segment].matches(this.text, pos, name, re);
    }

    resetSegments(): void {
        this.caches.token.reset();
        this.caches.line.reset();
    }
}

class SegmentCache {
    private start = 0;
    private end = -1;
    private flags = new Map<string, boolean>();

    constructor(private readonly isBoundary: (c: number) => boolean) {}

    reset(): void {
        this.start = 0;
        this.end = -1;
        this.flags = new Map();
    }

    matches(text: string, pos: number, name: string, re: RegExp): boolean {
        if (pos < this.start || pos >= this.end) {
            // Moving forward, the previous segment's end is a boundary: never scan back past it.
            const floor = pos >= this.end && this.end >= 0 ? this.end : 0;
            let s = pos;
            while (s > floor && !this.isBoundary(text.charCodeAt(s - 1))) s--;
            let e = pos;
            while (e < text.length && !this.isBoundary(text.charCodeAt(e))) e++;
            this.start = s;
            this.end = e;
            this.flags = new Map();
        }
        let v = this.flags.get(name);
        if (v === undefined) {
            re.lastIndex = 0;
            v = re.test(text.slice(this.start, this.end));
            this.flags.set(name, v);
        }
        return v;
    }
}

function isTokenBoundary(c: number): boolean {
    // whitespace, quotes, backtick, angle brackets
    return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62;
}

function isLineBoundary(c: number): boolean {
    return c === 10 || c === 13;
}
