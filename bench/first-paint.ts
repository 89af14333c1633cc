// The renderer's first paint (issue 9, start-up): the built UI served by `seedling serve`, opened in
// Debian's Chromium with a fresh profile each run (no cache), timed inside the page from the navigation
// to the document: first contentful paint (the Paint Timing API) and the torrent list in the DOM (the
// app mounted, connected and listed the session). The login hop (token -> cookie) is before that start.
// No target in the issue; recorded so a regression shows. Loopback only; the engine has DHT, LSD, PeX
// and UPnP off (the e2e harness starts it).
import { existsSync } from 'node:fs'
import type { StartupCase } from './startup'
import { median, round } from './measure'
import { CHROMIUM, buildRenderer, launchBrowser, startServe } from '../test/e2e/harness'

// Strings: the Node-side tsconfig has no DOM lib. Both read the page's own clock (ms since its
// navigation started), so the driver's polling adds nothing; each gives up after 15 s. The list counts
// as shown at the frame after the one that put it in the DOM (the one that painted it).
const LIST_SHOWN = `new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('no torrent list after 15 s')), 15000)
  const check = () =>
    document.querySelector('[data-testid="torrent-list"]')
      ? requestAnimationFrame(() => resolve(performance.now()))
      : requestAnimationFrame(check)
  check()
})`
const FIRST_PAINT = `new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('no first contentful paint after 15 s')), 15000)
  new PerformanceObserver((entries) => {
    const fcp = entries.getEntriesByName('first-contentful-paint')[0]
    if (fcp) resolve(fcp.startTime)
  }).observe({ type: 'paint', buffered: true })
})`

export async function runFirstPaint(
  runs: number,
  log: (line: string) => void,
): Promise<StartupCase[]> {
  const fcp: StartupCase = { name: 'renderer: first contentful paint', available: true, runsMs: [] }
  const list: StartupCase = { name: 'renderer: torrent list shown', available: true, runsMs: [] }
  if (!existsSync(CHROMIUM)) {
    for (const c of [fcp, list]) {
      c.available = false
      c.note = `${CHROMIUM} missing (apt-get install chromium)`
    }
    return [fcp, list]
  }
  const serve = await startServe(await buildRenderer())
  const browser = await launchBrowser()
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(serve.loginUrl)
      const listed = (await page.evaluate(LIST_SHOWN)) as number
      const painted = (await page.evaluate(FIRST_PAINT)) as number
      fcp.runsMs.push(round(painted, 1))
      list.runsMs.push(round(listed, 1))
      await context.close()
    }
  } catch (err) {
    log(`first paint: ${(err as Error).message.split('\n')[0]}`)
    for (const c of [fcp, list]) {
      c.available = c.runsMs.length > 0
      c.note = (err as Error).message.split('\n')[0]
    }
  } finally {
    await browser.close()
    await serve.stop()
  }
  for (const c of [fcp, list]) if (c.runsMs.length) c.medianMs = median(c.runsMs)
  return [fcp, list]
}
