/** Response writing as Vault's `http/handler.go` and `sdk/logical` do it: the JSON envelope and `{"errors":[...]}`. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The `HTTPResponse` envelope, fields in Vault's order. */
export function envelope(fields: {
  data?: unknown;
  auth?: unknown;
  warnings?: string[] | null;
}): Record<string, unknown> {
  return {
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data: fields.data ?? null,
    wrap_info: null,
    warnings: fields.warnings && fields.warnings.length > 0 ? fields.warnings : null,
    auth: fields.auth ?? null,
  };
}

function headers(res: ServerResponse, status: number): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json');
}

/** Writes a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  headers(res, status);
  res.end(JSON.stringify(body));
}

/** Writes the envelope around `data` / `auth` / `warnings`. */
export function sendEnvelope(
  res: ServerResponse,
  status: number,
  fields: Parameters<typeof envelope>[0],
): void {
  sendJson(res, status, envelope(fields));
}

/** Writes an error: `{"errors":[...]}` (an empty array for a plain 404 or 405). */
export function sendErrors(res: ServerResponse, status: number, errors: string[] = []): void {
  sendJson(res, status, { errors });
}

/** A 204: no body, but still `Content-Type: application/json` (Vault sends it on 204 too). */
export function sendNoContent(res: ServerResponse): void {
  headers(res, 204);
  res.end();
}

/** 403 as Vault answers a missing, unknown or expired token. */
export function sendPermissionDenied(res: ServerResponse, invalidToken: boolean): void {
  sendErrors(res, 403, invalidToken ? ['permission denied', 'invalid token'] : ['permission denied']);
}
