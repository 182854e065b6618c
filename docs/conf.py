"""Sphinx configuration of hallsim's documentation site.

    pip install -e '.[docs]'
    python -m sphinx -b html -W --keep-going docs docs/_build/html

The pages are the Markdown files in docs/ (MyST), the README as the user guide, the
tutorial notebook rendered with its saved outputs (never executed here), and the API
reference from the docstrings of ``hallsim.__all__`` (autodoc with napoleon for the
numpy-style sections). The build reads nothing from the network.
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # this checkout's hallsim, whichever is installed
sys.path.insert(0, str(DOCS / "_ext"))

project = "hallsim"
author = "hallsim contributors"
copyright = "hallsim contributors, MIT licence"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "myst_nb",           # MyST Markdown pages and the notebook (myst-parser inside)
    "hallsim_columns",   # the column dictionary, from hallsim/results/columns.py
]

exclude_patterns = ["_build", "_ext", "**.schema.json", "roster_screenshot.py", "screenshots.py"]
html_theme = "furo"
smartquotes = False   # options stay as typed: --rules, not an en dash
html_title = "hallsim"
html_static_path = ["_static"]
html_css_files = ["hallsim.css"]

# The notebook is executed by tests/test_tutorial.py at a small size; here its saved
# outputs are shown as they are.
nb_execution_mode = "off"
myst_heading_anchors = 3          # [text](#a-heading) links, as on GitHub
myst_enable_extensions = ["colon_fence"]
suppress_warnings = ["myst.header"]   # the README's headings are written for GitHub

autodoc_default_options = {"members": True, "member-order": "bysource", "exclude-members":
                           "model_config, model_fields, model_computed_fields, model_post_init"}
autodoc_typehints = "none"        # the numpy sections say the types in words
napoleon_google_docstring = False
napoleon_numpy_docstring = True

# The Chinese pages declare their script, so browsers pick Simplified or Traditional glyphs.
_PAGE_LANGUAGES = {"zh/": "zh-Hans", "zh-Hant/": "zh-Hant"}


def _page_language(app, pagename, templatename, context, doctree):
    for prefix, tag in _PAGE_LANGUAGES.items():
        if pagename.startswith(prefix):
            context["language"] = tag


def setup(app):
    app.connect("html-page-context", _page_language)
