import { alertStoreContract } from './alert-store.contract';
import { MemoryAlertStore } from './memory-alert.store';

alertStoreContract('MemoryAlertStore', async (historyLimit) => new MemoryAlertStore(historyLimit));
