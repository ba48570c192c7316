// The control plane of distributed mode: agents, slot grants, jobs and the status page.
export { startMaster, DEFAULT_MASTER_PORT, type MasterOptions, type MasterHandle } from './startMaster';
export { ClusterState, type ClusterStateOptions } from './clusterState';
export { AgentRegistry, type AgentRecord } from './agentRegistry';
export { SlotAllocator, type Grant, type SlotOffer } from './slotAllocator';
export { JobBook, type JobEntry } from './jobBook';
export { renderStatusPage, escapeHtml, formatBytes, formatDuration } from './statusPage';
