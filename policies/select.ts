/**
 * Writes a `--policy-pack-config` file that runs only the rules of some services, severities or Microsoft cloud
 * security benchmark controls:
 *
 *   npx ts-node select.ts --service web,storage --severity high,critical --control IM-1 [--level mandatory] > config.json
 *   pulumi preview --policy-pack <this directory> --policy-pack-config config.json
 */
import { selectionConfig, Selection } from "./lib/select";
import { allRules } from "./rules";

function parse(argv: string[]): { selection: Selection; level?: "mandatory" | "advisory" } {
    const selection: Selection = {};
    let level: "mandatory" | "advisory" | undefined;
    for (let i = 0; i < argv.length; i += 2) {
        const [flag, value] = [argv[i], argv[i + 1]];
        if (value === undefined || value.startsWith("--")) {
            throw new Error(`${flag} needs a value, e.g. ${flag} web,storage`);
        }
        const list = value.split(",").map((item) => item.trim()).filter((item) => item.length > 0);
        if (flag === "--service") {
            selection.services = list;
        } else if (flag === "--severity") {
            selection.severities = list;
        } else if (flag === "--control") {
            selection.controls = list;
        } else if (flag === "--level" && (value === "mandatory" || value === "advisory")) {
            level = value;
        } else {
            throw new Error(`Unknown option ${flag} ${value}; use --service, --severity, --control or --level mandatory|advisory.`);
        }
    }
    return { selection, level };
}

if (require.main === module) {
    try {
        const { selection, level } = parse(process.argv.slice(2));
        process.stdout.write(`${JSON.stringify(selectionConfig(allRules, selection, level), null, 4)}\n`);
    } catch (error) {
        console.error((error as Error).message);
        process.exit(1);
    }
}
