import { isUnreadPromiseTrace, skipUnreadPromiseTraces } from "./promiseTraces";

/** A call site as V8 hands it to `Error.prepareStackTrace`, with only what the check reads. */
function frame(functionName: string | null, fileName: string | undefined): NodeJS.CallSite {
    return { getFunctionName: () => functionName, getFileName: () => fileName } as unknown as NodeJS.CallSite;
}

const sdkFile = "/repo/node_modules/@pulumi/pulumi/runtime/debuggable.js";

/** A stand-in for a realm's `Error` whose hook records what it formatted. */
function realm(): { errorClass: ErrorConstructor; formatted: string[] } {
    const formatted: string[] = [];
    const errorClass = {
        prepareStackTrace: (error: Error, frames: NodeJS.CallSite[]) => {
            formatted.push(String(error));
            return `${String(error)}\n${frames.map((f) => `    at ${f.getFunctionName()} (${f.getFileName()})`).join("\n")}`;
        },
    } as unknown as ErrorConstructor;
    return { errorClass, formatted };
}

describe("isUnreadPromiseTrace", () => {
    it("is the trace the SDK's debuggablePromise takes for itself", () => {
        expect(isUnreadPromiseTrace([frame("debuggablePromise", sdkFile), frame("transferProperties", "/x/rpc.js")])).toBe(true);
        expect(isUnreadPromiseTrace([frame("debuggablePromise", "C:\\repo\\node_modules\\@pulumi\\pulumi\\runtime\\debuggable.js")])).toBe(true);
    });

    it("is no other trace: the program's own functions, or a function of that name elsewhere", () => {
        expect(isUnreadPromiseTrace([])).toBe(false);
        expect(isUnreadPromiseTrace([frame("callsites", "/repo/node_modules/@pulumi/pulumi/resource.js")])).toBe(false);
        expect(isUnreadPromiseTrace([frame("debuggablePromise", "/repo/stacks/environment.ts")])).toBe(false);
        expect(isUnreadPromiseTrace([frame(null, undefined)])).toBe(false);
    });
});

describe("skipUnreadPromiseTraces", () => {
    it("turns the SDK's per-promise trace into the bare error line without calling the source-map hook", () => {
        const { errorClass, formatted } = realm();
        expect(skipUnreadPromiseTraces(errorClass, {})).toBe(true);
        const prepare = errorClass.prepareStackTrace!;
        expect(prepare(new Error(), [frame("debuggablePromise", sdkFile)])).toBe("Error");
        expect(formatted).toEqual([]);
    });

    it("formats every other error through the hook that was installed, unchanged", () => {
        const { errorClass, formatted } = realm();
        skipUnreadPromiseTraces(errorClass, {});
        const stack = errorClass.prepareStackTrace!(new Error("vault name taken"), [frame("deploy", "/repo/stacks/environment.ts")]);
        expect(stack).toBe("Error: vault name taken\n    at deploy (/repo/stacks/environment.ts)");
        expect(formatted).toEqual(["Error: vault name taken"]);
    });

    it("keeps the traces when the leak report is asked for (PULUMI_DEBUG_PROMISE_LEAKS)", () => {
        const { errorClass } = realm();
        const before = errorClass.prepareStackTrace;
        expect(skipUnreadPromiseTraces(errorClass, { PULUMI_DEBUG_PROMISE_LEAKS: "1" })).toBe(false);
        expect(errorClass.prepareStackTrace).toBe(before);
    });

    it("leaves V8's own formatting alone when no hook is installed, and wraps a hook only once", () => {
        const bare = {} as ErrorConstructor;
        expect(skipUnreadPromiseTraces(bare, {})).toBe(false);
        expect(bare.prepareStackTrace).toBeUndefined();
        const { errorClass } = realm();
        skipUnreadPromiseTraces(errorClass, {});
        const once = errorClass.prepareStackTrace;
        expect(skipUnreadPromiseTraces(errorClass, {})).toBe(true);
        expect(errorClass.prepareStackTrace).toBe(once);
    });

    it("applies to the SDK's own promises in this process, and not to the program's errors", () => {
        // The test runner installs a source-map hook on this file's Error, as the language host does.
        expect(typeof Error.prepareStackTrace).toBe("function");
        skipUnreadPromiseTraces();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> };
        const promise = Promise.resolve(1);
        void debuggablePromise(promise, "test");
        expect((promise as unknown as { _debugStackTrace: string })._debugStackTrace).toBe("Error");
        expect(new Error("own").stack).toMatch(/^Error: own\n\s+at .*promiseTraces\.test\.ts/);
    });
});
