/**
 * The parameter check for each command of the contract, used wherever a request crosses a trust boundary
 * (IPC in main, the engine host, the WebSocket server). A missing or extra method is a compile error.
 */
import { z } from 'zod'
import type { ApiMethod } from './api'
import {
  AddTorrentRequestSchema,
  CreateTorrentRequestSchema,
  EmptyRequestSchema,
  FileSelectionRequestSchema,
  InfoHashRequestSchema,
  InfoHashesRequestSchema,
  MoveTorrentRequestSchema,
  RemoveTorrentRequestSchema,
  SettingsPatchSchema,
  TorrentSourceSchema,
} from './schema'
import { SetLabelsRequestSchema } from './label-schemas'
import {
  EditTrackersRequestSchema,
  EditWebSeedsRequestSchema,
  ReannounceRequestSchema,
} from './tracker-schemas'

export const apiParamSchemas = {
  listTorrents: EmptyRequestSchema,
  getTorrent: InfoHashRequestSchema,
  getPieces: InfoHashRequestSchema,
  inspectTorrent: TorrentSourceSchema,
  // The scheme, redirects, size and addresses are judged by the engine as it fetches (url-fetch.ts).
  fetchTorrentUrl: z.object({ url: z.string().min(1).max(2048) }).strict(),
  addTorrent: AddTorrentRequestSchema,
  pauseTorrents: InfoHashesRequestSchema,
  resumeTorrents: InfoHashesRequestSchema,
  removeTorrent: RemoveTorrentRequestSchema,
  recheckTorrent: InfoHashRequestSchema,
  setFileSelection: FileSelectionRequestSchema,
  moveTorrent: MoveTorrentRequestSchema,
  getSettings: EmptyRequestSchema,
  updateSettings: SettingsPatchSchema,
  getStats: EmptyRequestSchema,
  createTorrent: CreateTorrentRequestSchema,
  editTrackers: EditTrackersRequestSchema,
  reannounce: ReannounceRequestSchema,
  editWebSeeds: EditWebSeedsRequestSchema,
  setLabels: SetLabelsRequestSchema,
} as const satisfies Record<ApiMethod, z.ZodType>
