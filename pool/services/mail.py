"""E-mail through SMTP when POOL_SMTP_URL is set (smtp://[user:password@]host[:port], smtps:// for TLS)."""

from __future__ import annotations

import logging
import os
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)


def smtp_url() -> str:
    return os.environ.get("POOL_SMTP_URL", "")


def send_mail(to: str, subject: str, body: str, url: str | None = None) -> bool:
    """Send one plain-text message; return False (and log why) when mail is off or the server refuses."""
    url = url if url is not None else smtp_url()
    if not url or not to:
        return False
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        log.error("POOL_SMTP_URL must look like smtp://host:port, not %r", parts.scheme + "://…")
        return False
    message = EmailMessage()
    message["From"] = os.environ.get("POOL_MAIL_FROM", "pool@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    client = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    try:
        with client(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10) as smtp:
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as e:  # the in-app notification is there; mail is a courtesy
        log.warning("could not send mail to %s: %s", to, e)
        return False
    return True
