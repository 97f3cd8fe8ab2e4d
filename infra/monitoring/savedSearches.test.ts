import { runUnderMocks } from "../testing";
import { one } from "../testing/fixtures";
import { Monitoring } from "./Monitoring";
import { loadSavedSearches, reviewQueriesDir } from "./savedSearches";

describe("saved searches in the workspace", () => {
    it("keeps each review query as a saved search of the workspace, named by its file, shown by its question", async () => {
        const searches = loadSavedSearches(reviewQueriesDir);
        expect(searches.length).toBe(6);
        const { resources } = await runUnderMocks(() => {
            new Monitoring("main", { resourceGroupName: "rg", savedSearches: searches });
        });
        const workspace = one(resources, "azure-native:operationalinsights:Workspace");
        const saved = resources.filter((resource) => resource.type === "azure-native:operationalinsights:SavedSearch");
        expect(saved.map((resource) => resource.inputs.savedSearchId).sort()).toEqual(searches.map((search) => search.name));
        for (const resource of saved) {
            const search = searches.find((candidate) => candidate.name === resource.inputs.savedSearchId)!;
            expect(resource.parentUrn).toBe(one(resources, "keyless:monitoring:Monitoring").urn);
            expect(resource.inputs).toMatchObject({ workspaceName: workspace.inputs.workspaceName, category: "Keyless access review", query: search.text, displayName: search.question });
        }
    });

    it("declares none unless asked", async () => {
        const { resources } = await runUnderMocks(() => {
            new Monitoring("main", { resourceGroupName: "rg" });
        });
        expect(resources.filter((resource) => resource.type === "azure-native:operationalinsights:SavedSearch")).toEqual([]);
    });
});
