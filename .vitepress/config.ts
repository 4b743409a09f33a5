import { defineConfig, type DefaultTheme } from "vitepress";
import { listLessons } from "../kit/catalog.ts";
import { slugify } from "../kit/pages.ts";
import { progressPlugin } from "./progress-plugin.ts";
import { workbookMarkdown } from "./workbook-markdown.ts";

/**
 * The sidebar, built from the lesson folders: a lesson appears once its page
 * exists.
 */
function sidebar(): DefaultTheme.SidebarItem[] {
  return [
    {
      text: "Start here",
      items: [{ text: "Getting started", link: "/getting-started" }],
    },
    {
      text: "Lessons",
      items: listLessons().map((lesson) => ({
        text: `${lesson.number}. ${lesson.title}`,
        link: lesson.link,
      })),
    },
  ];
}

export default defineConfig({
  srcDir: "docs",
  title: "Async TypeScript",
  description:
    "A workbook that teaches async programming in TypeScript, from coroutines and the event loop to a streaming LLM agent.",
  lang: "en",
  head: [
    ["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }],
  ],
  cleanUrls: true,
  lastUpdated: false,
  markdown: {
    lineNumbers: false,
    // One slug function for the site's anchors and the reporter's links.
    anchor: { slugify },
    headers: { slugify },
    config: workbookMarkdown,
  },
  vite: { plugins: [progressPlugin()] },
  themeConfig: {
    nav: [
      { text: "Getting started", link: "/getting-started" },
      { text: "Lessons", link: listLessons()[0]?.link ?? "/getting-started" },
    ],
    sidebar: sidebar(),
    search: { provider: "local" },
    outline: { level: [2, 3] },
    docFooter: { prev: "Previous", next: "Next" },
  },
});
