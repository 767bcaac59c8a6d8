"""Unattended token renewal: `--credentials-file` with an app's refresh token and client credentials.

On a 401 the client asks the store's OAuth token endpoint (named by the discovery
document on the API host) for a new access token with `grant_type=refresh_token`,
and the file is rewritten atomically (temporary file, mode 0600 where the OS has
modes, rename) so the next scheduled run starts with the new tokens. Nothing here
prints a token.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..errors import AuthError, TokenError
from ..private import FILE_MODE, POSIX_MODES, make_folder

if TYPE_CHECKING:
    import httpx

KEYS = ("access_token", "refresh_token", "client_id", "client_secret")


def kept_beside(state_dir: Path, path: Path) -> Path:
    """Where renewed tokens go when `path` cannot be rewritten: the import's private state folder, under a
    name that follows from the credentials file's own path, so the next run with the same file finds them."""
    name = hashlib.blake2b(str(path.resolve()).encode(), digest_size=8).hexdigest()
    return state_dir / f"credentials-{name}.json"


def read_credentials(path: Path) -> dict[str, str]:
    """The four values of a credentials file (TokenError when it cannot be read or lacks one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))  # Notepad saves UTF-8 with a BOM
    except OSError as exc:
        raise TokenError(f"cannot read the credentials file {path}: {exc.strerror}") from None
    except (ValueError, RecursionError):  # RecursionError: arrays nested past what the parser follows
        raise TokenError(f"the credentials file {path} is not valid JSON") from None
    missing = [k for k in KEYS if not isinstance(data, dict) or not isinstance(data.get(k), str) or not data[k]]
    if missing:
        raise TokenError(f"the credentials file {path} lacks {', '.join(missing)}")
    return data


class Credentials:
    """`state_dir`: where renewed tokens are kept when the file cannot be rewritten (see `kept_beside`);
    tokens kept there by an earlier run are used while they are newer than the file."""

    def __init__(self, path: Path, state_dir: Path | None = None) -> None:
        self.path = path
        self.beside = kept_beside(state_dir, path) if state_dir is not None else None
        self.saved_beside = ""  # what the merchant is told when renewed tokens could not be saved in the file
        self._data = read_credentials(path)
        if self.beside is not None and self.beside.exists() and self.beside.stat().st_mtime_ns > path.stat().st_mtime_ns:
            self._data = read_credentials(self.beside)

    @property
    def access_token(self) -> str:
        return self._data["access_token"]

    def secrets(self) -> tuple[str, ...]:
        """What no text the run keeps may hold: the tokens and the client secret."""
        return (self._data["access_token"], self._data["refresh_token"], self._data["client_secret"])

    async def refresh(self, http: httpx.AsyncClient, base_url: str) -> str:
        """A new access token from the token endpoint (asked through the store's own client); the file is rewritten with it."""
        import httpx  # loaded already by the client that asks

        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}"
        form = {"grant_type": "refresh_token", "refresh_token": self._data["refresh_token"],
                "client_id": self._data["client_id"], "client_secret": self._data["client_secret"]}
        host = parts.hostname or origin
        what_to_do = f"the store refused the access token, and it could not be renewed; try again later, or put new tokens in {self.path}"
        try:
            discovery = await http.get(f"{origin}/.well-known/oauth-authorization-server")
            endpoint = discovery.json()["token_endpoint"]
            host = urlsplit(endpoint).hostname or host
            answer = await http.post(endpoint, data=form)
        except (httpx.RequestError, httpx.InvalidURL, ValueError, KeyError, TypeError, AttributeError):
            raise AuthError(f"renewing the token failed: the token endpoint of {host} could not be reached or found; {what_to_do}") from None
        try:
            tokens = answer.json()
        except ValueError:
            tokens = None
        if answer.status_code != 200 or not isinstance(tokens, dict) or not isinstance(tokens.get("access_token"), str):
            if answer.status_code in (400, 401):  # invalid_grant, invalid_client: the refresh token or the client was refused
                what_to_do = f"the refresh token or the client was refused: install the app again and put its new tokens in {self.path}"
            raise AuthError(f"renewing the token failed: the token endpoint at {host} answered HTTP {answer.status_code}; {what_to_do}")
        self._data["access_token"] = tokens["access_token"]
        if isinstance(tokens.get("refresh_token"), str):
            self._data["refresh_token"] = tokens["refresh_token"]
        self._save()
        return self.access_token

    def _save(self) -> None:
        """Rewrite the file with the renewed tokens; where it cannot be (a read-only folder), keep them beside the
        journal, since the store may have rotated the refresh token and the old one no longer works."""
        try:
            self._write(self.path)
        except OSError as exc:
            if self.beside is None:
                raise AuthError(f"the token was renewed but {self.path} could not be rewritten") from None
            try:
                make_folder(self.beside.parent)
                self._write(self.beside)
            except OSError:
                raise AuthError(f"the token was renewed but neither {self.path} nor {self.beside} could be written") from None
            self.saved_beside = (
                f"the renewed tokens could not be saved in {self.path} ({exc.strerror}); they are saved in {self.beside} "
                f"(private), and the next run with --credentials-file {self.path} uses them"
            )
        else:
            if self.beside is not None:
                self.beside.unlink(missing_ok=True)  # the file has the newest tokens again

    def _write(self, path: Path) -> None:
        """Temporary file in the same folder, mode 0600 where the OS has modes, then an atomic rename.

        On Windows the file stays as private as the folder the user keeps it in.
        """
        import tempfile  # only a renewal writes the file

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".credentials-")
        try:
            if POSIX_MODES:
                os.chmod(temporary, FILE_MODE)  # os.fchmod is POSIX-only before Python 3.13
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(self._data, f, indent=2)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
