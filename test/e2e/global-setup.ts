/**
 * Starts coturn, `wrangler dev` and a partner site once for all end-to-end
 * tests, and hands their addresses to the tests through `inject()`.
 */
import type { TestProject } from "vitest/node";
import { freePort, startCoturn, startPartnerSite, startWorker, TURN_SECRET, type Running } from "./services.ts";

declare module "vitest" {
  export interface ProvidedContext {
    workerOrigin: string;
    partnerOrigin: string;
  }
}

export default async function setup(project: TestProject) {
  const running: Running[] = [];
  try {
    const turnPort = await freePort();
    running.push(await startCoturn(turnPort));

    const workerPort = await freePort();
    const partnerPort = await freePort();
    const workerOrigin = `http://127.0.0.1:${workerPort}`;
    // Another origin for the same machine: a partner page embedding the element.
    const partnerOrigin = `http://localhost:${partnerPort}`;
    running.push(
      await startWorker(workerPort, {
        DEV_AUTH: "1",
        DATA_JURISDICTION: "none",
        ALLOWED_ORIGINS: partnerOrigin,
        STUN_URLS: `stun:127.0.0.1:${turnPort}`,
        TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=udp`,
        TURN_SECRET,
      }),
    );
    running.push(await startPartnerSite(partnerPort, workerOrigin));
    project.provide("workerOrigin", workerOrigin);
    project.provide("partnerOrigin", partnerOrigin);
  } catch (error) {
    await Promise.all(running.map((r) => r.stop()));
    throw error;
  }
  return async () => {
    await Promise.all(running.reverse().map((r) => r.stop()));
  };
}
