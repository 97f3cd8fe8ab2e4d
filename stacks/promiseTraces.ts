/**
 * The Pulumi SDK (`debuggablePromise` in @pulumi/pulumi/runtime/debuggable.js) formats a stack trace for every
 * promise it creates, four per output property of every resource, and keeps the string on the promise. It reads
 * the string only to print leaked promises when `PULUMI_DEBUG_PROMISE_LEAKS` is set (`leakedPromises` in the same
 * file). Formatting goes through the source-map hook that the language host and ts-node install, so at 100
 * workloads it took about a third of the program's CPU time and most of its memory (`npm run bench`).
 *
 * `skipUnreadPromiseTraces` wraps the installed `Error.prepareStackTrace`: a trace whose top frame is that SDK
 * function becomes the bare error line; every other error (the program's own, the SDK's resource source
 * positions in `Resource.callsites`) is formatted exactly as before. With `PULUMI_DEBUG_PROMISE_LEAKS` set, nothing
 * changes, so the leak report keeps its traces.
 */

type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const marker = Symbol.for("keyless.skipUnreadPromiseTraces");
const sdkFile = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;

/** Whether a trace is the one `debuggablePromise` takes for itself. */
export function isUnreadPromiseTrace(frames: readonly NodeJS.CallSite[]): boolean {
    const top = frames[0];
    return top !== undefined && top.getFunctionName() === "debuggablePromise" && sdkFile.test(top.getFileName() ?? "");
}

/**
 * Installs the wrapper on `errorClass` (the realm's `Error`; a test runner gives each test file its own). Does
 * nothing when the leak report is asked for, when no hook is installed (V8's own formatting is native and cheap)
 * or when the wrapper is already there. Returns whether the wrapper is in place.
 */
export function skipUnreadPromiseTraces(errorClass: ErrorConstructor = Error, env: NodeJS.ProcessEnv = process.env): boolean {
    const current = errorClass.prepareStackTrace as (Prepare & { [marker]?: true }) | undefined;
    if (env.PULUMI_DEBUG_PROMISE_LEAKS || typeof current !== "function") {
        return false;
    }
    if (current[marker]) {
        return true;
    }
    const wrapped: Prepare & { [marker]?: true } = function (this: unknown, error, frames) {
        return isUnreadPromiseTrace(frames) ? String(error) : current.call(this, error, frames);
    };
    wrapped[marker] = true;
    errorClass.prepareStackTrace = wrapped as typeof errorClass.prepareStackTrace;
    return true;
}
