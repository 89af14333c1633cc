/** OS notifications: what to show is decided by notifications-model.ts; this only shows it. */
import { Notification } from 'electron'
import type { NotificationSpec } from './notifications-model'

export const notificationsSupported = (): boolean => Notification.isSupported()

export function showNotification(
  spec: Pick<NotificationSpec, 'title' | 'body'>,
  onClick?: () => void,
  icon?: string,
): void {
  if (!Notification.isSupported()) return
  const n = new Notification({ title: spec.title, body: spec.body, icon, silent: false })
  if (onClick) n.on('click', onClick)
  n.show()
}
