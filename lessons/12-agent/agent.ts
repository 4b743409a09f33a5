import type Anthropic from "@anthropic-ai/sdk";
import { emit } from "../06-context/emitter.ts";
import { todo } from "#kit/todo.ts";
import type { Send } from "./steps.ts";
import type { Tool } from "./tools.ts";

// #region AgentOptions
/** What the agent works with. */
export interface AgentOptions {
  client: Anthropic;
  model: string;
  /** The tools the model may call. */
  tools: Tool[];
  /** Model calls at most, the last one's tools included (default 8). */
  maxTurns?: number;
  /** Tools of one turn running at once, at most (default 4). */
  maxConcurrentTools?: number;
  system?: string;
}

/** What `runAgent` emits while it works, in this order per turn. */
export type AgentEvent =
  | { type: "text"; delta: string }
  | { type: "tool_call"; id: string; name: string; input: unknown }
  | { type: "turn_end"; stopReason: string | null }
  | { type: "tool_result"; id: string; output: string; isError: boolean };
// #endregion AgentOptions

// #region runAgent
/**
 * The agent loop: calls the model with the conversation so far, streams its
 * turn, runs the tools it asked for, sends their results back, and again,
 * until the model stops asking for tools or `maxTurns` model calls were made
 * (the tools of the last turn still run: every `tool_use` gets its result).
 * Resolves with the whole transcript, `messages` included.
 *
 * The tools of one turn run concurrently, at most `maxConcurrentTools` at
 * once, in a task group; a tool that throws or does not exist becomes an
 * `is_error` result that the model reads. The results go back in one user
 * message, in the order the model called the tools. Aborting `signal` stops
 * the model request and every running tool, and rejects with its reason.
 *
 * Inside an `eventStream` (lesson 06), every step is emitted as an
 * `AgentEvent`; outside one it runs silently.
 *
 * @example
 * const events = eventStream((signal) =>
 *   runAgent([{ role: "user", content: "What is 2^10?" }], options, signal),
 * );
 * for await (const event of events) console.log(event);
 */
export async function runAgent(
  messages: Anthropic.MessageParam[],
  options: AgentOptions,
  signal?: AbortSignal,
): Promise<Anthropic.MessageParam[]> {
  todo("Loop: stream a turn, run its tools in a taskGroup, send results");
}
// #endregion runAgent

// #region emitIfStreaming
/**
 * Given: use it as `send` in runAgent and pass it to streamTurn.
 *
 * Lesson 06's `emit`, inside an `eventStream`; nothing outside one. Outside
 * a stream `emit` rejects and does nothing else, so the first event decides:
 * refused while `signal` has not aborted means nobody is streaming, and the
 * agent runs silently. Once the first event went through, every emit is
 * awaited, and one refused (the consumer left) stops the agent.
 */
function emitIfStreaming(signal: AbortSignal | undefined): Send {
  let streaming: Promise<boolean> | undefined;
  return async (event) => {
    if (streaming === undefined) {
      streaming = emit(event).then(
        () => true,
        (error: unknown) => {
          if (signal?.aborted) throw error;
          return false;
        },
      );
      await streaming;
    } else if (await streaming) {
      await emit(event);
    }
  };
}
// #endregion emitIfStreaming
