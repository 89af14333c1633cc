/**
 * axe-core in the page under test, run with the WCAG 2 A and AA rules. It is evaluated through the
 * devtools protocol rather than added as a script tag: the served CSP (script-src 'self') refuses an
 * inline script, and loosening the app's CSP for a test would test another app.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

export interface AxeFinding {
  id: string
  impact: string | null
  help: string
  /** A few offending selectors with axe's own summary of what is wrong. */
  nodes: string[]
}

/** Violations of impact serious or critical in the page (or under `scope`), as readable findings. */
export async function seriousViolations(page: Page, scope?: string): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource)
  const found = await page.evaluate(async (context) => {
    interface AxeResult {
      violations: {
        id: string
        impact: string | null
        help: string
        nodes: { target: unknown[]; failureSummary?: string }[]
      }[]
    }
    const axe = (
      globalThis as unknown as { axe: { run(c: unknown, o: unknown): Promise<AxeResult> } }
    ).axe
    const result = await axe.run(context ?? { exclude: [] }, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      resultTypes: ['violations'],
      // Experimental in axe, so off by default: a visible label that is not part of the accessible
      // name (WCAG 2.5.3) breaks speech control ("click Open").
      rules: { 'label-content-name-mismatch': { enabled: true } },
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map(
          (n) => `${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`,
        ),
    }))
  }, scope ?? null)
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
