// A minimal `vscode` module for running the built extension in plain Node: just enough of the API for activate()
// and the tree to work. Members it does not model answer with a recorded no-op returning a Disposable, so a new API
// use in activate() shows up in `touched` instead of crashing the benchmark.
import Module from 'node:module';

export interface StandInOptions {
  /** Settings by full key, e.g. `veeamApiExplorer.connections`. */
  settings?: Record<string, unknown>;
  /** SecretStorage contents. */
  secrets?: Record<string, string>;
  /** The host runs the extension's tests (`ExtensionMode.Test`): activate() then returns its test API. Default: Production. */
  testMode?: boolean;
}

export interface StandIn {
  vscode: Record<string, unknown>;
  context: Record<string, unknown>;
  /** Names of the API members the extension touched (`window.createTreeView`, …). */
  touched: Set<string>;
  /** Members without a model that were called (answered by a no-op). */
  unmodelled: Set<string>;
}

const disposable = () => ({ dispose() {} });

class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  event = (listener: (e: T) => unknown, thisArg?: unknown, disposables?: Array<{ dispose(): void }>) => {
    const bound = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.add(bound);
    const d = { dispose: () => this.listeners.delete(bound) };
    disposables?.push(d);
    return d;
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class TreeItem {
  label?: unknown;
  resourceUri?: unknown;
  collapsibleState?: number;
  id?: string;
  description?: string | boolean;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(labelOrUri: unknown, collapsibleState = 0) {
    if (typeof labelOrUri === 'string' || (labelOrUri && typeof labelOrUri === 'object' && 'label' in labelOrUri)) this.label = labelOrUri;
    else this.resourceUri = labelOrUri;
    this.collapsibleState = collapsibleState;
  }
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: unknown,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  static file(path: string): Uri {
    return new Uri('file', '', path, '', '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return base.with({ path: [base.path.replace(/\/+$/, ''), ...parts].join('/') });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

class FileSystemError extends Error {
  constructor(
    message?: unknown,
    readonly code = 'Unknown',
  ) {
    super(String(message ?? code));
  }
  static FileNotFound(m?: unknown) {
    return new FileSystemError(m, 'FileNotFound');
  }
  static FileExists(m?: unknown) {
    return new FileSystemError(m, 'FileExists');
  }
  static FileNotADirectory(m?: unknown) {
    return new FileSystemError(m, 'FileNotADirectory');
  }
  static FileIsADirectory(m?: unknown) {
    return new FileSystemError(m, 'FileIsADirectory');
  }
  static NoPermissions(m?: unknown) {
    return new FileSystemError(m, 'NoPermissions');
  }
  static Unavailable(m?: unknown) {
    return new FileSystemError(m, 'Unavailable');
  }
}

function format(message: string, args: unknown[]): string {
  const named = args.length === 1 && args[0] && typeof args[0] === 'object' ? (args[0] as Record<string, unknown>) : undefined;
  return message.replace(/\{(\w+)\}/g, (all, key: string) => {
    const value = named ? named[key] : args[Number(key)];
    return value === undefined ? all : String(value);
  });
}

const cancellationToken = { isCancellationRequested: false, onCancellationRequested: () => disposable() };

/** Builds the stand-in and makes `require('vscode')` return it. */
export function installVscodeStandIn(options: StandInOptions = {}): StandIn {
  const touched = new Set<string>();
  const unmodelled = new Set<string>();
  const settings = new Map(Object.entries(options.settings ?? {}));
  const secrets = new Map(Object.entries(options.secrets ?? {}));
  const configurationChanged = new EventEmitter<unknown>();

  /** Records every member read; a member without a model is a no-op that returns a Disposable. */
  const recorded = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key !== 'string') return Reflect.get(t, key, receiver);
        touched.add(`${name}.${key}`);
        if (key in t) return Reflect.get(t, key, receiver);
        if (key === 'then') return undefined;
        return (..._args: unknown[]) => {
          unmodelled.add(`${name}.${key}`);
          return disposable();
        };
      },
    });

  const outputChannel = (name: string) =>
    recorded('OutputChannel', {
      name,
      logLevel: 2,
      onDidChangeLogLevel: new EventEmitter<number>().event,
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error() {},
      append() {},
      appendLine() {},
      replace() {},
      clear() {},
      show() {},
      hide() {},
      dispose() {},
    });

