import { todo } from "#kit/todo.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { createSamplingHandler } from "./sampling-handler.ts";

// #region connectClient
/**
 * Connects an MCP client over `transport` that declares the sampling
 * capability and answers the server's `sampling/createMessage` requests with
 * `handler`, for as long as the connection lives. Close it with
 * `client.close()`.
 *
 * @example
 * const handler = createSamplingHandler(anthropic, { model });
 * const client = await connectClient(
 *   new StdioClientTransport({ command: "node", args: ["server.js"] }),
 *   handler,
 * );
 */
export async function connectClient(
  transport: Transport,
  handler: ReturnType<typeof createSamplingHandler>,
): Promise<Client> {
  todo("Declare sampling, install the handler, connect.");
}
// #endregion connectClient

// #region summarize
/**
 * Calls the server's `summarize` tool and returns the summary. Rejects when the
 * tool answers with an `isError` result (with its text), and with
 * `signal.reason` when `signal` aborts: the call and the sampling request it
 * caused are then cancelled.
 *
 * @example
 * const summary = await summarize(client, article, 50);
 */
export async function summarize(
  client: Client,
  text: string,
  maxWords?: number,
  signal?: AbortSignal,
): Promise<string> {
  todo("Call the tool; throw on isError; on abort throw signal.reason.");
}
// #endregion summarize
