"""Unattended token renewal: `--credentials-file` with an app's refresh token and client credentials.

On a 401 the client asks the store's OAuth token endpoint (named by the discovery
document on the API host) for a new access token with `grant_type=refresh_token`,
and the file is rewritten atomically (temporary file, mode 0600 where the OS has
modes, rename) so the next scheduled run starts with the new tokens. Nothing here
prints a token.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .errors import AuthError, TokenError

if TYPE_CHECKING:
    import httpx

KEYS = ("access_token", "refresh_token", "client_id", "client_secret")


class Credentials:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TokenError(f"cannot read the credentials file {path}: {exc.strerror}") from None
        except ValueError:
            raise TokenError(f"the credentials file {path} is not valid JSON") from None
        missing = [k for k in KEYS if not isinstance(data, dict) or not isinstance(data.get(k), str) or not data[k]]
        if missing:
            raise TokenError(f"the credentials file {path} lacks {', '.join(missing)}")
        self._data: dict[str, str] = data

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
        """Temporary file in the same folder, mode 0600 where the OS has modes, then an atomic rename.

        On Windows the file stays as private as the folder the user keeps it in.
        """
        import tempfile  # only a renewal writes the file

        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".credentials-")
        try:
            if os.name == "posix":
                os.chmod(temporary, 0o600)  # os.fchmod is POSIX-only before Python 3.13
            with os.fdopen(handle, "w", encoding="utf-8") as f:
                json.dump(self._data, f, indent=2)
            os.replace(temporary, self.path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise AuthError(f"the token was renewed but {self.path} could not be rewritten") from None
