import type Anthropic from "@anthropic-ai/sdk";

// #region streamText
/**
 * Streams a model's answer to one prompt: yields the text deltas in order, as
 * they arrive, the first one long before the reply is complete. The twin of a
 * FastAPI endpoint that yields tokens from the model all the way up.
 *
 * `maxTokens` defaults to 1,024. A consumer that stops early (`break`,
 * `return` or a throw in its loop) closes the HTTP request, and so does an
 * abort of `signal`, which rejects the pending `next()` with `signal.reason`.
 * A reply cut off before its end throws instead of ending quietly.
 *
 * @example
 * const answer = streamText(client, { model, prompt: "Why stream?" });
 * for await (const text of answer) process.stdout.write(text);
 */
export async function* streamText(
  client: Anthropic,
  params: {
    model: string;
    prompt: string;
    system?: string;
    maxTokens?: number;
  },
  signal?: AbortSignal,
): AsyncGenerator<string> {
  signal?.throwIfAborted();
  const stream = client.messages.stream(
    {
      model: params.model,
      max_tokens: params.maxTokens ?? 1024,
      messages: [{ role: "user", content: params.prompt }],
      ...(params.system === undefined ? {} : { system: params.system }),
    },
    // The SDK aborts the fetch itself: without the signal, an abort would
    // only be seen after the next event, however long that takes.
    { signal },
  );
  try {
    // Leaving this loop early (the consumer's break reaches us as return())
    // calls the stream's return(), which aborts the HTTP request.
    for await (const event of stream) {
      // The SDK reads ahead of us: what it read before an abort must not be
      // handed out after it.
      signal?.throwIfAborted();
      if (
        event.type === "content_block_delta" &&
        event.delta.type === "text_delta"
      ) {
        yield event.delta.text;
      }
    }
    // The loop also ends quietly when the reply was cut off before
    // message_stop; finalMessage() then rejects.
    await stream.finalMessage();
  } catch (error) {
    // The SDK reports an abort as its own APIUserAbortError; our callers
    // expect the reason they aborted with, as everywhere else.
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
// #endregion streamText
