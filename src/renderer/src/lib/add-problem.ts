/**
 * Why an add did not happen, told apart by the error's code rather than its wording: a torrent already
 * in the list is news (it gets selected), a file that is not a torrent is the user's input to fix, and
 * anything else (a refused folder, a lost connection) is shown as it was said.
 */
import { escapeInvisible } from '@shared/format'
import { errorCodeOf } from '@shared/wire'
import type { Translate } from '../i18n'
import type { PendingAdd } from '../stores/ui'

export type AddProblem =
  | { kind: 'duplicate' }
  | { kind: 'not-a-torrent'; message: string }
  | { kind: 'failed'; message: string }

/** `stage`: inspecting reads only the source, so an invalid one there is never about the folder. */
export function addProblem(
  err: unknown,
  stage: 'inspect' | 'add',
  pending: PendingAdd,
  t: Translate,
): AddProblem {
  const message = err instanceof Error ? err.message : String(err)
  const code = errorCodeOf(err)
  if (code === 'duplicate') return { kind: 'duplicate' }
  if (code !== 'invalid' || stage !== 'inspect') return { kind: 'failed', message }
  return {
    kind: 'not-a-torrent',
    message:
      pending.source.kind === 'file'
        ? t('add.unreadableFile', { name: escapeInvisible(pending.label), reason: message })
        : t('add.unreadableLink', { reason: message }),
  }
}
