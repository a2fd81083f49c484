#!/bin/sh
# Build the prebuilt labextension into prebuilt/ against the installed JupyterLab's core (its staging
# folder pins the shared packages' versions). `jupyter labextension build .` does the same where
# jupyter_builder does not intercept it.
set -e
cd "$(dirname "$0")/.."
CORE=$(python -c "import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), 'staging'))")
rm -rf prebuilt
node node_modules/@jupyterlab/builder/lib/build-labextension.js --core-path "$CORE" .
cp install.json prebuilt/install.json
