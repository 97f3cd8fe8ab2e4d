import * as path from "path";
import { runStackOffline } from "./offline/stack";
import { evaluatedResources } from "./offline/evaluate";
import * as fs from "fs";
(async () => {
    for (const stack of ["dev", "prod"]) {
        const run = await runStackOffline("/work/wt14", stack);
        const res = evaluatedResources(run.resources.filter((r) => r.custom));
        fs.writeFileSync(`/tmp/wt14/${stack}.json`, JSON.stringify(res, null, 1));
        console.log(stack, res.length);
        for (const r of res) console.log("  ", r.type, r.name);
    }
})();
