"""Pseudonyms for a recording of AdminService exchanges (``record.py``): which names to hide, and hiding them.

A recording of a real site must be safe to share. ``Pseudonyms.learn(exchanges, base_url, names)``
reads the organisation's names from the exchanges' own structure — device lists (``Name`` of
``v1.0/Device``, ``SMS_R_System``, ``SMS_CombinedDeviceResources``, collection memberships),
result rows' ``Device``/``UserName``-like columns, ``Domain`` and FQDN columns, collection lists,
site codes, the provider's host name — plus any names given explicitly. ``pseudonymise`` then replaces
every occurrence, anywhere (bodies, paths, text such as CommandLine or LogText), by one consistent
pseudonym:

- a name matches case-insensitively as a whole token (not inside a longer run of letters and
  digits), longest name first; the pseudonym takes the occurrence's case (``WKS-0001`` →
  ``DEVICE-0001``, ``wks-0001`` → ``device-0001``, ``Contoso`` → ``Domain1``);
- pseudonyms are numbered in the originals' sorted order, so sorting by a pseudonymised column keeps
  the original order, and they keep the shape CMPivot expects: devices ``DEVICE-0001`` (a valid
  NetBIOS name), users ``user0001``, NetBIOS domains ``DOMAIN1``, DNS domains ``domain1.example``
  (numbered like the NetBIOS domain that is their first label), collection names ``Collection 0001``
  and comments ``Comment 0001``, other names given explicitly ``TERM-0001``, site codes ``S01`` (collection ids keep their number:
  ``CON00010`` → ``S0100010``; site codes match upper-case only);
- built-in names stay: ``SMS*`` collections, ``NT AUTHORITY``, ``BUILTIN``, ``SYSTEM``, ``Administrator`` …;
- credentials never survive: JWTs, ``Bearer <token>`` and the values of keys such as
  ``access_token`` or ``password`` become ``<redacted>`` (``_secrets.redact``, as everywhere).

The mapping itself is never written to a recording (it would undo the pseudonyms).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from ...._secrets import SECRET_KEY, redact

KINDS = ("dns", "device", "domain", "user", "collection", "comment", "term")
"""Name kinds, in priority order when one string was learned as several."""
REDACTED = "<redacted>"

DEVICE_ROUTES = frozenset({"v1.0/device", "wmi/sms_r_system", "wmi/sms_combineddeviceresources",
                           "wmi/sms_fullcollectionmembership"})
"""Routes whose rows' ``Name`` is a device name."""
DEVICE_KEYS = frozenset({"device", "devicename", "netbiosname", "computername", "machinename", "systemname",
                         "physicalhostname", "sissuedtocomputer"})
USER_KEYS = frozenset({"username", "lastlogonusername", "lastusername", "lastconsoleuser", "topconsoleuser",
                       "systemconsoleuser", "useraccountname", "sissuedtouser", "startname", "primaryuser",
                       "currentlogonuser", "userprincipalname", "upn"})
DOMAIN_KEYS = frozenset({"domain", "domainname", "dnsdomain", "resourcedomainorworkgroup", "fulldomainname",
                         "userdomain"})
FQDN_KEYS = frozenset({"dnshostname", "fqdn", "fullyqualifieddomainname", "physicalhostnamefullyqualified",
                       "cnaccessmp", "internetmphostname", "keymanagementservicemachine", "logonserver",
                       "managementpoint", "sitesystem", "servername"})
SITE_KEYS = frozenset({"sitecode", "smsassignedsites", "assignedsite", "sitecodes"})

SERVICE_DOMAINS = frozenset({"nt authority", "builtin", "nt service", "window manager", "font driver host",
                             "iis apppool", "nt virtual machine", "nt-autorität", "autorite nt"})
"""Account domains of Windows itself: their accounts (NT AUTHORITY\\SYSTEM, DWM-1, …) name nobody."""
WELL_KNOWN_DOMAINS = SERVICE_DOMAINS | {"workgroup", ".", "localhost", "azuread", "microsoftaccount"}
WELL_KNOWN_USERS = frozenset({"system", "local service", "network service", "localsystem", "localservice",
                              "networkservice", "administrator", "administrators", "guest", "defaultaccount",
                              "wdagutilityaccount", "krbtgt", "trustedinstaller", "users", "everyone"})
