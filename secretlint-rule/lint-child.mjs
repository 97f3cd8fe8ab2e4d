// Runs the rule through @secretlint/core (ES modules only) in a plain Node process, for the tests: reads
// {"content", "allowMessageIds"?} on stdin, prints secretlint's messages as JSON.
import { createRequire } from "node:module";
import { lintSource } from "@secretlint/core";

const require = createRequire(import.meta.url);
require("ts-node").register({ transpileOnly: true });
const { creator } = require("./index.ts");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { content, allowMessageIds } = JSON.parse(input);
const result = await lintSource({
    source: { filePath: "/work/sample.txt", content, contentType: "text" },
    options: { config: { rules: [{ id: creator.meta.id, rule: creator, ...(allowMessageIds ? { allowMessageIds } : {}) }] } },
});
process.stdout.write(JSON.stringify(result.messages));
