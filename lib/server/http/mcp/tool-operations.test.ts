import { describe, expect, it } from "vitest";
import { roleAllows, roles, type Permission } from "@/lib/auth/permissions";
import { mcpTools } from "@/lib/mcp/tools";
import { declaredEndpoints } from "../endpoints";

// An MCP tool is an operation the API already serves: each names the REST operations it runs (their endpoints'
// export names), and the one permission its dispatcher checks is theirs — the most any of them needs, so an agent's
// key may run a tool exactly when the same key may call its REST operations. lib/mcp may not import lib/server, so
// the link is held here.
const byName = new Map(declaredEndpoints.map((d) => [d.name, d.endpoint]));

describe("MCP tools are the API's operations", () => {
  for (const [tool, t] of Object.entries(mcpTools)) {
    it(`${tool} declares the permission of the operations it runs`, () => {
      expect(t.operations.length).toBeGreaterThan(0);
      const needed = t.operations.map((op) => {
        const e = byName.get(op);
        expect(e, `${tool} names ${op}, which no endpoint declares`).toBeDefined();
        return e!.permission as Permission;
      });
      // The tool's permission is one of them (the strictest): every role that holds it holds all of them…
      expect(needed).toContain(t.permission);
      for (const role of roles)
        if (roleAllows(role, t.permission as Permission))
          for (const p of needed) expect(roleAllows(role, p), `${role}: ${tool} needs ${p}`).toBe(true);
    });
  }
});
