import { classic } from "../../lib/classic";
import { publicNetworkAccessRule } from "../../lib/public-network";
import { types } from "../../lib/tokens";

export const sqlPublicNetworkDisabled = publicNetworkAccessRule({
    name: "sql-public-network-disabled",
    service: "data",
    label: "Azure SQL logical servers",
    resourceTypes: [types.sqlServer],
    path: "publicNetworkAccess",
    builtins: [
        { id: "1b8ca024-1d5c-4dec-8995-b1a932b41780", displayName: "Public network access on Azure SQL Database should be disabled" },
    ],
    classicTypes: [classic.sqlServer],
    reachThrough: "a private endpoint",
});
