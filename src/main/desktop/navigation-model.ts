/**
 * Where a link the app's page opens may go. Pure: hardening.ts asks it from every web contents' window
 * open handler.
 *
 * Why: no window is ever opened by web content (a new window gets defaults we never reviewed, and a
 * page that navigates away keeps its preload and so the bridge to the engine). A plain https link from
 * the app's own page is what "open in the browser" means; anything else (another scheme, a link from a
 * page that is not ours, credentials in the URL that could disguise its host) goes nowhere.
 */

/** The URL to hand to the system browser when `openerUrl` asks for a window on `url`, or null. */
export function externalLinkTarget(
  url: string,
  openerUrl: string,
  isAppPage: (url: string) => boolean,
): string | null {
  if (!isAppPage(openerUrl)) return null
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return null
  return u.href
}
