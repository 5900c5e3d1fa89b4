import * as vscode from 'vscode';
import {
  BaseLanguageClient,
  ClientCapabilities,
  Disposable,
  FeatureState,
  StaticFeature,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';

/** Server progress the user can see and stop: one notification per token. */
class ProgressNotification {
  private readonly listener: Disposable;
  private finish: (() => void) | undefined;
  private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  private reported = 0;
  private ended = false;

  constructor(
    private readonly client: BaseLanguageClient,
    private readonly token: string | number,
    private readonly onEnd: (part: ProgressNotification) => void,
  ) {
    this.listener = client.onProgress(WorkDoneProgress.type, token, (value) => {
      if (value.kind === 'begin') this.begin(value);
      else if (value.kind === 'report') this.report(value);
      else this.end();
    });
  }

  private begin(value: WorkDoneProgressBegin): void {
    if (this.ended) return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: value.title, cancellable: value.cancellable ?? false }, (progress, cancel) => {
      if (this.ended) return Promise.resolve();
      this.progress = progress;
      cancel.onCancellationRequested(() => void this.client.sendNotification(WorkDoneProgressCancelNotification.type, { token: this.token }));
      this.report(value);
      return new Promise<void>((resolve) => (this.finish = resolve));
    });
  }

  private report(value: WorkDoneProgressBegin | WorkDoneProgressReport): void {
    // VS Code's bar counts increments; the server sends the share done so far.
    const percentage = value.percentage === undefined ? undefined : Math.max(0, Math.min(100, value.percentage));
    const increment = percentage === undefined ? undefined : Math.max(0, percentage - this.reported);
    if (increment !== undefined) this.reported += increment;
    this.progress?.report({ message: value.message, increment });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.listener.dispose();
    this.finish?.();
    this.onEnd(this);
  }
}

/**
 * Shows the server's long work (reading a large log, indexing the workspace) as a notification
 * with Cancel, counting the whole file. The language client's own handling shows it only in the
 * status bar, where it cannot be stopped. Registered after the client's built-in features, so on
 * every start its handler for `window/workDoneProgress/create` is the one in place.
 */
export class NotificationProgressFeature implements StaticFeature {
  private readonly active = new Set<ProgressNotification>();
  private handler: Disposable | undefined;

  constructor(private readonly client: BaseLanguageClient) {}

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.window = { ...capabilities.window, workDoneProgress: true };
  }

  getState(): FeatureState {
    return { kind: 'window', id: WorkDoneProgressCreateRequest.method, registrations: this.active.size > 0 };
  }

  initialize(): void {
    this.handler?.dispose();
    this.handler = this.client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      this.active.add(new ProgressNotification(this.client, token, (part) => this.active.delete(part)));
    });
  }

  clear(): void {
    for (const part of [...this.active]) part.end();
  }
}
