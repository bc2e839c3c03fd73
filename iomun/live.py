"""Controls that need a live kernel, as the static page shows them: their default state and the Binder link.

A slider or a dropdown whose callbacks run in Python does nothing on the static site. The
chapter hides the control's cell there (``remove-cell``) and shows :func:`static_stand_in`
instead: what the control shows before a reader touches it, and a link that opens the
chapter on Binder, where it works.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CONFIG = Path(__file__).resolve().parent.parent / "_config.yml"  # the one place naming the repository


def binder_url(notebook: str, config_path: Path = CONFIG) -> str:
    """The Binder address opening ``notebook`` (``notebooks/…ipynb``) in JupyterLab, from ``_config.yml``."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    repository = config["repository"]
    org, repo = urlsplit(repository["url"]).path.strip("/").removesuffix(".git").split("/")[:2]
    hub = config["launch_buttons"]["binderhub_url"].rstrip("/")
    branch = repository.get("branch", "main")
    return f"{hub}/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{notebook}"


def static_stand_in(title: str, what_it_does: str, default_html: str, notebook: str) -> str:
    """HTML for the static page: the control's purpose, its default output, and the Binder link.

    ``default_html`` is markup the chapter computed (escaped where it holds data); the other
    texts are escaped here.
    """
    link = html.escape(binder_url(notebook), quote=True)
    return (
        f'<div class="live-stand-in" role="group" aria-label="{html.escape(title, quote=True)}">'
        f"<p><strong>{html.escape(title)}</strong> needs a live Python kernel: {html.escape(what_it_does)} "
        f'<a href="{link}">Open this chapter on Binder</a> to use it. Before any change it shows:</p>'
        f"{default_html}</div>"
    )
