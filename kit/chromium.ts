/**
 * Headless Chromium for the workbook's browser checks: Debian's `chromium`
 * (or CHROMIUM_PATH) through `playwright-core`, never a downloaded browser.
 * In kit/ because lesson 12's tests open the chat page with it when it is
 * there; the maintainers' browser checks in scripts/ use it too.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** How to get Chromium, for a message that says it is missing. */
export const INSTALL_CHROMIUM =
  "`apt-get install -y chromium` on Debian or Ubuntu, or set CHROMIUM_PATH " +
  "to a Chromium or Chrome you have";

/** True when there is a Chromium to launch. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Launches Chromium, or throws saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium())
    throw new Error(`No Chromium at ${CHROMIUM}: ${INSTALL_CHROMIUM}.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
