/**
 * A partner's webhook receiver for the worker tests: a real HTTP server on
 * loopback, in Node (vitest globalSetup), that the worker's queue consumer
 * POSTs to. It keeps every delivery as it arrived (headers and raw body), so
 * a test inside workerd can fetch them and check each signature itself.
 *
 * - `POST /webhooks`: a delivery; answered 204, or 500 once per consultation
 *   named through `fail-once` (its first `consultation.ended` delivery);
 * - `POST /control/fail-once/{consultation}`;
 * - `GET /control/received/{consultation}`: the deliveries about it, in order.
 */
import { createServer } from "node:http";

interface Delivery {
  headers: Record<string, string>;
  body: string;
  status: number;
}

export default async function setup() {
  const port = Number(process.env.SAMTALE_TEST_WEBHOOK_PORT);
  const deliveries = new Map<string, Delivery[]>();
  const failOnce = new Set<string>();

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://receiver");
    const [, area, action, consultation] = url.pathname.split("/");

    if (request.method === "POST" && url.pathname === "/webhooks") {
      const parsed = JSON.parse(body) as { type: string; data: { consultation: string } };
      const id = parsed.data.consultation;
      const fail = parsed.type === "consultation.ended" && failOnce.delete(id);
      const status = fail ? 500 : 204;
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      deliveries.set(id, [...(deliveries.get(id) ?? []), { headers, body, status }]);
      response.writeHead(status).end();
    } else if (area === "control" && action === "fail-once" && consultation && request.method === "POST") {
      failOnce.add(consultation);
      response.writeHead(204).end();
    } else if (area === "control" && action === "received" && consultation) {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(deliveries.get(consultation) ?? []));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
