"""The monthly mailing: one message per reader with the issue's PDF, and a send log to resume by.

`compose` takes an issue and its built PDF and returns the message: subject
such as 新材料监测快报 2024年第4期, a plain-text and an HTML body from the
style's mail templates (the highlights, 本期要目, with the cover inline), and
the PDF attached under a Chinese file name (RFC 2231, plus the RFC 2047 name
older clients read).  `ready` refuses a PDF that is older than its sources,
fails `press check` or exceeds the size budget, and, for sending, a draft
(press build --draft, press.draft).  `send` delivers one copy per
reader over SMTP, at a set rate, retrying temporary failures, and appends each
delivered address to a log beside the PDF, so that a second run after an
interruption sends to exactly those not yet sent; a log that cannot be written
stops the run at once (a message the server took is never sent again).
Sending needs the sender (`mail: from:`); a draft without it carries a
placeholder and says so at the top of both bodies.  `mail: unsubscribe:`
becomes List-Unsubscribe (and List-Unsubscribe-Post for an https URL).
"""

import hashlib
import json
import os
import signal
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

from press.draft import read_draft
from press.errors import InputError, PressError, Problem, display_path
from press.model import SETTINGS_DIGEST, SETTINGS_FILE, Issue
from press.sources import snapshot, watched_roots

MAIL_TEXT = "mail.txt"
MAIL_HTML = "mail.html"
COVER_WIDTH = 496  # pixels of the cover's picture in the message, whatever the paper (A4 at 60 dpi)
PLACEHOLDER_SENDER = "newsletter@localhost"
PLACEHOLDER_NOTE = ("【草稿：发件人为占位地址 newsletter@localhost，发送前请在 newsletter.yaml 的 mail: 中填写 from】"
                    "(draft: the sender is a placeholder; add mail: from: to newsletter.yaml before sending)")
ADDRESS_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-@")


@dataclass(frozen=True)
class Delivery:
    """How a send went: who got the issue now, who had it already, who could not get it (and why)."""

    sent: tuple[str, ...]
    skipped: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


def subject(issue: Issue) -> str:
    """The message's subject, e.g. 新材料监测快报 2024年第4期 (Battery Watch No. 4, 2024 in English)."""
    return f"{issue.settings.title} {issue.label_long}"


def attachment_name(issue: Issue) -> str:
    """The PDF's name as readers see it, e.g. 新材料监测快报2024年第4期.pdf."""
    return f"{issue.chrome.document_name(issue.settings.title, issue.label_long)}.pdf"


def cover_png(pdf: Path) -> bytes:
    """The first page as a small PNG, COVER_WIDTH pixels wide on any paper, for the message body."""
    import io

    from press.preview import first_page

    buffer = io.BytesIO()
    first_page(pdf, COVER_WIDTH).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def compose(issue: Issue, pdf: Path, recipient: str | None = None) -> EmailMessage:
    """The issue's message, addressed to `recipient` (or to nobody yet, for a draft)."""
    from press.render import render_template

    context = {"issue": issue, "settings": issue.settings, "subject": subject(issue), "cover_cid": "cover",
               "chrome": issue.chrome,
               "attachment_title": issue.chrome.document_name(issue.settings.title, issue.label_long)}
    placeholder = not issue.settings.mail.sender
    message = EmailMessage()
    message["Subject"] = header("Subject", subject(issue))
    message["From"] = header("From", issue.settings.mail.sender
                             or formataddr((issue.settings.title, PLACEHOLDER_SENDER)))
    if recipient:
        message["To"] = header("To", recipient)
    message["Date"] = format_datetime(datetime.combine(issue.date, datetime.min.time(), UTC))
    if unsubscribe := issue.settings.mail.unsubscribe:  # RFC 2369; one-click (RFC 8058) needs an https URL
        message["List-Unsubscribe"] = header("List-Unsubscribe", ", ".join(f"<{target}>" for target in unsubscribe))
        if any(target.lower().startswith("https:") for target in unsubscribe):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    domain = sender_domain(message)
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    message["Message-ID"] = f"<{issue.settings.slug}-{issue.year}-{issue.number:02d}.{digest}@{domain}>"
    text, html = render_template(issue, MAIL_TEXT, context), render_template(issue, MAIL_HTML, context)
    if placeholder:
        text, html = marked_as_placeholder(text, html)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message.get_payload()[1].add_related(cover_png(pdf), "image", "png", cid="<cover>", filename="cover.png",
                                         disposition="inline")
    message.add_attachment(pdf.read_bytes(), "application", "pdf",
                           filename=header("Content-Disposition", attachment_name(issue)))
    attachment = message.get_payload()[-1]  # older clients read the name from Content-Type, RFC 2047-encoded
    del attachment["Content-Type"]
    attachment.set_raw("Content-Type", f'application/pdf;\n name="{encoded_words(attachment_name(issue))}"')
    for index, part in enumerate(part for part in message.walk() if part.is_multipart()):
        part.set_boundary(f"press-{digest}-{index}")  # the same draft, byte for byte, from the same PDF
    return message


