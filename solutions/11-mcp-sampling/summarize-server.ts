import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

// #region createSummarizeServer
/**
 * An MCP server with one tool, `summarize` (`{ text, maxWords? }`), that has
 * no model of its own: it asks the client to sample one (the server sends
 * `sampling/createMessage`, the client runs the model and answers). The tool
 * call's signal goes with the sampling request, so a cancelled call cancels
 * it. A client that did not declare the sampling capability gets an
 * `isError` result that says so.
 *
 * @example
 * const server = createSummarizeServer();
 * await server.connect(new StdioServerTransport());
 */
export function createSummarizeServer(): McpServer {
  const server = new McpServer({ name: "summarize", version: "1.0.0" });
  server.registerTool(
    "summarize",
    {
      title: "Summarize",
      description: "Summarizes a text with the client's own model.",
      inputSchema: {
        text: z.string().min(1).describe("The text to summarize"),
        maxWords: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("At most this many words"),
      },
    },
    async ({ text, maxWords }, extra): Promise<CallToolResult> => {
      // Without enforceStrictCapabilities the SDK sends the request anyway,
      // and the client's "Method not found" would reach the user instead.
      if (!server.server.getClientCapabilities()?.sampling)
        return failure(
          "summarize needs sampling, and this client did not declare the " +
            "sampling capability: it cannot lend the server its model.",
        );
      const limit =
        maxWords === undefined ? "" : ` in at most ${maxWords} words`;
      const reply = await server.server.createMessage(
        {
          systemPrompt:
            "You summarize texts. Answer with the summary only, nothing else.",
          messages: [
            {
              role: "user",
              content: { type: "text", text: `Summarize${limit}:\n\n${text}` },
            },
          ],
          // An upper bound for the client; it may cap it further.
          maxTokens: 1_024,
        },
        // The tool call's signal: when the caller cancels, the SDK sends
        // notifications/cancelled for the sampling request too.
        { signal: extra.signal },
      );
      if (reply.content.type !== "text")
        return failure(`the client answered with ${reply.content.type}`);
      return { content: [{ type: "text", text: reply.content.text }] };
    },
  );
  return server;
}
// #endregion createSummarizeServer

function failure(message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: message }] };
}
