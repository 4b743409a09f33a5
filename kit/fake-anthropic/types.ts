/**
 * The fake Anthropic server's public types: what a test scripts, and what the
 * server records. `kit/fake-anthropic.ts` re-exports them.
 */

/** A content block of a scripted reply, in the order the model "writes" it. */
export type FakeBlock =
  /** A string is cut into word-sized deltas (each word with its leading
   *  space); an array gives the text_delta chunks exactly. */
  | { type: "text"; text: string | string[] }
  /** Streamed as input_json_delta events: the first partial_json is "", then
   *  JSON.stringify(input) cut into several pieces (so a test sees it split).
   *  `id` defaults to a deterministic "toolu_fake_<request>_<block>". */
  | {
      type: "tool_use";
      name: string;
      input: Record<string, unknown>;
      id?: string;
    };

/** A reply: the blocks, then how the turn stops. */
export interface FakeReply {
  content: FakeBlock[];
  /** Default: "tool_use" if any block is a tool_use, else "end_turn". */
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  /** The matched stop sequence, with stopReason "stop_sequence" (default: the
   *  request's first `stop_sequences` entry). */
  stopSequence?: string;
  /** Break the stream after this many SSE events (counting every event
   *  written, message_start = 1) with an `event: error` (status 200 already
   *  sent, so the SDK never retries), then end the response. A non-streaming
   *  request gets the error as its HTTP status (529 or 500) instead, with
   *  `x-should-retry: false`. */
  streamError?: {
    afterEvents: number;
    type?: "overloaded_error" | "api_error";
    message?: string;
  };
  /** End the response cleanly after this many SSE events, with no
   *  message_stop: a truncated stream. A non-streaming request gets the first
   *  half of its JSON body. */
  endAfterEvents?: number;
}

/** An HTTP error instead of a reply (before any byte of a stream). */
export interface FakeFailure {
  /** 529 overloaded_error or 500 api_error, with the API's error JSON. */
  status: 529 | 500;
  /** Sent as `retry-after-ms`. Default 1: the SDK reads 0 as "no advice" and
   *  backs off for about half a second, so 1 ms is the fastest retry. */
  retryAfterMs?: number;
  /** false sends `x-should-retry: false`: the SDK then makes one attempt. */
  shouldRetry?: boolean;
}

/** What the server answers one request with. */
export type FakeTurn = FakeReply | FakeFailure;

/** Every request the server received, in order (also rejected ones). */
export interface RecordedRequest {
  method: string;
  /** "/v1/messages" (the query string, if any, is left out). */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: any;
  /** "open" while the server writes; then "completed" (the server ended the
   *  response) or "client-left" (the client closed the connection first). */
  state: "open" | "completed" | "client-left";
  /** Resolves when `state` leaves "open". */
  finished: Promise<"completed" | "client-left">;
}

/** What a script function or a `beforeEvent` hook is told about an event. */
export interface FakeEventInfo {
  request: RecordedRequest;
  /** Counts the SSE events of this response from 0. */
  index: number;
  /** The event's name: "message_start", "ping", ..., or "error". */
  type: string;
}

/** What `startFakeAnthropic` plays, and how. */
export interface FakeAnthropicOptions {
  /** The turns, one per accepted POST /v1/messages (a retried request takes
   *  the next turn), or a function that answers each request (the capstone's
   *  model answers the tool results it is sent). A list that runs out answers
   *  500 with `x-should-retry: false` and a message saying the script ended. */
  script:
    | FakeTurn[]
    | ((
        request: RecordedRequest,
        index: number,
      ) => FakeTurn | Promise<FakeTurn>);
  /** Pause before each content_block_delta, with the global setTimeout looked
   *  up at call time (so vi.useFakeTimers controls it). Default 0: no timer. */
  tokenDelayMs?: number;
  /** Awaited before each SSE event is written: a test holds the stream at a
   *  known point with a deferred. `index` counts events from 0. */
  beforeEvent?: (event: FakeEventInfo) => void | Promise<void>;
}