def marked_as_placeholder(text: str, html: str) -> tuple[str, str]:
    """The bodies with a visible line at the top saying that the sender is a placeholder (a draft only)."""
    import re
    from html import escape

    note = f'<p style="color: #b00; font-weight: bold;">{escape(PLACEHOLDER_NOTE)}</p>\n'
    body = re.search(r"<body[^>]*>\n?", html, re.I)
    at = body.end() if body else 0
    return f"{PLACEHOLDER_NOTE}\n\n{text}", html[:at] + note + html[at:]


def no_sender(issue: Issue) -> InputError | None:
    """The input error for sending without `mail: from:` in newsletter.yaml (at the `mail:` block's line, when
    there is one), or None when the sender is set."""
    if issue.settings.mail.sender:
        return None
    where = "mail: 中没有 from" if issue.settings.mail.line else "没有 mail: 设置"
    return InputError([Problem(issue.folder.parent / SETTINGS_FILE, issue.settings.mail.line, 1,
                               f"newsletter.yaml {where}，不能发送 (cannot send: no sender; add e.g. "
                               "mail:\n  from: 新材料监测快报 <newsletter@example.org>)")])


def header(name: str, value: str) -> str:
    """A header's value from the settings or the reader list, refused if it holds a line break or a control
    character: a second line would be a header of its own (header injection), and the email package raises.

    The loaders refuse such values at their line; this guards every header press builds.
    """
    from press.printable import breaks_line

    if breaks_line(value):
        raise PressError(f"邮件头 {name} 中有换行或控制字符，拒绝生成邮件 (the {name} header would hold a line break "
                         f"or a control character: {value!r})")
    return value


def sender_domain(message: EmailMessage) -> str:
    """The domain of the message's From address, for its Message-ID ("localhost" if it has none)."""
    return parseaddr(message["From"])[1].partition("@")[2] or "localhost"


def encoded_words(text: str) -> str:
    """`text` as RFC 2047 encoded words (UTF-8, base64) on folded lines short enough to be kept as written.

    Stored raw (`set_raw`): the email package would otherwise decode the words
    and write the name as RFC 2231 only, which older clients cannot read.
    """
    from email.header import Header

    return Header(text, "utf-8").encode(maxlinelen=60, linesep="\n")


def write_draft(message: EmailMessage, target: Path) -> Path:
    """The message as an .eml file anyone can open, written atomically."""
    from email.policy import SMTP

    from press.atomic import replacing

    with replacing(target) as stream:
        stream.write(message.as_bytes(policy=SMTP))
    return target


@dataclass
class Readiness:
    """Whether a PDF may be mailed: why not, and the failing checks the editor accepted (`--accept`)."""

    reasons: list[str] = field(default_factory=list)
    accepted: list = field(default_factory=list)  # press.check.Check, failing but accepted


