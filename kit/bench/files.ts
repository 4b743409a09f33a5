/** Where a lesson's benchmarks live: `bench/NN-slug.ts`. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { listLessons, workbookRoot, type Lesson } from "../catalog.ts";

export function benchFile(lessonId: string): string {
  return join(workbookRoot, "bench", `${lessonId}.ts`);
}

export function lessonsWithBenchmarks(): Lesson[] {
  return listLessons().filter((lesson) => existsSync(benchFile(lesson.id)));
}
