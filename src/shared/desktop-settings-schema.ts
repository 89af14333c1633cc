/**
 * Runtime checks for the desktop-only settings (main validates the file and every update against them).
 * Separate from desktop-api.ts so the preload and the renderer, which only need the types, do not bundle zod.
 */
import { z } from 'zod'

const limit = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
})

export const AltSpeedSchema = z.object({
  enabled: z.boolean(),
  /** Bytes per second; 0 means unlimited. */
  downloadLimit: limit,
  uploadLimit: limit,
})

export const DesktopSettingsSchema = z.object({
  /** Closing the window keeps Seedling running in the tray. */
  closeToTray: z.boolean(),
  /** The one-time "still running in the tray" notification was shown. */
  closeToTrayHintShown: z.boolean(),
  startMinimized: z.boolean(),
  startOnLogin: z.boolean(),
  notifications: z.boolean(),
  altSpeed: AltSpeedSchema,
  /** The engine's own limits while the alternative ones are in force, to restore them. */
  normalLimits: z.object({ downloadLimit: limit, uploadLimit: limit }).nullable(),
  window: WindowStateSchema.nullable(),
})

/** What the user may change from the settings view. */
export const DesktopSettingsPatchSchema = DesktopSettingsSchema.pick({
  closeToTray: true,
  startMinimized: true,
  startOnLogin: true,
  notifications: true,
})
  .extend({ altSpeed: AltSpeedSchema.partial() })
  .partial()
  .strict()
