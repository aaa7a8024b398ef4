// The dashboard's side of the channel to the extension host: typed, validated, with persisted state.
import { DashboardState, FromWebview, ToWebview, validateToWebview } from '../../src/protocol/dashboard';
import { onHostMessage, vscodeApi } from './vscodeApi';

export function connectDashboard(onMessage: (message: ToWebview) => void) {
  const api = vscodeApi();
  onHostMessage(validateToWebview, onMessage);
  return {
    post: (message: FromWebview) => api.postMessage(message),
    saved: () => api.getState() as DashboardState | undefined,
    save: (state: DashboardState) => api.setState(state),
  };
}
