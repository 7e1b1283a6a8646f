import { describe, expect, inject, it } from "vitest";

const worker = inject("workerOrigin");
const partner = inject("partnerOrigin");

describe("what the worker serves to browsers", () => {
  it("serves the demo pages with a CSP that only allowed origins may frame", async () => {
    for (const path of ["/", "/join"]) {
      const response = await fetch(`${worker}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`frame-ancestors 'self' ${partner}`);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("serves the element as one ES module with CORS for allowed origins only", async () => {
    const allowed = await fetch(`${worker}/samtale-call.js`, { headers: { origin: partner } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("content-type")).toMatch(/javascript/);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(partner);
    const body = await allowed.text();
    expect(body).toMatch(/customElements/);
    expect(body).not.toMatch(/^\s*import\s.*from\s/m); // one module: nothing to fetch later

    const foreign = await fetch(`${worker}/samtale-call.js`, { headers: { origin: "https://evil.example" } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the modules the element loads later beside it, with CORS for allowed origins only", async () => {
    const element = await (await fetch(`${worker}/samtale-call.js`)).text();
    const later = [...element.matchAll(/import\("\.\/(chunks\/[\w-]+\.js)"\)/g)].map((m) => m[1]!);
    // The call engine, and a translation for each language besides English.
    expect(later.filter((path) => path.startsWith("chunks/call-engine-"))).toHaveLength(1);
    expect(later.length).toBeGreaterThanOrEqual(5);
    for (const path of later) {
      const allowed = await fetch(`${worker}/${path}`, { headers: { origin: partner } });
      expect(allowed.status, path).toBe(200);
      expect(allowed.headers.get("content-type"), path).toMatch(/javascript/);
      expect(allowed.headers.get("access-control-allow-origin"), path).toBe(partner);
      const foreign = await fetch(`${worker}/${path}`, { headers: { origin: "https://evil.example" } });
      expect(foreign.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });
});
