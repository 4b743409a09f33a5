import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CHAT_PAGE, htmlSinks } from "./chat-page.ts";

let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

function page(source: string): string {
  folder = mkdtempSync(join(tmpdir(), "chat-page-"));
  writeFileSync(join(folder, "app.js"), source);
  writeFileSync(
    join(folder, "style.css"),
    "p { color: red } /* innerHTML = */",
  );
  return folder;
}

describe("htmlSinks", () => {
  it("finds every way a script writes a string into the page as HTML", () => {
    const found = htmlSinks(
      page(
        [
          "el.innerHTML = text;",
          "el.outerHTML = text;",
          "el.innerHTML += more;",
          "el.insertAdjacentHTML('beforeend', text);",
          "el.setHTMLUnsafe(text);",
          "document.write(text);",
          "document.writeln(text);",
          "range.createContextualFragment(text);",
        ].join("\n"),
      ),
    );
    expect(found.map((sink) => sink.where)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map(
        (n) => `lessons/12-agent/public/app.js:${n}`,
      ),
    );
  });

  it("ignores reads, comparisons, comments and other files", () => {
    const source = [
      "const html = el.innerHTML;",
      "if (el.innerHTML === '') el.textContent = text;",
      "// el.innerHTML = text would be wrong",
      "/* document.write(text) */",
      "fetch('http://x/'); el.append(document.createTextNode(text));",
    ].join("\n");
    expect(htmlSinks(page(source))).toEqual([]);
  });

  it("finds none in the chat page as it is", () => {
    expect(htmlSinks(CHAT_PAGE)).toEqual([]);
  });
});
