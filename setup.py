"""Build hook: the prebuilt JupyterLab extension reaches editable installs too.

Everything else about the build is in pyproject.toml. Its ``[tool.setuptools.data-files]`` put the
prebuilt labextension (labextension/prebuilt) into ``share/jupyter/labextensions``, where JupyterLab
and Notebook 7 find it. A normal wheel carries those files, but setuptools' ``editable_wheel``
(through at least 84.x) asks the distribution ``has_data()`` — a method that does not exist, the real
one is ``has_data_files()`` — so ``pip install -e .`` silently leaves them out. This command runs
``install_data`` for the editable wheel as well (distutils runs a command once, so it stays correct
once setuptools fixes that). tests/test_labextension_packaging.py builds an editable wheel and checks.
"""

from __future__ import annotations

from setuptools import setup
from setuptools.command.editable_wheel import editable_wheel


class EditableWheelWithData(editable_wheel):
    """``editable_wheel`` that also writes the data files into the wheel's ``.data/data``."""

    def _run_install(self, category: str) -> None:
        super()._run_install(category)
        if category == "data" and self.distribution.has_data_files():
            self.run_command("install_data")


setup(cmdclass={"editable_wheel": EditableWheelWithData})
