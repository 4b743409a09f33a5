/**
 * HTTP errors as the API sends them: a status, the error JSON with the
 * request's id, and a `request-id` header.
 */
import type { ServerResponse } from "node:http";
import { errorBody } from "./wire.ts";

/** An error response waiting to be sent. */
export interface Problem {
  status: number;
  /** The API's error type, e.g. "invalid_request_error". */
  type: string;
  message: string;
  headers?: Record<string, string>;
}

/** The API's error type for each status the fake sends. */
const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  404: "not_found_error",
  405: "invalid_request_error",
  500: "api_error",
  529: "overloaded_error",
};

/** What the API says when it fails on its side. */
export const FAILURE_MESSAGES = {
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
};

/** A problem of the usual type for its status. */
export function problem(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Problem {
  return { status, type: TYPES[status] ?? "api_error", message, headers };
}

/** Writes the problem as the whole response. */
export function sendProblem(
  res: ServerResponse,
  requestId: string,
  { status, type, message, headers }: Problem,
): void {
  const body = JSON.stringify(errorBody(type, message, requestId));
  res.writeHead(status, {
    "content-type": "application/json",
    "request-id": requestId,
    ...headers,
  });
  res.end(body);
}
