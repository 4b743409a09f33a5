/**
 * `node --import ./kit/borrow/register.ts …`: the learner's run borrows the
 * reference for untouched stubs of other lessons. `WORKBOOK_OWN` names the
 * lessons being run (comma-separated), which are never borrowed.
 */
import { register } from "node:module";

// Code that reads an exercise file instead of importing it asks ./source.ts.
process.env.WORKBOOK_BORROW = "1";

register("./hooks.ts", import.meta.url, {
  data: {
    own: (process.env.WORKBOOK_OWN ?? "").split(",").filter(Boolean),
  },
});
