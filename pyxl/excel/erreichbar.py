"""Whether a listening address is reachable from other machines: a server without sign-in must not be.

``127.0.0.1``, ``::1`` and names that resolve only to loopback addresses (``localhost``) stay on this machine;
``0.0.0.0``, ``::``, a LAN address or a host name that resolves to one does not. A name that does not resolve is
treated as reachable: the check must never let an open server through on a guess.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse


def nur_lokal(host: str) -> bool:
    """``True`` if a server listening on ``host`` can be reached from this machine only."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        adressen = {eintrag[4][0] for eintrag in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(adressen) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in adressen)


def ohne_https(basis_url: str) -> str | None:
    """The warning for an add-in address Office will not load: http to another machine (``None`` if it is fine)."""
    teile = urllib.parse.urlsplit(basis_url)
    if teile.scheme == "https" or nur_lokal(teile.hostname or ""):
        return None
    return (
        f"{basis_url} ist keine https-Adresse – Office lädt Add-ins nur über https; hinter einem TLS-Proxy "
        "dessen https-Adresse als --url angeben"
    )
