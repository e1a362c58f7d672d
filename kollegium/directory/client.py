"""A thin SS 12000 client: paging, deltas, deletions, bearer token and client certificate.

Thin on purpose (issue 11): generated clients drop schemas, and the sync needs only lists.
Every list is read page by page with `pageToken` until the server gives none; a 429 is waited
out as its Retry-After says (within a limit); anything else that goes wrong raises
`SourceError` with a reason code the administrator's page translates. Records are yielded as
the JSON objects they are: parsing them is records.py's job, so one bad record never stops a
page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

#: Endpoints the sync reads, with the fixed filters it asks for.
ENDPOINTS = {
    "organisations": {},
    "persons": {"relationship.entity.type": "duty"},
    "duties": {},
    "groups": {},
    "activities": {"expandReferenceNames": "true"},
    "calendarEvents": {"expandReferenceNames": "true"},
}
PAGE_LIMIT = 500
TIMEOUT_SECONDS = 30
MAX_RETRY_AFTER_SECONDS = 120
MAX_RETRIES = 5
MAX_PAGES = 100_000


class SourceError(Exception):
    def __init__(self, reason: str, /, **params: Any) -> None:
        super().__init__(f"{reason} {params}")
        self.code = reason
        self.params = params


class SS12000Client:
    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        client_certificate: str = "",
        client_key: str = "",
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        page_limit: int = PAGE_LIMIT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        if client_certificate:
            self.session.cert = (
                (client_certificate, client_key) if client_key else client_certificate
            )
        self.sleep = sleep
        self.page_limit = page_limit

    def _get(self, path: str, params: dict[str, Any], *, page: bool = True) -> dict[str, Any]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        for _attempt in range(MAX_RETRIES + 1):
            try:
                response = self.session.get(url, params=params, timeout=TIMEOUT_SECONDS)
            except requests.exceptions.SSLError as error:
                raise SourceError("tls_failed", detail=str(error)[:200]) from error
            except requests.RequestException as error:
                raise SourceError("unreachable", detail=str(error)[:200]) from error
            if response.status_code == 429:
                wait = _retry_after_seconds(response.headers.get("Retry-After"))
                if wait is None or wait > MAX_RETRY_AFTER_SECONDS:
                    raise SourceError("rate_limited", seconds=str(wait or "?"))
                self.sleep(wait)
                continue
            if response.status_code == 401:
                raise SourceError("token_refused")
            if response.status_code == 404 and not page:
                return {}
            if response.status_code == 403:
                raise SourceError("not_authorised", endpoint=path)
            if response.status_code != 200:
                raise SourceError("http_error", status=str(response.status_code), endpoint=path)
            try:
                body = response.json()
            except ValueError:
                raise SourceError("invalid_json", endpoint=path) from None
            if not page:
                if not isinstance(body, dict) or not isinstance(body.get("id"), str):
                    raise SourceError("invalid_page", endpoint=path)
                return body
            if not isinstance(body, dict) or not isinstance(body.get("data"), list | dict):
                raise SourceError("invalid_page", endpoint=path)
            return body
        raise SourceError("rate_limited", seconds="?")

    def pages(
        self,
        endpoint: str,
        *,
        changed_after: datetime | None = None,
        filters: dict[str, Any] | None = None,
    ) -> Iterator[list[Any]]:
        """The endpoint's records, one page (a list of JSON objects) at a time."""
        params: dict[str, Any] = {
            **ENDPOINTS.get(endpoint, {}),
            **(filters or {}),
            "limit": self.page_limit,
        }
        if changed_after is not None:
            params["meta.modified.after"] = changed_after.isoformat()
        for _page in range(MAX_PAGES):
            body = self._get(endpoint, params)
            data = body["data"]
            if not isinstance(data, list):
                raise SourceError("invalid_page", endpoint=endpoint)
            yield data
            token = body.get("pageToken")
            if not token:
                return
            if not isinstance(token, str):
                raise SourceError("invalid_page", endpoint=endpoint)
            # A page token cannot be combined with filters, only with limit (the spec).
            params = {"pageToken": token, "limit": self.page_limit}
        raise SourceError("too_many_pages", endpoint=endpoint)

    def person(self, person_id: str) -> dict[str, Any] | None:
        """One person by id, or None if the source no longer has them. For a duty whose person
        the runs so far did not bring: persons are read with a duty, so someone who had none
        at the last full run and returns is unchanged, and no delta would list them."""
        body = self._get(f"persons/{quote(person_id, safe='')}", {}, page=False)
        return body or None

    def deleted(self, *, after: datetime) -> dict[str, set[str]]:
        """Ids deleted at the source since ``after``, per entity type."""
        params: dict[str, Any] = {
            "after": after.isoformat(),
            "entities": ["Organisation", "Person", "Duty", "Group"],
            "limit": self.page_limit,
        }
        found: dict[str, set[str]] = {}
        for _page in range(MAX_PAGES):
            body = self._get("deletedEntities", params)
            data = body["data"]
            if not isinstance(data, dict):
                raise SourceError("invalid_page", endpoint="deletedEntities")
            for entity in ("organisations", "persons", "duties", "groups"):
                ids = data.get(entity) or []
                if isinstance(ids, list):
                    found.setdefault(entity, set()).update(
                        i.lower() for i in ids if isinstance(i, str)
                    )
            token = body.get("pageToken")
            if not token:
                return found
            params = {"pageToken": token, "limit": self.page_limit}
        raise SourceError("too_many_pages", endpoint="deletedEntities")


def _retry_after_seconds(value: str | None) -> float | None:
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
