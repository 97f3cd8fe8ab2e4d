import * as fs from "fs";
import * as path from "path";

/** Where `plan` and `plan:diff` put their document: the `--output` file (its folder created), else stdout. */
export function writeDocument(document: string, output: string | undefined, log?: (line: string) => void): void {
    if (output) {
        fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
        fs.writeFileSync(output, document);
        log?.(`Wrote ${output}.`);
    } else {
        process.stdout.write(document);
    }
}

/** A reader that stops early (`npm run plan | head`) closes the pipe: that is not an error worth a stack trace. */
export function exitQuietlyOnClosedPipe(): void {
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") {
            process.exit(process.exitCode ?? 0);
        }
        throw error;
    });
}