PUBLIC_DNS = frozenset({"microsoft.com", "windows.com", "windowsupdate.com", "office.com", "office365.com",
                        "microsoftonline.com", "live.com", "azure.com", "azure.net", "windows.net",
                        "sharepoint.com", "msftconnecttest.com", "example", "example.com", "localdomain"})

_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})$")
_FQDN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,62})*\.[A-Za-z][A-Za-z0-9-]*$")
_IP = re.compile(r"^[0-9.:]+$|^\[[0-9a-fA-F:]+\]$")
_SITE = re.compile(r"^[A-Z0-9]{3}$")
_COLLECTION_ID = re.compile(r"^([A-Z0-9]{3})([0-9A-F]{5})$")
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![^\W_])", r"(?![^\W_])"
"""Not preceded / followed by a letter or digit: a name matches as a whole token."""


@dataclass
class _Learned:
    """Names found so far: kind → lower-case name → the name as first seen."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in KINDS})
    sites: set[str] = field(default_factory=set)

    def add(self, kind: str, value: str) -> None:
        value = value.strip()
        if value:
            self.names[kind].setdefault(value.lower(), value)

    def device(self, value: Any) -> None:
        if not isinstance(value, str) or _IP.match(value.strip()):
            return
        value = value.strip().lstrip("\\").rstrip("$")
        if value.lower() in ("", "localhost", "."):
            return
        if _HOSTNAME.match(value):
            self.add("device", value)
        elif _FQDN.match(value):
            self.host(value)

    def host(self, value: Any) -> None:
        """``cm01.contoso.com`` → the device ``cm01`` and the DNS domain ``contoso.com``."""
        if not isinstance(value, str):
            return
        host = value.strip().lstrip("\\/")
        host = re.split(r"[/:\\]", host, maxsplit=1)[0]
        if not host or _IP.match(host) or host.lower() == "localhost":
            return
        label, _, rest = host.partition(".")
        if rest and (rest.lower() in PUBLIC_DNS or any(rest.lower().endswith("." + p) for p in PUBLIC_DNS)):
            return
        if _HOSTNAME.match(label):
            self.add("device", label)
        if rest:
            self.dns(rest)

    def dns(self, value: str) -> None:
        value = value.strip().strip(".")
        if value.lower() not in PUBLIC_DNS and _FQDN.match(value):
            self.add("dns", value)

    def domain(self, value: Any) -> None:
        if not isinstance(value, str) or value.strip().lower() in WELL_KNOWN_DOMAINS:
            return
        value = value.strip()
        if "." in value:
            self.dns(value)
        elif value:
            self.add("domain", value)

    def user(self, value: Any) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        value = value.strip()
        if "\\" in value:
            domain, _, name = value.rpartition("\\")
            if domain.strip().lower() in SERVICE_DOMAINS:
                return
            if domain.lower() not in self.names["device"]:  # else a local account of that device
                self.domain(domain)
            value = name
        elif "@" in value:
            value, _, dns = value.partition("@")
            self.dns(dns)
        if value.endswith("$"):  # a computer account
            self.device(value)
        elif value.lower() not in WELL_KNOWN_USERS:
            self.add("user", value)

    def site(self, value: Any) -> None:
        for code in value if isinstance(value, list) else [value]:
            if isinstance(code, str) and _SITE.match(code) and code != "SMS":
                self.sites.add(code)

    def collection(self, row: Mapping[str, Any]) -> None:
        """A collection row: its name and comment, unless built in; its id's site code."""
        for id_key, name_key in (("collectionid", "name"), ("limittocollectionid", "limittocollectionname")):
            cid = _get(row, id_key)
            if not isinstance(cid, str) or not cid:
                continue
            found = _COLLECTION_ID.match(cid)
            if found is None or found.group(1) == "SMS":
                continue  # built in (All Systems, All Desktop and Server Clients, …)
            self.site(found.group(1))
            name = _get(row, name_key)
            if isinstance(name, str):
                self.add("collection", name)
            comment = _get(row, "comment") if id_key == "collectionid" else None
            if isinstance(comment, str):
                self.add("comment", comment)

    def explicit(self, value: str) -> None:
        """A name given by the user: an account or a DNS domain by its shape, else a term (unless
        the exchanges show it is a device, a user, …)."""
        value = value.strip()
        if "\\" in value or "@" in value:
            self.user(value)
        elif _FQDN.match(value):
            self.dns(value)
        elif value:
            self.add("term", value)

    def walk(self, value: Any, route: str) -> None:
        if isinstance(value, list):
            for item in value:
                self.walk(item, route)
            return
        if not isinstance(value, dict):
            return
        if route in DEVICE_ROUTES or (_get(value, "resourceid") is not None and _get(value, "collectionid")):
            self.device(_get(value, "name"))
        elif _get(value, "collectionid") is not None:
            self.collection(value)
        for key, item in value.items():
            lowered = key.lower()
            if lowered in DEVICE_KEYS:
                self.device(item)
            elif lowered in USER_KEYS:
                self.user(item)
            elif lowered in DOMAIN_KEYS:
                self.domain(item)
            elif lowered in FQDN_KEYS:
                self.host(item)
            elif lowered in SITE_KEYS:
                self.site(item)
            if isinstance(item, dict | list):  # an envelope's rows keep its route
                self.walk(item, route if lowered == "value" else "")


