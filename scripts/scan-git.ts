import { execFileSync } from "child_process";

/**
 * What the repository scanner asks git: the files it tracks (and, on request, the untracked ones `.gitignore` does
 * not exclude), and every commit's added lines. Paths are relative to `root`, with `/` separators.
 */

const MAX_GIT_OUTPUT = 1024 * 1024 * 1024;

function git(root: string, args: string[]): string {
    return execFileSync("git", ["-C", root, "-c", "core.quotePath=false", ...args], { encoding: "utf8", maxBuffer: MAX_GIT_OUTPUT, stdio: ["ignore", "pipe", "pipe"] });
}

/** True when `root` is inside a git work tree. */
export function isGitWorkTree(root: string): boolean {
    try {
        return git(root, ["rev-parse", "--is-inside-work-tree"]).trim() === "true";
    } catch {
        return false;
    }
}

/** Tracked files under `root` (and untracked, not ignored ones with `untracked`), sorted and unique. */
export function gitFiles(root: string, options: { untracked?: boolean } = {}): string[] {
    const args = ["ls-files", "-z", "--cached"];
    if (options.untracked) args.push("--others", "--exclude-standard");
    return [...new Set(git(root, args).split("\0").filter((f) => f.length > 0))].sort();
}

/** Lines one commit added to one file, in runs of consecutive lines (a PEM key stays whole). */
export interface AddedBlock {
    commit: string;
    file: string;
    /** 1-based line of the block's first line in the file as of that commit. */
    line: number;
    text: string;
}

/**
 * Every commit reachable from any ref, oldest first, as the blocks of lines it added. Deletions, binary files and
 * context lines are left out: a secret that was added and later removed is still found, in the commit that added it.
 */
export function* addedBlocks(root: string): Generator<AddedBlock> {
    const log = git(root, ["log", "--all", "--reverse", "-p", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", "--format=%x00commit %H"]);
    let commit = "";
    let file: string | undefined;
    let inHunk = false;
    let next = 0;
    let block: AddedBlock | undefined;
    let blockLines = 0;
    const flush = function* () {
        if (block) yield block;
        block = undefined;
    };
    for (const line of log.split("\n")) {
        if (line.startsWith("\0commit ")) {
            yield* flush();
            commit = line.slice(8).trim();
            file = undefined;
            inHunk = false;
        } else if (line.startsWith("diff --git ")) {
            yield* flush();
            file = undefined;
            inHunk = false;
        } else if (!inHunk && line.startsWith("+++ ")) {
            const target = line.slice(4);
            file = target === "/dev/null" ? undefined : target.replace(/^b\//, "");
        } else if (line.startsWith("@@ ")) {
            yield* flush();
            const m = /^@@ -[0-9,]+ \+([0-9]+)/.exec(line);
            next = m ? Number(m[1]) : 0;
            inHunk = file !== undefined && m !== null;
        } else if (inHunk && line.startsWith("+")) {
            if (block && block.line + blockLines === next) block.text += `\n${line.slice(1)}`;
            else {
                yield* flush();
                block = { commit, file: file!, line: next, text: line.slice(1) };
                blockLines = 0;
            }
            blockLines++;
            next++;
        } else if (inHunk && !line.startsWith("-") && !line.startsWith("\\")) {
            // Anything else ends the hunk (the next file's header follows).
            yield* flush();
            inHunk = false;
        }
    }
    yield* flush();
}
