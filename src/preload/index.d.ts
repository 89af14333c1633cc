import type { SeedlingBridge } from './bridge'

declare global {
  interface Window {
    seedling?: SeedlingBridge
  }
}
