import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import Timeline from "./components/Timeline.vue";
import "./style.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("Timeline", Timeline);
  },
} satisfies Theme;
