"""Sphinx configuration of nvx's documentation: Furo, sphinx-autoapi, MyST, as the WAMP stack builds its docs.

    just docs                          # HTML into docs/_build/html, warnings as errors (scripts/ci/docs.sh)
    just docs-check                    # spelling (docs/spelling_wordlist.txt)

The pages are the repository's own Markdown files, not copies: docs/*.md are read where they are, and README.md,
CHANGELOG.md, benches/*.md and the conformance README are pulled in by MyST ``{include}`` from small pages here
(index.md, changelog.md, ...). Their relative links were written for GitHub (``docs/c-abi.md`` from README.md,
``../scripts/...`` from docs/): :func:`rewrite_links` resolves each against the file it is written in and points it
at the page that shows that file, or, for a file that is no page (``include/nvx.h``, ``LICENSE``, scripts), at the
file on GitHub. The Python API comes from the package's docstrings and the stub ``_nvx.pyi`` (sphinx-autoapi reads
the sources; nothing is imported, nothing built). Intersphinx needs the network: it is on where Read the Docs builds
(READTHEDOCS set) or with NVX_DOCS_INTERSPHINX=1, and off otherwise, so that an offline build (CI) cannot fail on it.
"""

import os
import posixpath
import re
from datetime import UTC, datetime
from typing import Any

DOCS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(DOCS)
REPOSITORY = "https://github.com/nvx-ws/nvx"
BRANCH = "main"


def _version() -> str:
    with open(os.path.join(ROOT, "python", "nvx_ws", "_version.py"), encoding="utf-8") as f:
        match = re.search(r'^__version__ = "([^"]+)"$', f.read(), re.M)
    return match.group(1) if match else "unknown"


# -- Project -----------------------------------------------------------------------------------------------------
project = "nvx"
author = "The nvx developers"
copyright = f"{datetime.now(UTC):%Y}, {author}"
release = version = _version()

# -- General -----------------------------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",  # AutoAPI renders through it
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.todo",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxext.opengraph",
    "autoapi.extension",
]
# The spelling builder needs the enchant C library (apt: libenchant-2-2, hunspell-en-gb): loaded only for
# `just docs-check` (scripts/ci/docs.sh spelling sets NVX_DOCS_SPELLING=1), so that the HTML build needs no C library.
if os.environ.get("NVX_DOCS_SPELLING") == "1":
    extensions.append("sphinxcontrib.spelling")

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
# Markdown as GitHub renders it: a heading may skip a level (### under #) without a warning.
suppress_warnings = ["myst.header"]

# -- MyST --------------------------------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "tasklist", "attrs_block", "attrs_inline", "linkify"]
myst_heading_anchors = 4  # README.md's [Reliability](#reliability) and the like
myst_linkify_fuzzy_links = False  # only http(s) URLs become links, not every word with a dot (nvx.h, libnvx.so)

# -- AutoAPI: the Python package from its sources and stubs ------------------------------------------------------
autoapi_type = "python"
autoapi_dirs = [os.path.join(ROOT, "python", "nvx_ws")]
autoapi_root = "autoapi"
autoapi_add_toctree_entry = True
autoapi_keep_files = False
autoapi_options = ["members", "undoc-members", "show-inheritance", "show-module-summary"]
autoapi_member_order = "groupwise"
# The package re-exports its classes at the top level: they are documented where they are defined
# (nvx_ws.utf8.Utf8Validator, ...), which the top-level summary links to.


