import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileExample, exampleDir, installExample } from "./consumer";
import { ExampleRun } from "./runExample";
import { Packed, packStaged, repoRoot, stagePackage } from "./stage";

interface Manifest {
    name: string;
    version: string;
    private?: boolean;
    main?: string;
    types?: string;
    exports?: Record<string, { types: string; default: string } | string>;
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
}

const componentsDir = path.join(repoRoot, "infra");
const detectDir = path.join(repoRoot, "detect");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "keyless-packages-"));
const packs = path.join(work, "packs");

let components: Packed;
let detect: Packed;

function sourceManifest(dir: string): Manifest {
    return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
}

function packedManifest(packed: Packed): Manifest {
    const out = execFileSync("tar", ["-xzOf", path.join(packs, packed.filename), "package/package.json"], { encoding: "utf8" });
    return JSON.parse(out) as Manifest;
}

function installedVersion(name: string): string {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", ...name.split("/"), "package.json"), "utf8")) as Manifest).version;
}

const domains = fs
    .readdirSync(componentsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(componentsDir, entry.name, "index.ts")) && entry.name !== "testing")
    .map((entry) => entry.name);

beforeAll(() => {
    fs.mkdirSync(packs);
    // Staged under the temporary folder, so the test writes nothing into the working tree.
    detect = packStaged(stagePackage(detectDir, path.join(work, "stage", "detect")), packs);
    components = packStaged(stagePackage(componentsDir, path.join(work, "stage", "components")), packs);
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("@keyless/components package", () => {
    it("exports every domain, each as JavaScript with declarations in the tarball", () => {
        const manifest = packedManifest(components);
        const files = new Set(components.files.map((file) => file.path));
        expect(Object.keys(manifest.exports ?? {}).sort()).toEqual([...domains.map((domain) => `./${domain}`), "./package.json"].sort());
        for (const domain of domains) {
            expect(manifest.exports?.[`./${domain}`]).toEqual({ types: `./${domain}/index.d.ts`, default: `./${domain}/index.js` });
            expect(files).toContain(`${domain}/index.js`);
            expect(files).toContain(`${domain}/index.d.ts`);
        }
    });

    it("ships what the compiled code reads at run time and its documents, and nothing of the tests or the sources", () => {
        const files = components.files.map((file) => file.path);
        // cloudInit reads the VM app next to its compiled module.
        expect(files).toContain("compute/app/stock-tracker.py");
        expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "CHANGELOG.md"]));
        const unexpected = files.filter((file) => /\.test\.|(^|\/)testing\/|testKeys|fixtures/.test(file) || (file.endsWith(".ts") && !file.endsWith(".d.ts")));
        expect(unexpected).toEqual([]);
        // Every compiled module the package ships comes with its declarations.
        for (const js of files.filter((file) => file.endsWith(".js"))) {
            expect(files).toContain(js.replace(/\.js$/, ".d.ts"));
        }
    });

    it("is versioned, public, and takes Pulumi and the providers as peers at the versions the tests run on", () => {
        const manifest = packedManifest(components);
        expect(manifest.private).toBeUndefined();
        expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(manifest.devDependencies).toBeUndefined();
        expect(manifest.dependencies).toEqual({ "@keyless/detect": sourceManifest(detectDir).version, yaml: expect.any(String) });
        // The lower bound of each range is the version this repository installs and every test runs against.
        for (const name of ["@pulumi/pulumi", "@pulumi/azure-native", "@pulumi/random"]) {
            expect({ name, range: manifest.peerDependencies?.[name] }).toEqual({ name, range: `^${installedVersion(name)}` });
        }
        expect(fs.readFileSync(path.join(componentsDir, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version}`);
    });
});

describe("@keyless/detect package", () => {
    it("ships compiled JavaScript with declarations, so a TypeScript policy pack loads it from node_modules", () => {
        const manifest = packedManifest(detect);
        expect({ main: manifest.main, types: manifest.types }).toEqual({ main: "index.js", types: "index.d.ts" });
        const files = detect.files.map((file) => file.path);
        expect(files).toEqual(expect.arrayContaining(["index.js", "index.d.ts", "CHANGELOG.md", "package.json"]));
        expect(files.filter((file) => /\.test\.|corpus/.test(file) || (file.endsWith(".ts") && !file.endsWith(".d.ts")))).toEqual([]);
        expect(fs.readFileSync(path.join(detectDir, "CHANGELOG.md"), "utf8")).toContain(`## ${manifest.version}`);
    });
});

describe("consumer example (examples/web-app) installed from the tarballs", () => {
    let run: ExampleRun;

    beforeAll(() => {
        const app = path.join(work, "app");
        fs.mkdirSync(app);
        installExample(app, {
            "@keyless/components": path.join(packs, components.filename),
            "@keyless/detect": path.join(packs, detect.filename),
        });
        const entry = compileExample(app);
        fs.writeFileSync(path.join(app, "config.json"), JSON.stringify({ "keyless-example-web-app:resourceGroupName": "rg-shop" }));
        const out = execFileSync(
            process.execPath,
            ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "runExample.ts"), entry, "keyless-example-web-app", path.join(app, "config.json")],
            { cwd: app, encoding: "utf8", stdio: "pipe" },
        );
        run = JSON.parse(out) as ExampleRun;
    });

    it("depends on the published package names, not on paths into this repository", () => {
        const manifest = sourceManifest(exampleDir);
        expect(Object.values(manifest.dependencies ?? {}).filter((spec) => /^(file|link):|\.\//.test(spec))).toEqual([]);
        expect(manifest.dependencies?.["@keyless/components"]).toBe(`^${sourceManifest(componentsDir).version}`);
    });

    it("declares a web app that reads a Key Vault secret through its user-assigned identity", () => {
        const byType = (type: string) => run.resources.filter((resource) => resource.type === type);
        const [site] = byType("azure-native:web:WebApp");
        const [identity] = byType("azure-native:managedidentity:UserAssignedIdentity");
        expect(byType("azure-native:keyvault:Vault")).toHaveLength(1);
        expect(identity).toBeDefined();
        const settings = ((site.inputs.siteConfig as { appSettings: { name: string; value: string }[] }).appSettings ?? []).find((s) => s.name === "DB_PASSWORD");
        expect(settings?.value).toMatch(/^@Microsoft\.KeyVault\(SecretUri=https:\/\/.+\/secrets\/db-password\)$/);
        expect(site.inputs).toMatchObject({ identity: { type: "UserAssigned" }, httpsOnly: true });
        const grants = byType("azure-native:authorization:RoleAssignment");
        expect(grants.length).toBeGreaterThan(0);
        expect(String(grants[0].inputs.scope)).toContain("Microsoft.KeyVault/vaults/");
    });

    it("loads only the azure-native modules of the domains it imports", () => {
        // network and privatedns come with the vault's private endpoint support (infra/network/privateEndpoints.ts).
        for (const unused of ["compute", "containerservice", "containerinstance", "sql", "logic", "servicebus", "eventhub", "cognitiveservices"]) {
            expect({ unused, loaded: run.azureNativeModules.includes(unused) }).toEqual({ unused, loaded: false });
        }
        expect(run.azureNativeModules).toEqual(expect.arrayContaining(["web", "keyvault", "managedidentity"]));
    });
});
