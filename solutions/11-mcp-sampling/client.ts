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
  // The capability is what the server reads to know it may ask; the SDK
  // refuses a sampling handler on a client that does not declare it.
  const client = new Client(
    { name: "async-workbook", version: "1.0.0" },
    { capabilities: { sampling: {} } },
  );
  // Before connect: a request can arrive as soon as the server is ready.
  client.setRequestHandler(CreateMessageRequestSchema, handler);
  await client.connect(transport);
  return client;
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
  const args = maxWords === undefined ? { text } : { text, maxWords };
  let result: Awaited<ReturnType<Client["callTool"]>>;
  try {
    result = await client.callTool(
      { name: "summarize", arguments: args },
      undefined,
      { signal },
    );
  } catch (error) {
    // The SDK rejects a cancelled call with its own McpError (code -32001,
    // "Request timed out"); the caller who aborted expects their reason.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
  const content = Array.isArray(result.content) ? result.content : [];
  const said = content
    .flatMap((part) => (part.type === "text" ? [part.text] : []))
    .join("");
  // A tool error is an ordinary result with isError set: the promise
  // fulfils, so nothing fails unless we look.
  if (result.isError) throw new Error(`summarize failed: ${said}`);
  return said;
}
// #endregion summarize