def autoapi_skip_member(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> bool:
    """The compiled module's stub (nvx_ws._nvx: ``ffi``, ``lib`` and the C functions) is documented although its
    name is private: it is the C ABI as Python sees it."""
    if name == "nvx_ws._nvx" or name.startswith("nvx_ws._nvx."):
        return False
    return skip


# -- Intersphinx (needs the network: see the module docstring) ---------------------------------------------------
if os.environ.get("READTHEDOCS") or os.environ.get("NVX_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "autobahn": ("https://autobahn.readthedocs.io/en/latest/", None),
    }
else:
    intersphinx_mapping = {}
intersphinx_cache_limit = 5

# -- HTML: Furo with the stack's Noto fonts ----------------------------------------------------------------------
html_theme = "furo"
html_title = f"nvx {release}"
html_static_path = ["_static"]
html_css_files = [
    "https://fonts.googleapis.com/css2?family=Noto+Sans:wght@400;500;600;700&family=Noto+Sans+Mono:wght@400;500"
    "&display=swap",
    "custom.css",
]
_fonts = {
    "font-stack": "'Noto Sans', -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif",
    "font-stack--monospace": "'Noto Sans Mono', SFMono-Regular, Menlo, Consolas, monospace",
}
html_theme_options = {
    "source_repository": REPOSITORY + "/",
    "source_branch": BRANCH,
    "source_directory": "docs/",
    "light_css_variables": dict(_fonts),
    "dark_css_variables": dict(_fonts),
}

# -- Spelling, OpenGraph, misc -----------------------------------------------------------------------------------
spelling_lang = "en_GB"  # the project writes British English (behaviour, initialise)
spelling_word_list_filename = "spelling_wordlist.txt"
spelling_show_suggestions = True
spelling_ignore_pypi_package_names = False
spelling_ignore_contributor_names = False
spelling_exclude_patterns = ["autoapi/**", "c-header.md"]
ogp_site_url = "https://nvx-ws.readthedocs.io/en/latest/"
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # the cards need matplotlib
todo_include_todos = True
add_module_names = False

# -- Links written for GitHub ------------------------------------------------------------------------------------
# The repository's Markdown files that are pages: docs/<name>.md itself, and the files the pages here include
# (found in their ``{include}`` and ``{literalinclude}`` lines), each mapped to its page.
_INCLUDE = re.compile(r"^```\{(?:include|literalinclude)\}\s+(\S+)", re.M)


def _pages() -> dict[str, str]:
    pages = {}
    for name in sorted(os.listdir(DOCS)):
        if not name.endswith(".md"):
            continue
        docname = name[:-3]
        pages["docs/" + name] = docname
        with open(os.path.join(DOCS, name), encoding="utf-8") as f:
            for target in _INCLUDE.findall(f.read()):
                pages[posixpath.normpath(posixpath.join("docs", target))] = docname
    return pages


PAGES = _pages()
# [text](target) and [label]: target, but not images (![..](..): MyST's relative-images handles them) and not
# inside fenced code blocks.
_LINK = re.compile(r"(?<!!)(\]\()([^)\s]+)(\))|^(\[[^\]]+\]:\s+)(\S+)", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def _rewrite_target(target: str, source: str, page: str) -> str:
    """``target`` as written in the repository file ``source``, as a link from the page ``page``."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
        return target  # a URL, an anchor in the same page, an absolute path: as written
    path, _, anchor = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if resolved.startswith("../") or not os.path.exists(os.path.join(ROOT, resolved)):
        return target  # nothing there: left for Sphinx to report
    if resolved in PAGES:
        link = posixpath.relpath(PAGES[resolved] + ".md", posixpath.dirname(page) or ".")
    else:
        kind = "tree" if os.path.isdir(os.path.join(ROOT, resolved)) else "blob"
        link = "%s/%s/%s/%s" % (REPOSITORY, kind, BRANCH, resolved)
    return link + ("#" + anchor if anchor else "")


def rewrite_links(text: str, source: str, page: str) -> str:
    """Every relative link in ``text`` (the repository file ``source``, shown on the page ``page``) rewritten."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1) + _rewrite_target(match.group(2), source, page) + match.group(3)
        return match.group(4) + _rewrite_target(match.group(5), source, page)

    out, last = [], 0
    for fence in _FENCE.finditer(text):
        out.append(_LINK.sub(one, text[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_LINK.sub(one, text[last:]))
    return "".join(out)


_TOCTREE = re.compile(r"^```\{toctree\}\n(.*?)^```$", re.M | re.S)


def add_unlisted_pages(index: str) -> str:
    """The index's toctree with every docs/*.md page it does not name appended (a page another change adds joins
    the navigation by itself; a toctree glob would warn, unsuppressibly, once it matched nothing new)."""
    match = _TOCTREE.search(index)
    if not match:
        return index
    listed = {line.strip() for line in match.group(1).splitlines()}
    missing = [page for page in sorted(set(PAGES.values())) if page != "index" and page not in listed]
    return index[: match.end(1)] + "".join(page + "\n" for page in missing) + index[match.end(1) :]


def _on_source_read(app: Any, docname: str, content: list[str]) -> None:
    if app.env.doc2path(docname).suffix == ".md" and not docname.startswith("autoapi/"):
        content[0] = rewrite_links(content[0], "docs/%s.md" % docname, docname)
        if docname == root_doc:
            content[0] = add_unlisted_pages(content[0])


def _on_include_read(app: Any, relative_path: Any, parent_docname: str, content: list[str]) -> None:
    source = posixpath.normpath(posixpath.join("docs", str(relative_path).replace(os.sep, "/")))
    if source.endswith(".md"):
        content[0] = rewrite_links(content[0], source, str(parent_docname))


def _index_always_read(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    return [root_doc]  # its toctree depends on which pages exist, not only on index.md


def setup(app: Any) -> None:
    app.connect("env-get-outdated", _index_always_read)
    app.connect("source-read", _on_source_read)
    app.connect("include-read", _on_include_read)
    app.connect("autoapi-skip-member", autoapi_skip_member)
