// The chat page: plain DOM, no framework, no build step. Everything the
// model or a tool wrote is put on the page as text (textContent, text
// nodes), never as HTML: a reply that holds <script> shows <script>.
import { chat } from "./chat.js";

const log = element("log");
const form = /** @type {HTMLFormElement} */ (element("ask"));
const prompt = /** @type {HTMLTextAreaElement} */ (element("prompt"));
const send = /** @type {HTMLButtonElement} */ (element("send"));
const stop = /** @type {HTMLButtonElement} */ (element("stop"));
const status = element("status");
const footer = /** @type {HTMLElement} */ (document.querySelector("footer"));

/** The conversation so far, as the server last returned it. */
let messages = [];
/** @type {AbortController | undefined} */
let running;

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

// The footer is sticky: it covers the bottom of the window. Scrolling into
// view stops that much higher (style.css: scroll-padding-bottom), and the
// footer's height changes (a resized text box, a wrapped status line).
new ResizeObserver(() => {
  document.documentElement.style.setProperty(
    "--footer-height",
    `${footer.offsetHeight}px`,
  );
}).observe(footer);

/** Brings the newest message's end into view, above the footer. */
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

async function ask(question) {
  if (running || question.trim() === "") return;
  const asked = [...messages, { role: "user", content: question }];
  add(log, "p", "msg user", question);
  const view = answerView();
  running = new AbortController();
  setBusy(true, "The agent is working…");
  try {
    for await (const event of chat(asked, running.signal)) {
      if (event.type === "text") view.text(event.delta);
      else if (event.type === "tool_call") view.toolCall(event);
      else if (event.type === "tool_result") view.toolResult(event);
      else if (event.type === "turn_end") view.turnEnd();
      else if (event.type === "done") messages = event.messages;
      else if (event.type === "error") view.problem(event.message);
      scrollDown();
    }
    setBusy(false, "");
  } catch (error) {
    if (running.signal.aborted) {
      view.stopped();
      // All the page knows: it cancelled the request. A server that watches
      // its connection stops the agent then, but the page cannot see that.
      setBusy(false, "Stopped: the request was cancelled.");
    } else {
      view.problem(`The request failed: ${error.message}`);
      setBusy(false, "");
    }
  } finally {
    // A stopped or failed answer is not in the transcript; the question is.
    if (messages.length < asked.length) messages = asked;
    running = undefined;
    scrollDown();
  }
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
stop.addEventListener("click", () => running?.abort());
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") running?.abort();
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
prompt.focus();
