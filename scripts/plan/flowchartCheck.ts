/**
 * A checker for the Mermaid subset the plan writes, used by the tests. Mermaid's own flowchart parser needs a
 * browser DOM (DOMPurify) and `@mermaid-js/parser` has no flowchart grammar, so the tests check this grammar
 * instead: a `flowchart LR` header; node lines `ID["label"]`; edge lines `ID --> ID` or `ID -->|"label"| ID`;
 * `classDef`, `class` and `linkStyle` lines (a linkStyle index must name an edge). IDs are letters, digits and `_`, never a Mermaid keyword; every ID is declared
 * once before use; labels are quoted and hold no raw `"`, `<`, `>`, backtick or `#` outside an entity.
 */
export interface Flowchart {
    nodes: Map<string, string>;
    edges: { from: string; to: string; label?: string }[];
    problems: string[];
}

const keywords = new Set(["end", "graph", "flowchart", "subgraph", "direction", "style", "class", "classdef", "click", "linkstyle", "default", "call", "href"]);
const id = "[A-Za-z][A-Za-z0-9_]*";
const label = '"([^"]*)"';
const nodeLine = new RegExp(`^  (${id})\\[${label}\\]$`);
const edgeLine = new RegExp(`^  (${id}) -->(?:\\|${label}\\|)? (${id})$`);
const classDefLine = /^ {2}classDef [A-Za-z][A-Za-z0-9_]* [a-z-]+:[^;\s]+(,[a-z-]+:[^;\s]+)*$/;
const classLine = new RegExp(`^  class (${id}(?:,${id})*) [A-Za-z][A-Za-z0-9_]*$`);
const linkStyleLine = /^ {2}linkStyle (\d+(?:,\d+)*) [a-z-]+:[^;\s]+(,[a-z-]+:[^;\s]+)*$/;

function labelProblem(text: string): string | undefined {
    if (/[<>`]/.test(text)) {
        return "holds a raw <, > or backtick";
    }
    if (/#(?!(quot|lt|gt|amp|\d+);)/.test(text)) {
        return "holds a # that is not an entity";
    }
    return undefined;
}

export function checkFlowchart(source: string): Flowchart {
    const nodes = new Map<string, string>();
    const edges: Flowchart["edges"] = [];
    const problems: string[] = [];
    const lines = source.split("\n");
    if (lines[0] !== "flowchart LR") {
        problems.push(`line 1: expected "flowchart LR", got ${JSON.stringify(lines[0])}`);
    }
    const checkId = (where: string, name: string) => {
        if (keywords.has(name.toLowerCase())) {
            problems.push(`${where}: ID ${name} is a Mermaid keyword`);
        }
    };
    lines.slice(1).forEach((line, i) => {
        const where = `line ${i + 2}`;
        let match: RegExpExecArray | null;
        if ((match = nodeLine.exec(line))) {
            checkId(where, match[1]);
            if (nodes.has(match[1])) {
                problems.push(`${where}: node ${match[1]} declared twice`);
            }
            nodes.set(match[1], match[2]);
            const problem = labelProblem(match[2]);
            if (problem) {
                problems.push(`${where}: label of ${match[1]} ${problem}`);
            }
        } else if ((match = edgeLine.exec(line))) {
            const [, from, text, to] = match;
            for (const end of [from, to]) {
                checkId(where, end);
                if (!nodes.has(end)) {
                    problems.push(`${where}: edge uses undeclared node ${end}`);
                }
            }
            if (text !== undefined && labelProblem(text)) {
                problems.push(`${where}: edge label ${labelProblem(text)}`);
            }
            edges.push({ from, to, ...(text !== undefined ? { label: text } : {}) });
        } else if ((match = classLine.exec(line))) {
            for (const member of match[1].split(",")) {
                if (!nodes.has(member)) {
                    problems.push(`${where}: class names undeclared node ${member}`);
                }
            }
        } else if ((match = linkStyleLine.exec(line))) {
            for (const index of match[1].split(",").map(Number)) {
                if (index >= edges.length) {
                    problems.push(`${where}: linkStyle names edge ${index}, but only ${edges.length} edges come before it`);
                }
            }
        } else if (!classDefLine.test(line)) {
            problems.push(`${where}: not a node, edge, classDef or class line: ${JSON.stringify(line)}`);
        }
    });
    return { nodes, edges, problems };
}