def ready(issue: Issue, pdf: Path, readers: Path | None = None, accept: Iterable[str] = (),
          sending: bool = False) -> Readiness:
    """Why the PDF must not be sent: missing, older than a source, failing a check, over budget; when `sending`
    (not for the .eml draft), a draft (press build --draft).

    The mail templates, the reader list and the `mail:` block of newsletter.yaml are not sources of the PDF:
    editing them needs no rebuild.  newsletter.yaml counts as changed when what the PDF recorded of it at the
    build (`Settings.digest`) differs, or, for a PDF that recorded nothing, when it is newer.
    A check named in `accept` may fail (it is returned as accepted, for the log); nothing else may.
    """
    if not pdf.is_file():
        return Readiness([f"{pdf} 不存在 (the PDF is not built: run press build)"])
    accept = set(accept)
    reasons = []
    built = pdf.stat().st_mtime_ns
    inputs = snapshot(watched_roots(issue.folder, issue.settings.styles_dir, issue.settings.fonts_dir))
    not_sources = {readers.resolve()} if readers else set()
    if issue.settings.digest and built_from(pdf) == issue.settings.digest:
        not_sources.add((issue.folder.parent / SETTINGS_FILE).resolve())  # only mail: (or a comment) changed
    newer = sorted(path for path, (modified, _) in inputs.items() if modified > built
                   and Path(path).name not in (MAIL_TEXT, MAIL_HTML) and Path(path).resolve() not in not_sources)
    if newer:
        reasons.append(f"PDF 比源文件旧 (the PDF is older than {display_path(newer[0])}: run press build)")
    if sending and (built := read_draft(pdf)):
        reasons.append(f"PDF 是校对用的草稿，生成于 {built} (the PDF is a draft for proofreading, every page "
                       "marked 草稿 DRAFT: run press build without --draft)")
    from press.structure import kilobytes

    if pdf.stat().st_size > issue.settings.check.max_bytes and "file-size" not in accept:
        reasons.append(f"PDF 超过大小上限 ({kilobytes(pdf.stat().st_size)}, budget "
                       f"{kilobytes(issue.settings.check.max_bytes)})")
    from press.check import check_pdf

    report = check_pdf(pdf, issue=issue)
    failed = [check for check in report.checks if not check.passed]
    if refused := [check.id for check in failed if check.id not in accept]:
        reasons.append(f"press check 未通过 (press check fails: {', '.join(refused)}; see why: press check "
                       f"{display_path(pdf)} --issue {display_path(issue.folder)}; if you have read the failures "
                       "and the PDF is right, --accept names a check to send it anyway)")
    return Readiness(reasons, [check for check in failed if check.id in accept])


def built_from(pdf: Path) -> str | None:
    """The hash of the settings the PDF was built from, as the build recorded it (None from an older build)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        recorded = (PdfReader(pdf).metadata or {}).get(f"/{SETTINGS_DIGEST}")
    except (PyPdfError, OSError, ValueError):
        return None
    return str(recorded) if recorded else None


def accepted_log(pdf: Path) -> Path:
    """Where press mail records every failing check an editor accepted, beside the PDF."""
    return pdf.with_name(pdf.name + ".accepted.jsonl")


def record_accepted(issue: Issue, pdf: Path, accepted: list, purpose: str) -> Path:
    """Append to the accepted-checks log: when, which issue and PDF (its hash), for what (draft or send), and
    each accepted check with its failures as press check reported them."""
    entry = {"issue": issue_id(issue, pdf), "pdf": pdf.name, "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
             "for": purpose, "at": datetime.now(UTC).isoformat(timespec="seconds"),
             "accepted": {check.id: [failure["message"] for failure in check.failures] for check in accepted}}
    log = accepted_log(pdf)
    with log.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    return log


def read_readers(path: Path) -> list[str]:
    """The reader list: one address per line, # comments; every bad line is an input error with its line."""
    from press.printable import breaks_line
    from press.yamlfile import Problems, read_text

    problems = Problems()
    text = read_text(path, problems)
    if text is None:
        raise InputError(problems)
    readers: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        address = parseaddr(entry)[1]
        if not valid_address(address) or not one_reader(entry, address) or breaks_line(entry):
            problems.append(Problem(path, number, 1, f"邮件地址无效 (not an e-mail address: {entry!r})"))
        elif address.lower() in first_line:
            problems.append(Problem(path, number, 1, f"地址重复，首次在第 {first_line[address.lower()]} 行 "
                                                     f"(listed twice: {address})"))
        else:
            first_line[address.lower()] = number
            readers.append(entry if entry != address else address)
    if not readers and not problems:
        problems.append(Problem(path, 1, 1, "读者名单为空 (the reader list has no address)"))
    if problems:
        raise InputError(problems)
    return readers


