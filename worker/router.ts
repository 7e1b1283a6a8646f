import { Router, type IRequest } from "itty-router";
import { parseCreate, parseGuestJoin, parseInvitee, readJsonBody } from "./api-requests.ts";
import { eraseSubject, readConsultationAudit, readSubjectAudit, verifyAudit } from "./audit-api.ts";
import { authenticate } from "./auth.ts";
import { misconfigurations, readConfig, type Config } from "./config.ts";
import { consultationStub, newConsultation } from "./consultation-namespace.ts";
import { splitCredential } from "./credentials.ts";
import { mintDevToken, parseDevTokenRequest } from "./dev-issuer.ts";
import type { Env } from "./env.ts";
import { ApiError, unwrap } from "./errors.ts";
import { isAllowedOrigin, preflight, withCors } from "./origins.ts";
import { serveAsset } from "./pages.ts";
import type { CreateConsultationResponse } from "./protocol.ts";
import { errorResponse, json, withNoStore, withSecurityHeaders } from "./responses.ts";

type Args = [Env, ExecutionContext, Config];

/**
 * The HTTP face of Samtale. Handlers receive the original Request (itty's
 * Router decorates it with `params` and `query`), so the WebSocket upgrade
 * can be handed to the Durable Object as it came.
 */
const router = Router<IRequest, Args>({
  before: [refuseForeignOrigins],
  catch: errorResponse,
});

router
  .options("*", (request, _env, _ctx, config) => preflight(request, config))

  .post("/dev/token", async (request, _env, _ctx, config) => {
    if (!config.devAuth) throw new ApiError("not_found", "Not found.");
    const body = parseDevTokenRequest(await readJsonBody(request));
    return json({ token: await mintDevToken(body, config.audience) });
  })

  .post("/api/v1/consultations", async (request, env, _ctx, config) => {
    const host = await authenticate(request, env, config);
    if (host.role !== "practitioner") throw new ApiError("forbidden", "Only a practitioner may create a consultation.");
    const input = parseCreate(await readJsonBody(request), config);
    const { id, stub } = newConsultation(env, config);
    const created = unwrap(await stub.create({ ...input, host, origin: new URL(request.url).origin }));
    const body: CreateConsultationResponse = {
      id,
      expiresAt: new Date(created.expiresAt).toISOString(),
      invite: created.invite,
    };
    return json(body, 201);
  })

  .get("/api/v1/consultations/:id", async (request, env, _ctx, config) => {
    const identity = await authenticate(request, env, config);
    return json(unwrap(await consultationStub(env, config, request.params.id).view(identity)));
  })

  .delete("/api/v1/consultations/:id", async (request, env, _ctx, config) => {
    const identity = await authenticate(request, env, config);
    unwrap(await consultationStub(env, config, request.params.id).end(identity));
    return new Response(null, { status: 204 });
  })

  .delete("/api/v1/consultations/:id/participants/:participantId", async (request, env, _ctx, config) => {
    const identity = await authenticate(request, env, config);
    const stub = consultationStub(env, config, request.params.id);
    unwrap(await stub.remove(identity, request.params.participantId ?? ""));
    return new Response(null, { status: 204 });
  })

  .post("/api/v1/consultations/:id/invites", async (request, env, _ctx, config) => {
    const host = await authenticate(request, env, config);
    const invitee = parseInvitee(await readJsonBody(request));
    const stub = consultationStub(env, config, request.params.id);
    return json({ invite: unwrap(await stub.invite(host, invitee, new URL(request.url).origin)) }, 201);
  })

  .post("/api/v1/consultations/:id/join", async (request, env, _ctx, config) => {
    // A bearer token identifies host and known invitees; guests bring a code
    // the first time and their resume token after that.
    const who = request.headers.has("authorization")
      ? { identity: await authenticate(request, env, config) }
      : parseGuestJoin(await readJsonBody(request));
    return json(unwrap(await consultationStub(env, config, request.params.id).join(who)));
  })

  .get("/api/v1/consultations/:id/ws", (request, env, _ctx, config) => {
    // Every refusal is an HTTP error before the upgrade. What the worker can
    // check, it checks here, before any Durable Object is woken.
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError("invalid_request", "This endpoint only speaks WebSocket.", 426);
    }
    if (!isAllowedOrigin(request.headers.get("origin"), request, config)) {
      throw new ApiError("forbidden", "This origin may not open a consultation socket.");
    }
    const ticket = new URL(request.url).searchParams.get("ticket");
    if (!ticket || !splitCredential(ticket)) throw new ApiError("unauthorized", "A valid ticket is required.");
    return consultationStub(env, config, request.params.id).fetch(request);
  })

  // The audit trail, for the partner's auditor (audit-api.ts).
  .get("/api/v1/audit/consultations/:id", (request, env, _ctx, config) => readConsultationAudit(request, env, config))
  .get("/api/v1/audit/subjects/:sub", (request, env, _ctx, config) => readSubjectAudit(request, env, config))
  .delete("/api/v1/audit/subjects/:sub", (request, env, _ctx, config) => eraseSubject(request, env, config))
  .get("/api/v1/audit/verify", (request, env, _ctx, config) => verifyAudit(request, env, config))

  .all("/api/*", () => {
    throw new ApiError("not_found", "No such endpoint.");
  })

  .all("*", (request, env, _ctx, config) => serveAsset(request, env, config));

/**
 * A browser on a foreign origin gets nothing from the API: CORS would hide
 * the answer, but the request would still have run. Server-to-server calls
 * carry no Origin and pass.
 */
function refuseForeignOrigins(request: IRequest, _env: Env, _ctx: ExecutionContext, config: Config) {
  const origin = request.headers.get("origin");
  if (origin && isApiPath(new URL(request.url).pathname) && !isAllowedOrigin(origin, request, config)) {
    throw new ApiError("forbidden", "This origin may not call the Samtale API.");
  }
}

export async function handle(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const problems = misconfigurations(env);
  if (problems.length) return withSecurityHeaders(withNoStore(refuseToRun(problems)));
  const config = readConfig(env);
  const response: Response = await router.fetch(request as IRequest, env, ctx, config);
  // Pages and assets answer CORS themselves (pages.ts) and may be cached.
  if (!isApiPath(new URL(request.url).pathname)) return withSecurityHeaders(response);
  return withSecurityHeaders(withNoStore(withCors(response, request, config)));
}

/**
 * A deployment with unsafe settings answers nothing but this, pages
 * included, until it is fixed: the operator sees why in the answer and the
 * log, and no half-checked setting ever reaches a header.
 */
function refuseToRun(problems: string[]): Response {
  console.error("Samtale refuses to run with this configuration:", problems.join(" "));
  return json({ error: "internal", message: `This deployment is misconfigured. ${problems.join(" ")}` }, 500);
}

/** The API and the demo issuer: what browsers on allowed origins may call. */
function isApiPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || pathname === "/dev/token";
}
