// The control plane of distributed mode: agents, slot grants, jobs and the status page.
export { startMaster, DEFAULT_MASTER_PORT, type MasterOptions, type MasterHandle } from './startMaster';
export { ClusterState, type ClusterStateOptions, type LeaseAnswer, type CancelAnswer } from './clusterState';
export { JobLeases, type LeaseStream, type LapsedLease } from './jobLeases';
export { AgentRegistry, type AgentRecord } from './agentRegistry';
export { SlotAllocator, type Grant, type SlotOffer } from './slotAllocator';
export { JobBook, type JobEntry } from './jobBook';
export { StreamBook, type StreamBookOptions } from './streamBook';
export { renderStatusPage, escapeHtml } from './statusPage';
export { formatBytes, formatDuration, formatMillis, formatTime } from './textFormat';
export { STREAM_COLUMNS, streamCells, streamNote, streamTitle, reportedStreams, type ReportedStream } from './streamCells';
// The status page's login pieces, reused by `gleam serve` (@gleam/queries) for its own page and API.
export { StatusSessions, cookieValue, SESSION_COOKIE } from './statusSession';
export { renderLoginPage, renderLoginRequired } from './loginPage';
export { formatAddress, listenHttp, type ListeningHttp } from './httpListen';