def one_reader(entry: str, address: str) -> bool:
    """Whether a line is one address, bare or as `Name <address>` (two addresses, groups or a header are not)."""
    import re

    named = re.fullmatch(r'(?:"[^"\\]*"|[^<>",;:@\\]*)\s*<' + re.escape(address) + ">", entry)
    return entry == address or named is not None


def valid_address(address: str) -> bool:
    """One local part, one @, a dotted domain, nothing a mail server would refuse as syntax."""
    local, at, domain = address.rpartition("@")
    return (bool(at and local and domain) and "." in domain.strip(".") and set(address) <= ADDRESS_CHARS
            and ".." not in address and not domain.startswith(("-", ".")))


def issue_id(issue: Issue, pdf: Path) -> str:
    """What the log counts deliveries of: the issue, however often its PDF is rebuilt (nobody gets it twice;
    to send a corrected issue to everyone again, remove the log)."""
    return f"{issue.settings.slug}-{issue.year}-{issue.number:02d}"


def log_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + ".sent.jsonl")


def already_sent(log: Path, message_id: str) -> set[str]:
    """Addresses the log records as sent this issue. A line that is no entry (a torn last line, from a kill;
    a line added by hand without its "to", or not UTF-8) is ignored, never a traceback."""
    if not log.exists():
        return set()
    sent = set()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(entry, dict) and entry.get("issue") == message_id and isinstance(entry.get("to"), str):
            sent.add(entry["to"].lower())
    return sent


def record(log: Path, message_id: str, address: str) -> None:
    """Append one delivery to the log and make it durable before the next message goes."""
    append_durably(log, (log_line(message_id, address) + "\n").encode("utf-8"))


def log_line(message_id: str, address: str) -> str:
    """The log's entry for one delivery, as `record` writes it (and as an editor adds it by hand)."""
    return json.dumps({"issue": message_id, "to": address.lower(),
                       "at": datetime.now(UTC).isoformat(timespec="seconds")}, ensure_ascii=False)


def append_durably(path: Path, data: bytes) -> None:
    """Append `data` on a line of its own and fsync it; a write that fails (a full disk) is cut off and raised.

    A torn line (a write cut short by a kill) would swallow the entry written after it, so
    `data` starts on a new line; and a failed write leaves no torn line of its own.
    """
    handle = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        start = os.lseek(handle, 0, os.SEEK_END)
        if start and os.pread(handle, 1, start - 1) != b"\n":
            data = b"\n" + data
        try:
            written = memoryview(data)
            while written:
                written = written[os.write(handle, written):]
            os.fsync(handle)
        except OSError:
            with suppress(OSError):
                os.ftruncate(handle, start)
            raise
    finally:
        os.close(handle)


def connect(issue: Issue) -> smtplib.SMTP:
    """An SMTP session as the settings say, logged in when PRESS_SMTP_USER and PRESS_SMTP_PASSWORD are set."""
    mail = issue.settings.mail
    context = ssl.create_default_context()
    if mail.security == "tls":
        session: smtplib.SMTP = smtplib.SMTP_SSL(mail.host, mail.port, timeout=30, context=context)
    else:
        session = smtplib.SMTP(mail.host, mail.port, timeout=30)
        if mail.security == "starttls":
            session.starttls(context=context)
    login = credentials()
    if login:
        session.login(*login)
    return session


class SendStopped(PressError):
    """The server or the login failed: no reader can get the issue now, so the run stops (exit 1)."""


class NotLogged(PressError):
    """The server took a message but the log could not record it: the run stops at once (exit 1).

    Not an OSError, so no retry takes it for a lost connection and sends the message again.
    """


def is_temporary(error: Exception) -> bool:
    """4xx replies and lost connections are worth another try; 5xx are not."""
    code = reply_code(error)
    if code is not None:
        return 400 <= code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError, OSError))


