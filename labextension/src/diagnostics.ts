/**
 * As-you-type errors in `%%cmpivot` cells: a @codemirror/lint source fed by the kernel.
 *
 * The kernel side (cmpivot_magic/magic/completion.py, installed by `%load_ext cmpivot_magic`)
 * answers on the comm target `cmpivot.diagnostics`: we send `{id, code}`, it replies
 * `{id, diagnostics: [{from, to, message, severity}]}` with offsets in code points (Python string
 * indices). One comm per kernel, reopened after a restart; an unanswered request yields no
 * diagnostics, so a kernel without the magic loaded simply shows none.
 */

import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import type { Kernel, KernelMessage } from '@jupyterlab/services';

export const TARGET = 'cmpivot.diagnostics';
const TIMEOUT_MS = 5000;

interface IKernelDiagnostic {
  from: number;
  to: number;
  message: string;
  severity: 'error' | 'warning';
}

/** UTF-16 index (CodeMirror's positions) of code-point offset `offset` in `text`. */
export function codePointToUtf16(text: string, offset: number): number {
  let index = 0;
  for (let n = 0; n < offset && index < text.length; n++) {
    const unit = text.charCodeAt(index);
    const pair = unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length;
    index += pair ? 2 : 1;
  }
  return index;
}

/** The request channel to one kernel. */
class Channel {
  private comm: Kernel.IComm | null = null;
  private next = 1;
  private pending = new Map<number, (found: IKernelDiagnostic[]) => void>();

  constructor(private kernel: Kernel.IKernelConnection) {}

  request(code: string): Promise<IKernelDiagnostic[]> {
    const comm = this.open();
    const id = this.next++;
    return new Promise(resolve => {
      const timer = setTimeout(() => this.settle(id, []), TIMEOUT_MS);
      this.pending.set(id, found => {
        clearTimeout(timer);
        resolve(found);
      });
      comm.send({ id, code });
    });
  }

  private settle(id: number, found: IKernelDiagnostic[]): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(found);
  }

  private open(): Kernel.IComm {
    if (this.comm && !this.comm.isDisposed) {
      return this.comm;
    }
    const comm = this.kernel.createComm(TARGET);
    comm.onMsg = (msg: KernelMessage.ICommMsgMsg) => {
      const data = msg.content.data as { id?: number; diagnostics?: IKernelDiagnostic[] };
      if (typeof data.id === 'number') {
        this.settle(data.id, Array.isArray(data.diagnostics) ? data.diagnostics : []);
      }
    };
    // the kernel closes it at once when the target is not registered (magic not loaded yet)
    comm.onClose = () => {
      this.comm = null;
      for (const id of [...this.pending.keys()]) {
        this.settle(id, []);
      }
    };
    comm.open({});
    this.comm = comm;
    return comm;
  }
}

const channels = new WeakMap<Kernel.IKernelConnection, Channel>();

/** A lint source for one editor; `kernelOf()` finds its notebook's kernel at the time of asking. */
export function kernelLintSource(
  kernelOf: () => Kernel.IKernelConnection | null | undefined
): (view: EditorView) => Promise<Diagnostic[]> {
  return async (view: EditorView) => {
    const kernel = kernelOf();
    if (!kernel || kernel.isDisposed || kernel.connectionStatus !== 'connected') {
      return [];
    }
    let channel = channels.get(kernel);
    if (!channel) {
      channel = new Channel(kernel);
      channels.set(kernel, channel);
    }
    const code = view.state.doc.toString();
    const found = await channel.request(code);
    const length = view.state.doc.length;
    return found.map(d => {
      const from = Math.min(codePointToUtf16(code, d.from), length);
      const to = Math.min(Math.max(codePointToUtf16(code, d.to), from), length);
      return { from, to, message: d.message, severity: d.severity === 'warning' ? 'warning' : 'error' };
    });
  };
}
