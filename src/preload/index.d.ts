import type { SeedlingBridge } from '@shared/bridge'

declare global {
  interface Window {
    seedling?: SeedlingBridge
  }
}