  const treeView = () =>
    recorded('TreeView', {
      visible: false,
      selection: [] as unknown[],
      message: undefined as string | undefined,
      title: undefined as string | undefined,
      description: undefined as string | undefined,
      badge: undefined,
      onDidChangeSelection: new EventEmitter<unknown>().event,
      onDidChangeVisibility: new EventEmitter<unknown>().event,
      onDidExpandElement: new EventEmitter<unknown>().event,
      onDidCollapseElement: new EventEmitter<unknown>().event,
      onDidChangeCheckboxState: new EventEmitter<unknown>().event,
      reveal: async () => undefined,
      dispose() {},
    });

  const configuration = (section?: string) => {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      get: <T>(key: string, fallback?: T) => (settings.has(full(key)) ? (settings.get(full(key)) as T) : fallback),
      has: (key: string) => settings.has(full(key)),
      inspect: (key: string) => ({ key: full(key), globalValue: settings.get(full(key)) }),
      update: async (key: string, value: unknown) => {
        settings.set(full(key), value);
        configurationChanged.fire({ affectsConfiguration: (s: string) => full(key).startsWith(s) || s.startsWith(full(key)) });
      },
    };
  };

  const vscode: Record<string, unknown> = {
    version: '1.100.0',
    EventEmitter,
    Disposable,
    TreeItem,
    ThemeIcon,
    ThemeColor,
    MarkdownString,
    Uri,
    FileSystemError,
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
    FilePermission: { Readonly: 1 },
    FileChangeType: { Changed: 1, Created: 2, Deleted: 3 },
    QuickInputButtons: { Back: { iconPath: new ThemeIcon('arrow-left') } },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    l10n: recorded('l10n', {
      t: (message: string | { message: string; args?: unknown[] }, ...args: unknown[]) =>
        typeof message === 'string' ? format(message, args) : format(message.message, message.args ?? []),
      bundle: undefined,
      uri: undefined,
    }),
    window: recorded('window', {
      createOutputChannel: outputChannel,
      createTreeView: treeView,
      registerTreeDataProvider: disposable,
      withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => unknown) => task({ report() {} }, cancellationToken),
      setStatusBarMessage: disposable,
      showInformationMessage: async () => undefined,
      showWarningMessage: async () => undefined,
      showErrorMessage: async () => undefined,
      showInputBox: async () => undefined,
      showQuickPick: async () => undefined,
      activeTextEditor: undefined,
      visibleTextEditors: [],
    }),
    workspace: recorded('workspace', {
      getConfiguration: configuration,
      onDidChangeConfiguration: configurationChanged.event,
      registerFileSystemProvider: disposable,
      registerTextDocumentContentProvider: disposable,
      onDidCloseTextDocument: new EventEmitter<unknown>().event,
      onDidOpenTextDocument: new EventEmitter<unknown>().event,
      textDocuments: [],
      workspaceFolders: undefined,
    }),
    commands: recorded('commands', {
      registerCommand: disposable,
      executeCommand: async () => undefined,
    }),
    env: recorded('env', {
      language: 'en',
      appName: 'bench',
      clipboard: { readText: async () => '', writeText: async () => undefined },
    }),
    languages: recorded('languages', { setTextDocumentLanguage: async (d: unknown) => d, registerCodeLensProvider: disposable }),
    // Copilot Chat's tools are registered at activation; nothing calls them here.
    lm: recorded('lm', { registerTool: disposable, tools: [] }),
  };

  const secretChanged = new EventEmitter<unknown>();
  const context = recorded('ExtensionContext', {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    secrets: recorded('SecretStorage', {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
      keys: async () => [...secrets.keys()],
      onDidChange: secretChanged.event,
    }),
    globalState: memento(),
    workspaceState: memento(),
    extensionPath: process.cwd(),
    extensionUri: Uri.file(process.cwd()),
    globalStorageUri: Uri.file('/tmp/veeam-api-explorer-bench'),
    logUri: Uri.file('/tmp/veeam-api-explorer-bench/log'),
    extensionMode: options.testMode ? 3 : 1,
  });

  const proxied = recorded('vscode', vscode);
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return proxied;
    return load.call(this, request, ...rest);
  };
  return { vscode: proxied, context, touched, unmodelled };
}

function memento() {
  const values = new Map<string, unknown>();
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync() {},
  };
}
