"""setuptools hook (the project is declared in pyproject.toml): every build compiles the string
catalogues, so a wheel ships the .mo files the app reads, built from the .po files it also ships.

`make install` compiles them too (`pybabel compile`); both write the same build output, which git ignores.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).parent / "src" / "paimai" / "locale"


class BuildPyWithCatalogues(build_py):
    def run(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parts[-3])
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
        super().run()  # package-data (locale/*/LC_MESSAGES/*.mo) now finds them


setup(cmdclass={"build_py": BuildPyWithCatalogues})
