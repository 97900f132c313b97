/** The fake's HTTP plumbing: replies, request bodies (JSON and multipart uploads). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { UploadedFile } from "./payloads.ts";
import type { RecordedRequest } from "./types.ts";

export interface Reply {
  status: number;
  json?: unknown;
}
export interface Ctx {
  params: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  query: URLSearchParams;
  record: RecordedRequest;
}
export type Handler = (ctx: Ctx) => Reply;

export const json = (status: number, body?: unknown): Reply => ({ status, json: body });
export const fail = (status: number, code: number, message: string): Reply => json(status, { message, code });
export const NO_CONTENT: Reply = { status: 204 };

export function send(res: ServerResponse, reply: Reply): void {
  if (reply.json === undefined) return void res.writeHead(reply.status).end();
  const text = JSON.stringify(reply.json);
  res.writeHead(reply.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

export async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const ct = req.headers["content-type"] ?? "";
  if (raw.length === 0) return { body: undefined, files: [] };
  if (ct.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": ct } }).formData();
    let body: unknown;
    const uploads: UploadedFile[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value);
      } else {
        uploads.push({ field, name: value.name, contentType: value.type || "application/octet-stream", data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files: uploads };
  }
  if (ct.includes("json")) return { body: JSON.parse(raw.toString("utf8")), files: [] };
  return { body: raw.toString("utf8"), files: [] };
}
