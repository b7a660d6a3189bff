// Debian's Chromium, headless, as DESIGN_NOTES §5.3 says: no sandbox (root
// in CI), no GPU, no network of its own; playwright's launch() gives each
// run a fresh temporary profile (user data dir).
export const CHROMIUM = process.env.SC_CHROMIUM || "/usr/bin/chromium";
export const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// playwright-core's chromium, or exit 77 (ctest: skipped) without it.
export async function launch() {
  let chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch (e) {
    console.log("playwright-core is not installed in tests/web/node_modules: run `make deps` (skipped)");
    process.exit(77);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

// The page's verdict on the public record: its banner's text and whether
// it says verified (waits for the first verdict).
export async function trustText(page) {
  await page.waitForFunction(() => document.getElementById("trust").classList.length > 1, null, { timeout: 10000 });
  return { text: await page.textContent("#trust"), ok: await page.$eval("#trust", (e) => e.classList.contains("ok")) };
}
// Types a code, presses Enter, waits for the result box.
export async function lookup(page, code) {
  await page.fill("#code", code);
  await page.press("#code", "Enter");
  await page.waitForSelector("#result .box", { timeout: 10000 });
  return { text: await page.textContent("#result"), ok: await page.$eval("#result .box", (e) => e.classList.contains("ok")), bad: await page.$eval("#result .box", (e) => e.classList.contains("bad")) };
}
