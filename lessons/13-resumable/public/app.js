// Lesson 12's chat page, resumable: the answer is a run on the server, and
// this page only follows it. The current run's id is kept in sessionStorage,
// so a reload finds it and reads it again from the start; a dropped
// connection is followed again from the last id received. Everything the
// model or a tool wrote goes on the page as text, never as HTML.
import { followRun, startRun, stopRun } from "./runs.js";

const log = element("log");
const form = /** @type {HTMLFormElement} */ (element("ask"));
const prompt = /** @type {HTMLTextAreaElement} */ (element("prompt"));
const send = /** @type {HTMLButtonElement} */ (element("send"));
const stop = /** @type {HTMLButtonElement} */ (element("stop"));
const status = element("status");

// What a reload must find: the conversation so far, and the run under way.
const saved = {
  get messages() {
    return JSON.parse(sessionStorage.getItem("workbook.messages") ?? "[]");
  },
  set messages(value) {
    sessionStorage.setItem("workbook.messages", JSON.stringify(value));
  },
  /** @returns {{ id: string, events: string, asked: unknown[] } | null} */
  get run() {
    return JSON.parse(sessionStorage.getItem("workbook.run") ?? "null");
  },
  set run(value) {
    if (value) sessionStorage.setItem("workbook.run", JSON.stringify(value));
    else sessionStorage.removeItem("workbook.run");
  },
};

/** The run this page follows, if any. */
let current;

function element(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found;
}

/** A new element with text in it (never HTML). */
function add(parent, tag, className, text = "") {
  const child = document.createElement(tag);
  if (className) child.className = className;
  child.textContent = text;
  parent.append(child);
  return child;
}

function scrollDown() {
  log.lastElementChild?.scrollIntoView({ block: "end" });
}

/** One answer: its text as it streams, a card per tool call. */
function answerView() {
  const view = add(log, "article", "msg assistant");
  view.setAttribute("aria-label", "Answer");
  const cards = new Map();
  let paragraph;
  return {
    text(delta) {
      paragraph ??= add(view, "p", "text");
      paragraph.append(document.createTextNode(delta));
    },
    toolCall({ id, name, input }) {
      paragraph = undefined; // text after a tool goes below its card
      const card = add(view, "section", "tool");
      card.dataset.state = "running";
      const title = add(card, "h3", "tool-name", name);
      add(title, "span", "tool-state", "running");
      add(card, "pre", "tool-input", JSON.stringify(input, null, 2));
      add(card, "pre", "tool-output", "…");
      cards.set(id, card);
    },
    toolResult({ id, output, isError }) {
      const card = cards.get(id);
      if (!card) return;
      card.dataset.state = isError ? "error" : "done";
      card.querySelector(".tool-state").textContent = isError
        ? "failed"
        : "done";
      card.querySelector(".tool-output").textContent = output;
    },
    turnEnd() {
      paragraph = undefined;
    },
    problem(text) {
      const note = add(view, "p", "error", text);
      note.setAttribute("role", "alert");
    },
    stopped() {
      for (const card of cards.values()) {
        if (card.dataset.state !== "running") continue;
        card.dataset.state = "stopped";
        card.querySelector(".tool-state").textContent = "stopped";
      }
      add(view, "p", "note", "Stopped.");
    },
  };
}

/** The conversation of a transcript, as it was shown when it streamed. */
function showTranscript(messages) {
  let view;
  for (const { role, content } of messages) {
    if (role === "user" && typeof content === "string") {
      add(log, "p", "msg user", content);
      view = undefined;
      continue;
    }
    const blocks =
      typeof content === "string" ? [{ type: "text", text: content }] : content;
    view ??= answerView();
    for (const block of blocks) {
      if (block.type === "text") view.text(block.text);
      else if (block.type === "tool_use") view.toolCall(block);
      else if (block.type === "tool_result")
        view.toolResult({
          id: block.tool_use_id,
          output: String(block.content),
          isError: block.is_error === true,
        });
    }
    view.turnEnd();
  }
}

/** Follows the run from `after`, drawing its events as they come. */
async function follow(run, view) {
  current = run;
  setBusy(true, "The agent is working…");
  try {
    const onState = (state) =>
      (status.textContent =
        state === "reconnecting"
          ? "The connection dropped: reconnecting…"
          : "The agent is working…");
    for await (const { event } of followRun(run.events, 0, { onState })) {
      if (event.type === "text") view.text(event.delta);
      else if (event.type === "tool_call") view.toolCall(event);
      else if (event.type === "tool_result") view.toolResult(event);
      else if (event.type === "turn_end") view.turnEnd();
      else if (event.type === "done") saved.messages = event.messages;
      else if (event.type === "error") view.problem(event.message);
      else if (event.type === "stopped") view.stopped();
      scrollDown();
    }
    setBusy(false, "");
  } catch (error) {
    view.problem(`The answer was lost: ${error.message}`);
    setBusy(false, "");
  } finally {
    // A stopped or failed answer is not in the transcript; the question is.
    if (saved.messages.length < run.asked.length) saved.messages = run.asked;
    saved.run = null;
    current = undefined;
    scrollDown();
  }
}

async function ask(question) {
  if (current || question.trim() === "") return;
  const asked = [...saved.messages, { role: "user", content: question }];
  add(log, "p", "msg user", question);
  const view = answerView();
  setBusy(true, "Starting…");
  let run;
  try {
    run = { ...(await startRun(asked)), asked };
  } catch (error) {
    view.problem(`The request failed: ${error.message}`);
    setBusy(false, "");
    return;
  }
  saved.run = run;
  await follow(run, view);
}

async function stopCurrent() {
  if (!current) return;
  status.textContent = "Stopping…";
  // The server stops the run; its stream then ends with `stopped`.
  await stopRun(current.id).catch((error) => {
    status.textContent = `Could not stop it: ${error.message}`;
  });
}

function setBusy(busy, text) {
  send.disabled = busy;
  stop.disabled = !busy;
  status.textContent = text;
  if (busy) stop.focus();
  else prompt.focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = prompt.value;
  prompt.value = "";
  void ask(question);
});
prompt.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
stop.addEventListener("click", () => void stopCurrent());
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") void stopCurrent();
});

const list = element("suggestions").querySelector("ul");
fetch("/questions.json")
  .then((response) => response.json())
  .then((questions) => {
    for (const question of questions) {
      const button = add(add(list, "li"), "button", "suggestion", question);
      button.type = "button";
      button.addEventListener("click", () => void ask(question));
    }
  })
  .catch(() => element("suggestions").remove());

// After a reload: the conversation, then the answer under way, read again
// from its first event (the page that drew the rest is gone).
const previous = saved.run;
showTranscript(previous ? previous.asked.slice(0, -1) : saved.messages);
if (previous) {
  add(log, "p", "msg user", previous.asked.at(-1).content);
  void follow(previous, answerView());
} else {
  prompt.focus();
}
