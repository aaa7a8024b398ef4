// The status-bar item shown while a run is live: step, losses and throughput.
import * as vscode from 'vscode';
import { DashboardState } from '../protocol/dashboard';

export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ganscope.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'GANscope Training';
    this.item.command = 'ganscope.dashboard.focus';
  }

  update(state: DashboardState): void {
    const live = state.status === 'starting' || state.status === 'running' || state.status === 'paused';
    if (!live) {
      this.item.hide();
      return;
    }
    const icon = state.status === 'paused' ? '$(debug-pause)' : '$(sync~spin)';
    const losses = state.dLoss === null || state.gLoss === null ? '' : ` · D ${state.dLoss.toFixed(3)} · G ${state.gLoss.toFixed(3)}`;
    const speed = state.imagesPerSec === null ? '' : ` · ${Math.round(state.imagesPerSec)} img/s`;
    this.item.text = state.status === 'starting' ? `${icon} GAN starting…` : `${icon} GAN step ${state.step}${losses}${speed}`;
    this.item.tooltip = `GANscope: ${state.preset ?? ''} ${state.status} on ${state.backend ?? '…'}. Click for the dashboard.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
