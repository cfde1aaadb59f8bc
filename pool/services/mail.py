"""E-mail through SMTP when POOL_SMTP_URL is set (smtp://[user:password@]host[:port], smtps:// for TLS)."""

from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)


def smtp_url() -> str:
    return os.environ.get("POOL_SMTP_URL", "")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def send_mail(to: str, subject: str, body: str, url: str | None = None) -> bool:
    """Send one plain-text message; return False (and log why) when mail is off or the server refuses."""
    return send_mails([Mail(to, subject, body)], url) == 1


def send_mails(mails: list[Mail], url: str | None = None) -> int:
    """Send plain-text messages over one connection; return how many went out (0, logged, when mail is off or
    the server refuses)."""
    url = url if url is not None else smtp_url()
    mails = [m for m in mails if m.to]
    if not url or not mails:
        return 0
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        log.error("POOL_SMTP_URL must look like smtp://host:port, not %r", parts.scheme + "://…")
        return 0
    client = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    sent = 0
    try:
        with client(parts.hostname, parts.port or (465 if parts.scheme == "smtps" else 25), timeout=10) as smtp:
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            for m in mails:
                smtp.send_message(_message(m))
                sent += 1
    except (OSError, smtplib.SMTPException) as e:  # the in-app notification is there; mail is a courtesy
        log.warning("could not send %d of %d mails: %s", len(mails) - sent, len(mails), e)
    return sent


def _message(mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = os.environ.get("POOL_MAIL_FROM", "pool@localhost")
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message


def queue(session: Session, mail: Mail) -> None:
    """Keep a mail with the session's work; `send_queued` sends it once that work is committed."""
    session.info.setdefault("outbox", []).append(mail)


def drop_queued(session: Session) -> None:
    """Forget the mails of work that was rolled back."""
    session.info.pop("outbox", None)


def send_queued(session: Session) -> int:
    """Send the mails of the committed work."""
    return send_mails(session.info.pop("outbox", []))
