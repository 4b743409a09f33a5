declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare module "virtual:workbook-progress" {
  import type { ShallowRef } from "vue";
  import type { SiteRecord } from "./progress-plugin.ts";
  /** The learner's progress record in `vitepress dev`; `null` when built. */
  export const progress: ShallowRef<SiteRecord | null>;
}
