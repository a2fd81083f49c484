/**
 * cmpivot-magic-jupyterlab: `%%cmpivot` cells highlighted as CMPivot, with the kernel's errors
 * underlined as you type, in JupyterLab 4 and Notebook 7.
 *
 * Every editor gets one extension from IEditorExtensionRegistry: a Compartment that holds the
 * CMPivot support when the cell starts with `%%cmpivot` and nothing otherwise. It is filled from
 * the cell's source when the editor is created, so colour is there as the notebook opens, and
 * refilled when an edit changes what the first line says. JupyterLab puts registry extensions
 * before its own language compartment and the `language` facet keeps the first value, so a filled
 * compartment wins and an empty one leaves IPython mode (and its highlighting) to every other cell.
 */

import { syntaxHighlighting } from '@codemirror/language';
import { linter } from '@codemirror/lint';
import { Compartment, EditorState, Extension } from '@codemirror/state';
import { classHighlighter } from '@lezer/highlight';
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CodeEditor } from '@jupyterlab/codeeditor';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';
import { INotebookTracker } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';

import { kernelLintSource } from './diagnostics';
import { cmpivot, isCmpivotCell } from './language';

const LINT_DELAY_MS = 300;

/** The notebook kernel of the cell whose editor model is `model`, if it is a notebook cell. */
function kernelFinder(
  tracker: INotebookTracker | null,
  model: CodeEditor.IModel
): () => Kernel.IKernelConnection | null | undefined {
  return () => {
    const panel = tracker?.find(p => p.content.widgets.some(cell => cell.model === model));
    return panel?.sessionContext.session?.kernel;
  };
}

function cmpivotSupport(kernelOf: () => Kernel.IKernelConnection | null | undefined): Extension {
  return [
    cmpivot(),
    syntaxHighlighting(classHighlighter), // stable tok-* classes beside the theme's colours
    linter(kernelLintSource(kernelOf), { delay: LINT_DELAY_MS })
  ];
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'cmpivot-magic-jupyterlab:plugin',
  description: 'CMPivot highlighting and as-you-type errors for %%cmpivot cells.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  optional: [INotebookTracker],
  activate: (app: JupyterFrontEnd, registry: IEditorExtensionRegistry, tracker: INotebookTracker | null) => {
    registry.addExtension({
      name: 'cmpivot-magic-jupyterlab:cmpivot',
      factory: ({ model }) => {
        const compartment = new Compartment();
        const support = cmpivotSupport(kernelFinder(tracker, model));
        const firstLine = (state: EditorState) => isCmpivotCell(state.doc.sliceString(0, 200));
        const follow = EditorState.transactionExtender.of(tr => {
          if (!tr.docChanged) {
            return null;
          }
          const now = isCmpivotCell(tr.newDoc.sliceString(0, 200));
          if (now === firstLine(tr.startState)) {
            return null;
          }
          return { effects: compartment.reconfigure(now ? support : []) };
        });
        const initial = isCmpivotCell(model.sharedModel.getSource());
        return EditorExtensionRegistry.createImmutableExtension([
          compartment.of(initial ? support : []),
          follow
        ]);
      }
    });
  }
};

export default plugin;