class Pseudonyms:
    """Original names → consistent pseudonyms; ``pseudonymise`` applies them to text, JSON and frames."""

    def __init__(self, learned: _Learned) -> None:
        self.mapping: dict[str, str] = {}
        """Lower-case original → canonical pseudonym (kept in memory only)."""
        self.kinds: dict[str, str] = {}
        numbers = _domain_numbers(learned)
        for kind in KINDS:
            originals = sorted(k for k in learned.names[kind] if k not in self.kinds)
            if kind == "dns":  # a subdomain of a hidden domain is hidden through its parent
                originals = [d for d in originals if not any(d.endswith("." + p) for p in originals)]
            width = max(4, len(str(len(originals))))
            for n, original in enumerate(originals, 1):
                self.kinds[original] = kind
                self.mapping[original] = _pseudonym(kind, numbers.get(original, n), width)
        self.sites = {code: f"S{n:02d}" for n, code in enumerate(sorted(learned.sites), 1)}
        self._names = _token_pattern(self.mapping)
        self._sites = re.compile(_EDGE_BEFORE + "(" + "|".join(map(re.escape, sorted(self.sites, key=len, reverse=True)))
                                 + r")(?=(?:[0-9A-F]{5})?" + _EDGE_AFTER + ")") if self.sites else None

    @classmethod
    def learn(cls, exchanges: Iterable[Mapping[str, Any]], base_url: str = "", names: Iterable[str] = ()) -> Pseudonyms:
        """The names in these exchanges (``exchanges.py``'s shape: method, path, body, json), the
        provider host of ``base_url``, and ``names`` given explicitly."""
        learned = _Learned()
        learned.host(urlsplit(base_url).hostname or "")
        for name in names:
            learned.explicit(name)
        listed = list(exchanges)
        for exchange in listed:  # device lists first: local accounts (WKS-0001\admin) need them
            if _route(exchange) in DEVICE_ROUTES:
                learned.walk(exchange.get("json"), _route(exchange))
        for exchange in listed:
            learned.walk(exchange.get("json"), _route(exchange))
            learned.walk(exchange.get("body"), "")
        return cls(learned)

    def __repr__(self) -> str:
        counts = self.counts()
        return "Pseudonyms(" + ", ".join(f"{n} {k}" for k, n in counts.items() if n) + ")"

    def counts(self) -> dict[str, int]:
        out = {k: 0 for k in KINDS}
        for kind in self.kinds.values():
            out[kind] += 1
        return {**out, "site": len(self.sites)}

    def __getitem__(self, original: str) -> str:
        """The pseudonym of one original name, in that name's case (``KeyError`` if not learned)."""
        if original.lower() not in self.mapping and original not in self.sites:
            raise KeyError(original)
        return self.pseudonymise(original)

    def __contains__(self, original: object) -> bool:
        return isinstance(original, str) and (original.lower() in self.mapping or original in self.sites)

    # ------------------------------------------------------------------------------ applying

    def pseudonymise(self, text: str) -> str:
        """``text`` with credentials redacted and every learned name replaced."""
        text = redact(text, thorough=False, mark=REDACTED)  # a site's data: only credentials by their shape
        if self._names is not None:
            text = self._names.sub(self._replace, text)
        if self._sites is not None:
            text = self._sites.sub(lambda m: self.sites[m.group(1)], text)
        return text

    def pseudonymise_json(self, value: Any) -> Any:
        """A JSON value with every string pseudonymised (keys kept; secrets' values redacted)."""
        if isinstance(value, str):
            return self.pseudonymise(value)
        if isinstance(value, list):
            return [self.pseudonymise_json(v) for v in value]
        if isinstance(value, dict):
            return {k: REDACTED if SECRET_KEY.match(k) and value[k] is not None else self.pseudonymise_json(v)
                    for k, v in value.items()}
        return value

    def pseudonymise_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``frame`` with every text cell pseudonymised: what a replay of the same run shows."""
        out = frame.copy()
        for column in out.columns:
            values = out[column]
            if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
                cells = [self.pseudonymise(v) if isinstance(v, str) else v for v in values]  # None stays None
                out[column] = pd.Series(cells, index=values.index, dtype=values.dtype)
        return out

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return _in_case_of(found, self.mapping[found.lower()])


def _pseudonym(kind: str, n: int, width: int) -> str:
    return {"device": f"DEVICE-{n:0{width}d}", "user": f"user{n:0{width}d}", "domain": f"DOMAIN{n}",
            "dns": f"domain{n}.example", "collection": f"Collection {n:0{width}d}",
            "comment": f"Comment {n:0{width}d}", "term": f"TERM-{n:0{width}d}"}[kind]


def _domain_numbers(learned: _Learned) -> dict[str, int]:
    """NetBIOS domains numbered 1…; a DNS domain whose first label is one of them shares its
    number (``CONTOSO`` → ``DOMAIN1``, ``contoso.com`` → ``domain1.example``); others follow."""
    numbers = {d: n for n, d in enumerate(sorted(learned.names["domain"]), 1)}
    following = len(numbers)
    paired: set[str] = set()  # each NetBIOS domain pairs with one DNS domain: pseudonyms stay distinct
    for dns in sorted(learned.names["dns"]):
        first = dns.split(".", 1)[0]
        if first in numbers and first not in paired:
            paired.add(first)
            numbers[dns] = numbers[first]
        else:
            following += 1
            numbers[dns] = following
    return numbers


def _in_case_of(found: str, pseudonym: str) -> str:
    """The pseudonym in the case of the occurrence it replaces."""
    if found.isupper():
        return pseudonym.upper()
    if found.islower():
        return pseudonym.lower()
    if found[:1].isupper() and found[1:].islower():
        return pseudonym[:1].upper() + pseudonym[1:].lower()
    return pseudonym


def _token_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``names`` as a whole token, as a trie (one
    alternation per shared prefix) so thousands of names stay fast."""
    trie: dict[str, Any] = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None

    def pattern(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # a name that goes on tries the longer names first (a greedy, optional continuation)
        return f"(?:{body})?" if ends else body

    return re.compile(_EDGE_BEFORE + "(?:" + pattern(trie) + ")" + _EDGE_AFTER, re.IGNORECASE)


def _route(exchange: Mapping[str, Any]) -> str:
    return str(exchange.get("path") or "").split("?", 1)[0].lower()


def _get(row: Mapping[str, Any], lowered: str) -> Any:
    for key, value in row.items():
        if key.lower() == lowered:
            return value
    return None


__all__ = ["REDACTED", "Pseudonyms"]
