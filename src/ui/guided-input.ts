// The steps of a guided input (QuickPick and InputBox with step numbers and a Back button), behind an interface
// so the flow that uses them can be driven by a script in tests.
import * as vscode from 'vscode';

/** What a step returns when the user pressed Back. */
export const BACK = Symbol('back');
/** A step's answer, Back, or undefined when the user escaped. */
export type StepResult<T> = T | typeof BACK | undefined;

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface PickStep<T> {
  title: string;
  step: number;
  totalSteps: number;
  placeholder: string;
  items: PickItem<T>[];
  active?: T;
}

export interface InputStep {
  title: string;
  step: number;
  totalSteps: number;
  prompt: string;
  value: string;
  placeholder?: string;
  password?: boolean;
  /** A message when the value can't be accepted. */
  validate?: (value: string) => string | undefined;
}

export interface GuidedPrompts {
  pick<T>(step: PickStep<T>): Promise<StepResult<T>>;
  input(step: InputStep): Promise<StepResult<string>>;
}

/** The real prompts: VS Code's quick input, kept open when focus moves away (the user may look up a URL). */
export const quickInputPrompts: GuidedPrompts = {
  pick<T>(options: PickStep<T>): Promise<StepResult<T>> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<PickItem<T>>();
      Object.assign(qp, { title: options.title, step: options.step, totalSteps: options.totalSteps, placeholder: options.placeholder, items: options.items, ignoreFocusOut: true });
      qp.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
      const current = options.items.find((i) => i.value === options.active);
      if (current) qp.activeItems = [current];
      let done = false;
      const finish = (value: StepResult<T>) => {
        if (done) return;
        done = true;
        resolve(value);
        qp.dispose();
      };
      qp.onDidTriggerButton(() => finish(BACK));
      qp.onDidAccept(() => finish(qp.selectedItems[0]?.value));
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  },

  input(options: InputStep): Promise<StepResult<string>> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      Object.assign(box, { title: options.title, step: options.step, totalSteps: options.totalSteps, prompt: options.prompt, value: options.value, placeholder: options.placeholder, password: !!options.password, ignoreFocusOut: true });
      box.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
      let done = false;
      const finish = (value: StepResult<string>) => {
        if (done) return;
        done = true;
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue((v) => (box.validationMessage = v && options.validate ? options.validate(v) : undefined));
      box.onDidTriggerButton(() => finish(BACK));
      box.onDidAccept(() => {
        const problem = options.validate?.(box.value);
        if (problem) box.validationMessage = problem;
        else finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  },
};
