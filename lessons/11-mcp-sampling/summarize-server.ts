import { todo } from "#kit/todo.ts";
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
  todo("Register the summarize tool; it asks the client to sample.");
}
// #endregion createSummarizeServer
