"""``site.github`` as a local, offline ``jekyll build`` gives it.

jekyll-github-metadata 2.15 (site_github_munger.rb) is loaded only when the site names it
in ``plugins`` (or the old ``gems``); the corpus sites, made for GitHub Pages (which adds
it), do not. Without it ``site.github`` is whatever ``_config.yml`` says under ``github``
(usually nothing), so ``{{ site.github.url }}`` prints nothing.

With it, ``site.github`` is a ``MetadataDrop`` (metadata_drop.rb) deep-merged with the
config's ``github`` hash. Its ``url`` is ``Repository#html_url``: the Pages API's
``html_url``, which offline is missing (client.rb: ``save_from_errors`` returns nothing
when ``internet_connected?`` fails), so ``RepositoryCompat#pages_url``. Outside the
``dotcom``/``test`` environments custom domains are off, so that is ``enterprise_url``:
``https://github.com/pages/OWNER`` for a user site, else
``https://github.com/pages/OWNER/NAME``. In development (the default ``JEKYLL_ENV``) a
user site is a repository named ``OWNER.localhost:4000`` or ``OWNER.github.com``, so an
``OWNER.github.io`` repository still gets ``.../pages/OWNER/OWNER.github.io``. The
repository comes from ``PAGES_REPO_NWO``, then ``repository:`` in the config (with a
``/``), then, in development, the ``origin`` remote of the folder the build runs in
(repository_finder.rb); with none,
``NoRepositoryError`` stops the build the moment ``site.github.url`` is rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from epilint.feed.values import unknown

PLUGIN = "jekyll-github-metadata"
_REMOTE = re.compile(r"github\.com(:|/)([\w-]+)/([\w.-]+)")


class NoRepositoryError(Exception):
    """repository_finder.rb: no repository name found; the build fails."""


@dataclass(frozen=True)
class GitHubModel:
    """What the build knows of the repository."""

    loaded: bool
    config_value: object = None
    #: ``PAGES_REPO_NWO`` of the build's environment.
    env_nwo: str | None = None
    #: ``repository:`` of the config.
    config_repository: object = None
    #: The ``origin`` remote URL of the folder ``jekyll build`` runs in.
    origin_remote: str | None = None
    jekyll_env: str = "development"

    def nwo(self) -> str:
        if self.env_nwo:
            return self.env_nwo
        repo = self.config_repository
        if isinstance(repo, str) and "/" in repo:
            return repo
        if self.jekyll_env in ("development", "test") and self.origin_remote:
            remote = self.origin_remote.removesuffix(".git")
            match = _REMOTE.search(remote)
            if match is not None:
                return f"{match.group(2)}/{match.group(3)}"
        raise NoRepositoryError(
            "No repo name found. Specify using PAGES_REPO_NWO environment variables, "
            "'repository' in your configuration, or set up an 'origin' git remote"
        )

    def url(self) -> str:
        """``Repository#html_url`` offline (see the module docstring)."""
        if self.jekyll_env in ("dotcom", "test"):
            return unknown("site.github.url with custom domains on (PAGES_ENV dotcom/test)")
        nwo = self.nwo()
        owner, _, name = nwo.partition("/")
        name = nwo.split("/")[-1]
        # Repository#primary?: the name is the owner's default domain or OWNER.github.com;
        # the default domain uses Pages.pages_hostname, `localhost:4000` in development
        # (pages.rb), `github.io` otherwise.
        hostname = "localhost:4000" if self.jekyll_env == "development" else "github.io"
        user_page = name.lower() in (f"{owner}.{hostname}".lower(), f"{owner}.github.com".lower())
        path = owner if user_page else nwo
        return f"https://github.com/pages/{path}".rstrip("/")

    def user_page(self) -> bool:
        nwo = self.nwo()
        owner, name = nwo.split("/")[0], nwo.split("/")[-1]
        hostname = "localhost:4000" if self.jekyll_env == "development" else "github.io"
        return name.lower() in (f"{owner}.{hostname}".lower(), f"{owner}.github.com".lower())

    def config_fallback(self, key: str, config: dict[str, object]) -> tuple[bool, object]:
        """``SiteGitHubMunger#munge!`` (site_github_munger.rb): with the plugin loaded, a
        missing ``title`` is the repository name (the owner for a user site; none when
        ``name`` is set), a missing ``description`` the repository's (absent offline);
        in production (``JEKYLL_ENV``, or a Pages build) a missing ``url`` is the Pages
        URL without its path and a missing (or ``/``) ``baseurl`` its path. Values are
        computed when read, as the plugin's ``Value`` objects are. (False, None) when the
        key has no fallback here."""
        if not self.loaded:
            return False, None
        current = config.get(key)
        if (
            key == "title"
            and current in (None, False)
            and not (config.get("name") and not config.get("title"))
        ):
            nwo = self.nwo()
            return True, (nwo.split("/")[0] if self.user_page() else nwo.split("/")[-1])
        if key == "description" and current in (None, False):
            self.nwo()
            return True, None
        if self.jekyll_env == "production":
            url = self.url()
            scheme, _, rest = url.partition("://")
            host, _, path = rest.partition("/")
            if key == "url" and current in (None, False):
                return True, f"{scheme}://{host}"
            if key == "baseurl" and current in (None, "/"):
                return True, "/" + path if path else ""
        return False, None

    def namespace(self) -> object:
        """``site.github``."""
        if not self.loaded:
            return self.config_value
        if self.config_value is not None and not isinstance(self.config_value, dict):
            return self.config_value
        return MetadataDrop(self, self.config_value if isinstance(self.config_value, dict) else {})


class MetadataDrop:
    """The plugin's ``site.github``: offline, only repository-derived keys are known."""

    def __init__(self, model: GitHubModel, overrides: dict[str, object]) -> None:
        self.model = model
        self.overrides = overrides

    def __getitem__(self, key: object) -> object:
        if not isinstance(key, str):
            return None
        if key in self.overrides:
            return self.overrides[key]
        model = self.model
        if key == "url":
            return model.url()
        nwo = model.nwo()
        owner, _, _ = nwo.partition("/")
        name = nwo.split("/")[-1]
        if key == "repository_nwo":
            return nwo
        if key in ("repository_name", "project_title"):
            return name
        if key == "owner_name":
            return owner
        if key == "owner_url":
            return f"https://github.com/{owner}"
        if key == "repository_url":
            return f"https://github.com/{owner}/{name}"
        if key == "clone_url":
            return f"https://github.com/{owner}/{name}.git"
        return unknown(f"site.github.{key} (GitHub API data, absent offline)")

    def liquid_to_s(self) -> str:
        return unknown("site.github printed whole")


def model_for(
    plugins: tuple[str, ...],
    config: dict[str, object],
    *,
    env_nwo: str | None = None,
    origin_remote: str | None = None,
    jekyll_env: str = "development",
) -> GitHubModel:
    return GitHubModel(
        loaded=PLUGIN in plugins,
        config_value=config.get("github"),
        env_nwo=env_nwo,
        config_repository=config.get("repository"),
        origin_remote=origin_remote,
        jekyll_env=jekyll_env,
    )
