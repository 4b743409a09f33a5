import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import { h } from "vue";
import ExerciseCompare from "./components/ExerciseCompare.vue";
import ExerciseFailure from "./components/ExerciseFailure.vue";
import ExerciseHints from "./components/ExerciseHints.vue";
import ExerciseMark from "./components/ExerciseMark.vue";
import SidebarProgress from "./components/SidebarProgress.vue";
import Timeline from "./components/Timeline.vue";
import "./style.css";
import "./progress.css";

export default {
  extends: DefaultTheme,
  Layout: () =>
    h(DefaultTheme.Layout, null, { "layout-top": () => h(SidebarProgress) }),
  enhanceApp({ app }) {
    app.component("Timeline", Timeline);
    app.component("ExerciseMark", ExerciseMark);
    app.component("ExerciseFailure", ExerciseFailure);
    app.component("ExerciseHints", ExerciseHints);
    app.component("ExerciseCompare", ExerciseCompare);
  },
} satisfies Theme;