def reply_code(error: Exception) -> int | None:
    """The server's reply code; for a refused recipient, the code it gave that recipient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return min(code for code, _ in error.recipients.values())
    return getattr(error, "smtp_code", None)


def about_the_session(error: Exception) -> bool:
    """Whether a failure concerns the server, the login, the sender or the message rather than one reader.

    Then every other reader would fail the same way, so the run stops.  Only a
    refused recipient is one reader's failure; a rejection of the message's
    data (552 too large, 554 refused) would be every reader's, and 421 says
    the server is closing.
    """
    return not isinstance(error, smtplib.SMTPRecipientsRefused) or reply_code(error) == 421


@contextmanager
def signals_deferred():
    """Hold Ctrl-C and SIGTERM until the block ends (at most the SMTP timeout), then let them act."""
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def credentials() -> tuple[str, str] | None:
    """(user, password) from PRESS_SMTP_USER and PRESS_SMTP_PASSWORD, None if neither is set; one alone is an error."""
    user, password = os.environ.get("PRESS_SMTP_USER"), os.environ.get("PRESS_SMTP_PASSWORD")
    if bool(user) != bool(password):
        raise PressError("PRESS_SMTP_USER 与 PRESS_SMTP_PASSWORD 须同时设置 (set both PRESS_SMTP_USER and "
                         "PRESS_SMTP_PASSWORD, or neither)")
    return (user, password) if user else None


def send(issue: Issue, pdf: Path, readers: list[str], say: Callable[[str], None] = lambda line: None,
         sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """Send one message per reader not yet in the log; return who got it, who had it, who failed."""
    log = log_path(pdf)
    if error := no_sender(issue):
        raise error
    credentials()
    draft = compose(issue, pdf)
    with sending_lock(log):
        return send_pending(issue, pdf, draft, readers, say, sleep)


def unsent(issue: Issue, pdf: Path, readers: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """(the readers the send log does not hold for this issue's PDF yet, those it holds): whom a send would
    reach, and whom it skips (press mail --send --dry-run lists the first)."""
    return split_by_log(readers, already_sent(log_path(pdf), issue_id(issue, pdf)))


def split_by_log(readers: list[str], done: set[str]) -> tuple[list[str], tuple[str, ...]]:
    """(the readers whose address is not in `done`, those whose address is), each in the list's order."""
    pending = [reader for reader in readers if parseaddr(reader)[1].lower() not in done]
    return pending, tuple(reader for reader in readers if parseaddr(reader)[1].lower() in done)


def send_pending(issue: Issue, pdf: Path, draft: EmailMessage, readers: list[str],
                 say: Callable[[str], None], sleep: Callable[[float], None]) -> Delivery:
    """Send the draft to each reader the log does not hold yet (the caller holds the log's lock)."""
    log = log_path(pdf)
    done = already_sent(log, issue_id(issue, pdf))
    pending, skipped = split_by_log(readers, done)
    interval = 60 / issue.settings.mail.per_minute
    sent, failed = [], []
    session = None
    try:
        for index, reader in enumerate(pending):
            if index:
                sleep(interval)
            address = parseaddr(reader)[1]
            message = personal_copy(draft, reader)
            for attempt in range(issue.settings.mail.retries + 1):
                try:
                    session = session or connect(issue)
                    with signals_deferred():  # a message the server took is in the log before Ctrl-C stops
                        session.send_message(message, to_addrs=[address])
                        logged(log, issue_id(issue, pdf), address, len(done) + len(sent) + 1, len(readers))
                    sent.append(address)
                    say(f"已发送 {address} ({len(done) + len(sent)}/{len(readers)})")
                    break
                except (smtplib.SMTPException, OSError) as error:
                    session = close(session)
                    last_try = not is_temporary(error) or attempt == issue.settings.mail.retries
                    if last_try and about_the_session(error):
                        raise stopped(issue, error, len(done) + len(sent), len(readers)) from None
                    if last_try:
                        failed.append((address, describe(error)))
                        say(f"发送失败 {address}: {describe(error)}")
                        break
                    sleep(min(60.0, 2.0 ** attempt))
    finally:
        close(session)
    return Delivery(tuple(sent), skipped, tuple(failed))


def logged(log: Path, message_id: str, address: str, have: int, readers: int) -> None:
    """Record a message the server accepted; a log that cannot be written stops the run (NotLogged)."""
    try:
        record(log, message_id, address)
    except OSError as error:
        raise not_logged(log, log_line(message_id, address), address, error, have, readers) from None


def not_logged(log: Path, line: str, address: str, error: OSError, have: int, readers: int) -> NotLogged:
    """The error that ends a run whose log failed: who has the issue unrecorded, and the line to add by hand."""
    import shlex

    return NotLogged(
        f"发送记录写入失败，已停止：{address} 已收到本期但未记入 {display_path(log)} ({error.strerror or error})\n"
        f"(stopped: the send log could not be written; {address} was sent the issue but is not in the log; "
        f"{have} of {readers} readers have the issue. Free space for the log, then add the line below to it, so "
        f"that {address} is not sent the issue again, and run the same command to send to the rest:)\n"
        f"  printf '%s\\n' {shlex.quote(line)} >> {shlex.quote(display_path(log))}")


@contextmanager
def sending_lock(log: Path):
    """An exclusive lock beside the send log for one run: two runs at once would send everyone two copies.

    The lock file is removed when the run ends, however it ends, and while it is still held: a run that
    opened the file before then finds, once it holds the lock, that its name is gone (or names a newer
    file) and takes the lock again on a file of that name, so two runs never each hold a different file as
    the one lock.  A run killed outright (SIGKILL) leaves the file, unlocked: the next run takes it over.
    """
    import fcntl

    path = log.with_name(log.name + ".lock")
    while True:
        lock = path.open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise PressError("另一个 press mail 正在发送本期 (another press mail is sending this issue: "
                             "wait for it to finish)") from None
        if names_the_same_file(path, lock.fileno()):
            break
        lock.close()  # the run that held it removed it as it ended: lock the file now at that name
    try:
        yield
    finally:
        with suppress(OSError):
            path.unlink()  # before the lock is released (see above)
        lock.close()


def names_the_same_file(path: Path, handle: int) -> bool:
    """Whether `path` still names the open file `handle`."""
    try:
        named, opened = os.stat(path), os.fstat(handle)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


def personal_copy(draft: EmailMessage, reader: str) -> EmailMessage:
    """The draft addressed to one reader, dated now, with its own Message-ID: nobody sees another's address."""
    import copy

    message = copy.deepcopy(draft)
    del message["To"]
    message["To"] = header("To", reader)
    del message["Date"]
    message["Date"] = format_datetime(datetime.now(UTC))
    del message["Message-ID"]
    message["Message-ID"] = make_msgid(domain=sender_domain(draft))
    return message


def close(session: smtplib.SMTP | None) -> None:
    if session is not None:
        try:
            session.quit()
        except (smtplib.SMTPException, OSError):
            session.close()
    return None


def stopped(issue: Issue, error: Exception, have: int, readers: int) -> SendStopped:
    """The error that ends a run: what failed, what to look at, how many have the issue, how to go on."""
    return SendStopped(
        f"发送中止：{describe(error)}{session_hint(issue, error)}；已发送 {have}/{readers} 位，修正后再次运行同一命令"
        f"即可继续 (stopped: the server, the login or the message failed; {have} of {readers} readers have "
        "the issue; run the same command again to send to the rest)")


def session_hint(issue: Issue, error: Exception) -> str:
    """What to look at when the run stops: the server's address for a connection that failed, the
    credentials for a refused login."""
    mail = issue.settings.mail
    code = reply_code(error)
    if code in (530, 534, 535) or isinstance(error, smtplib.SMTPAuthenticationError):
        return " (check PRESS_SMTP_USER and PRESS_SMTP_PASSWORD)"
    if code is None:
        return (f" ({mail.host}:{mail.port} with security: {mail.security}; check the host, the port and "
                "whether the server wants starttls, tls or none)")
    return ""


def describe(error: Exception) -> str:
    """A server's reply as `code text`, or the kind of failure and its message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        code, text = min(error.recipients.values())
        return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
    code = getattr(error, "smtp_code", None)
    text = getattr(error, "smtp_error", b"")
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip() if code else f"{type(error).__name__}: {error}"

