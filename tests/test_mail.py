"""press mail: the .eml draft, and sending through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

import asyncio
import email
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from email import policy
from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from press.build import build
from press.cli import main
from press.errors import InputError, PressError
from press.load import load_issue
from press.mail import accepted_log, already_sent, compose, issue_id, log_path, read_readers, ready, send, split_by_log
from tests.conftest import IssueMaker

READERS = ["张三 <zhang@example.org>", "li@example.org", "王五 <wang@example.net>", "zhao@example.com",
           "qian@example.cn"]


class Inbox:
    """An SMTP handler that keeps what it receives and can refuse for a while (451, a temporary failure)."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []
        self.refusing = False
        self.unknown: set[str] = set()  # addresses refused for good (550) at RCPT
        self.asked: list[str] = []  # every RCPT address, in order
        self.data_reply = ""  # a reply to DATA instead of 250 (the message refused)
        self.on_data = None  # awaited with the count of messages received, before the 250

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.asked.append(address)
        if address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mailbox busy, try again later"
        if self.data_reply:
            return self.data_reply
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        if self.on_data:
            await self.on_data(len(self.received))
        return "250 OK"


@pytest.fixture
def inbox():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def built_issue(tmp_path_factory):
    """A copy of the sample with mail settings, built into its own dist/ (the cwd of the tests that use it)."""
    root = tmp_path_factory.mktemp("mailing")
    maker = IssueMaker(root)
    maker.use_sample_settings()
    folder = maker.copy_sample()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        issue = load_issue(folder)
        pdf = build(folder, root / "dist" / issue.output_name).path
    finally:
        os.chdir(cwd)
    return root, folder, pdf


def with_mail_settings(root, port: int, per_minute: int = 6000, retries: int = 1):
    settings = root / "issues" / "newsletter.yaml"
    text = settings.read_text(encoding="utf-8").split("mail:")[0]
    settings.write_text(text + f"mail:\n  from: 新材料监测快报 <newsletter@example.org>\n  host: 127.0.0.1\n"
                        f"  port: {port}\n  security: none\n  per_minute: {per_minute}\n  retries: {retries}\n",
                        encoding="utf-8")
    built = min(path.stat().st_mtime for path in (root / "dist").glob("*.pdf"))
    os.utime(settings, (built - 10, built - 10))  # settings older than the PDF, as after a build

def ready_to_send(built_issue, inbox, tmp_path, monkeypatch):
    """The built issue set to send to the test inbox, no send log yet, two readers listed, run from its root:
    (root, folder, pdf, readers file)."""
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    readers = tmp_path / "readers.txt"
    readers.write_text("\n".join(READERS[:2]) + "\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRESS_SMTP_USER", "")  # no login against the test server
    return root, folder, pdf, readers



def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def test_the_draft_parses_into_subject_bodies_inline_cover_and_attachment(built_issue, monkeypatch):
    root, folder, pdf = built_issue
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["mail", str(folder)])
    assert result.exit_code == 0, result.output
    eml = root / result.stdout.strip()
    assert eml == pdf.with_suffix(".eml")
    first = eml.read_bytes()
    assert CliRunner().invoke(main, ["mail", str(folder)]).exit_code == 0
    assert eml.read_bytes() == first  # the same draft from the same PDF, byte for byte
    message = parse(eml.read_bytes())
    assert message["Subject"] == "新材料监测快报 2024年第4期"
    assert parseaddr(str(message["From"]))[0] == "新材料监测快报"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    issue = load_issue(folder)
    for article in issue.highlights:
        assert article.title in text and article.title in html
    assert 'src="cid:cover"' in html
    [cover] = [part for part in message.walk() if part.get("Content-ID") == "<cover>"]
    assert cover.get_content_type() == "image/png" and cover.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "新材料监测快报2024年第4期.pdf"
    assert str(make_header(decode_header(attachment.get_param("name")))) == "新材料监测快报2024年第4期.pdf"
    assert attachment.get_content() == pdf.read_bytes()
    [legacy] = [part for part in email.message_from_bytes(eml.read_bytes(), policy=policy.compat32).walk()
                if part.get_content_type() == "application/pdf"]
    raw_name = legacy.get_param("name")  # what a client that knows only RFC 2047 reads
    assert isinstance(raw_name, str) and raw_name.startswith("=?utf-8?b?")
    assert str(make_header(decode_header(raw_name))) == "新材料监测快报2024年第4期.pdf"


def test_every_reader_gets_it_once_across_a_failing_server(built_issue, inbox, monkeypatch):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    issue = load_issue(folder)
    calls = {"n": 0}

    def sleep_then_fail(seconds):  # the server starts refusing after the second message
        calls["n"] += 1
        if len(inbox.received) == 2:
            inbox.refusing = True

    with pytest.raises(PressError) as stopped:  # the message itself is refused: every reader would fail alike
        send(issue, pdf, READERS, sleep=sleep_then_fail)
    message = stopped.value.message
    assert message.startswith("发送中止：451") and "2 of 5 readers have the issue" in message

    inbox.refusing = False
    second = send(issue, pdf, READERS, sleep=lambda seconds: None)
    assert len(second.sent) == 3 and len(second.skipped) == 2 and not second.failed

    addresses = [parseaddr(reader)[1] for reader in READERS]
    delivered = [recipients for recipients, _ in inbox.received]
    assert sorted(recipient for batch in delivered for recipient in batch) == sorted(addresses)
    assert all(len(batch) == 1 for batch in delivered)
    for recipients, raw in inbox.received:
        message = parse(raw)
        assert parseaddr(str(message["To"]))[1] == recipients[0]  # nobody sees another reader's address
        assert "Bcc" not in message and "Cc" not in message
        assert message["Date"].datetime.year >= 2026  # the time it was sent, not the issue's date
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content() == pdf.read_bytes()
    assert already_sent(log_path(pdf), issue_id(issue, pdf)) == set(addresses)

    third = send(issue, pdf, READERS, sleep=lambda seconds: None)
    assert third.sent == () and len(third.skipped) == 5 and len(inbox.received) == 5


def test_a_run_killed_midway_resumes_with_exactly_the_rest(built_issue, inbox):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    issue = load_issue(folder)

    def interrupt_after_two(seconds):
        if len(inbox.received) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        send(issue, pdf, READERS, sleep=interrupt_after_two)
    assert len(already_sent(log_path(pdf), issue_id(issue, pdf))) == 2
    resumed = send(issue, pdf, READERS, sleep=lambda seconds: None)
    assert len(resumed.sent) == 3 and len(resumed.skipped) == 2
    received = sorted(recipient for recipients, _ in inbox.received for recipient in recipients)
    assert received == sorted(parseaddr(reader)[1] for reader in READERS)


def test_sending_keeps_the_rate(built_issue, inbox):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port, per_minute=600)  # one every 0.1 s
    log_path(pdf).unlink(missing_ok=True)
    started = time.perf_counter()
    send(load_issue(folder), pdf, READERS[:4])
    assert time.perf_counter() - started >= 0.3


def test_dry_run_lists_who_would_get_it_and_sends_nothing(built_issue, inbox, tmp_path, monkeypatch):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    readers = tmp_path / "readers.txt"
    readers.write_text("# 读者\n" + "\n".join(READERS) + "\n", encoding="utf-8")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == READERS
    assert "would send 5; 0 already sent" in result.stderr
    assert inbox.received == []
    without_send = CliRunner().invoke(main, ["mail", str(folder), "--to", str(readers), "--dry-run"])
    assert without_send.exit_code == 2 and "go with --send" in without_send.stderr


def test_the_readers_a_send_would_reach_are_those_whose_address_the_log_does_not_hold():
    pending, skipped = split_by_log(READERS, {"li@example.org", "wang@example.net", "someone@else.org"})
    assert pending == ["张三 <zhang@example.org>", "zhao@example.com", "qian@example.cn"]
    assert skipped == ("li@example.org", "王五 <wang@example.net>")
    assert split_by_log(["Zhang <ZHANG@Example.org>"], {"zhang@example.org"}) == ([], ("Zhang <ZHANG@Example.org>",))


@pytest.mark.parametrize("text, message", [
    ("a@example.org\nnot-an-address\n", "readers.txt:2:1: 邮件地址无效 (not an e-mail address: 'not-an-address')"),
    ("a@example.org\nb@@example.org\n", "readers.txt:2:1: 邮件地址无效"),
    ("a@example.org\n# 注释\nA@Example.org\n", "readers.txt:3:1: 地址重复，首次在第 1 行 (listed twice: A@"),
    ("# 只有注释\n\n", "readers.txt:1:1: 读者名单为空 (the reader list has no address)"),
    ("a@example.org, b@example.org\n", "readers.txt:1:1: 邮件地址无效"),
    ("Bcc: x@example.org\n", "readers.txt:1:1: 邮件地址无效"),
    ("<c@example.org\n", "readers.txt:1:1: 邮件地址无效"),
    ("a@example.org\n张三\x01 <c@example.org>\n", "readers.txt:2:1: 邮件地址无效"),  # a control character
])
def test_a_bad_reader_list_is_an_input_error_at_its_line(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "readers.txt").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_readers(tmp_path / "readers.txt")
    assert any(str(problem).startswith(message) for problem in raised.value.problems), raised.value.problems


def test_it_refuses_a_stale_pdf_or_one_that_fails_its_checks(built_issue):
    root, folder, pdf = built_issue
    issue = load_issue(folder)
    assert ready(issue, pdf).reasons == []
    article = folder / "06-pet-recycling-report.md"
    later = pdf.stat().st_mtime + 10
    os.utime(article, (later, later))
    reasons = ready(issue, pdf).reasons
    assert any("older than" in reason and "06-pet-recycling-report.md" in reason for reason in reasons)
    os.utime(article, (later - 20, later - 20))
    settings = root / "issues" / "newsletter.yaml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original.split("mail:")[0] + "check:\n  max_size: 100 KB\n", encoding="utf-8")
    os.utime(settings, (later - 20, later - 20))
    reasons = ready(load_issue(folder), pdf).reasons
    assert any(re.search(r"\(\d+ KB, budget 100 KB\)", reason) for reason in reasons)
    assert any("press check fails: file-size" in reason for reason in reasons)
    settings.write_text(original, encoding="utf-8")
    os.utime(settings, (later - 20, later - 20))
    assert compose(load_issue(folder), pdf)["Subject"] == "新材料监测快报 2024年第4期"


def test_the_command_sends_and_reports(built_issue, inbox, tmp_path, monkeypatch):
    _, folder, _, readers = ready_to_send(built_issue, inbox, tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    assert result.exit_code == 0, result.output
    assert "sent 2, already sent 0, failed 0" in result.stderr
    assert len(inbox.received) == 2
    again = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    assert "sent 0, already sent 2, failed 0" in again.stderr and len(inbox.received) == 2


def test_a_failing_check_is_sent_only_when_accepted_by_name_and_the_acceptance_is_recorded(built_issue, monkeypatch):
    root, folder, pdf = built_issue
    settings = root / "issues" / "newsletter.yaml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + "check:\n  bars:\n    justify: 1.01\n", encoding="utf-8")  # a bar no PDF meets
    later = pdf.stat().st_mtime - 20
    os.utime(settings, (later, later))
    monkeypatch.chdir(root)
    accepted = accepted_log(pdf)
    accepted.unlink(missing_ok=True)
    try:
        refused = CliRunner().invoke(main, ["mail", str(folder)])
        assert refused.exit_code == 1 and "press check fails: justify" in refused.output
        assert "--accept names a check" in refused.output
        other = CliRunner().invoke(main, ["mail", str(folder), "--accept", "overlap"])
        assert other.exit_code == 1 and not accepted.exists()  # accepting another check lets nothing through
        unknown = CliRunner().invoke(main, ["mail", str(folder), "--accept", "justfy"])
        assert unknown.exit_code == 2 and "unknown check justfy" in unknown.output
        result = CliRunner().invoke(main, ["mail", str(folder), "--accept", "justify"])
        assert result.exit_code == 0, result.output
        assert "accepted the failing check justify as --accept asks" in result.stderr
        [entry] = [json.loads(line) for line in accepted.read_text(encoding="utf-8").splitlines()]
        assert entry["for"] == "draft" and list(entry["accepted"]) == ["justify"] and entry["pdf"] == pdf.name
        assert entry["accepted"]["justify"] == [] and len(entry["sha256"]) == 64  # the bar failed, no line did
    finally:
        settings.write_text(original, encoding="utf-8")
        os.utime(settings, (later, later))


def self_signed_certificate(folder):
    """A certificate and key for 127.0.0.1, made with cryptography (a dependency of pdfminer.six)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "server.pem", folder / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_starttls_and_login_with_credentials_from_the_environment(built_issue, tmp_path, monkeypatch):
    import ssl

    from aiosmtpd.smtp import AuthResult

    root, folder, pdf = built_issue
    cert_file, key_file = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert_file, key_file)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"editor", b"s3cret"))

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=server_tls,
                            require_starttls=True, authenticator=authenticator, auth_required=True)
    controller.start()
    try:
        with_mail_settings(root, port)
        settings = root / "issues" / "newsletter.yaml"
        text = settings.read_text(encoding="utf-8").replace("security: none", "security: starttls")
        built = settings.stat().st_mtime
        settings.write_text(text, encoding="utf-8")
        os.utime(settings, (built, built))
        log_path(pdf).unlink(missing_ok=True)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the client trusts this test's certificate only
        monkeypatch.setenv("PRESS_SMTP_USER", "editor")
        monkeypatch.setenv("PRESS_SMTP_PASSWORD", "s3cret")
        delivery = send(load_issue(folder), pdf, READERS[:2], sleep=lambda seconds: None)
    finally:
        controller.stop()
    assert len(delivery.sent) == 2 and not delivery.failed
    assert logins and logins[0] == (b"editor", b"s3cret")
    assert len(handler.received) == 2


def test_a_reader_refused_for_good_is_not_retried_and_the_others_get_it(built_issue, inbox):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port, retries=3)
    log_path(pdf).unlink(missing_ok=True)
    inbox.unknown = {"li@example.org"}
    delivery = send(load_issue(folder), pdf, READERS, sleep=lambda seconds: None)
    assert delivery.failed == (("li@example.org", "550 5.1.1 No such user here"),)
    assert inbox.asked.count("li@example.org") == 1
    assert len(delivery.sent) == 4


@pytest.mark.parametrize("trouble", ["no server", "login not offered", "user without password"])
def test_a_server_or_login_failure_stops_the_run_at_once(built_issue, inbox, monkeypatch, trouble):
    root, folder, pdf = built_issue
    port = inbox.port
    if trouble == "no server":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]  # closed again: nothing listens there
    with_mail_settings(root, port, retries=2)
    log_path(pdf).unlink(missing_ok=True)
    monkeypatch.setenv("PRESS_SMTP_USER", "editor")
    if trouble != "user without password":
        monkeypatch.setenv("PRESS_SMTP_PASSWORD", "secret")
    naps = []
    with pytest.raises(PressError) as raised:
        send(load_issue(folder), pdf, READERS, sleep=naps.append)
    assert len(naps) <= 2  # the first reader's retries, then the run stops
    assert inbox.received == []
    message = raised.value.message
    assert ("0 of 5 readers have the issue" in message) if trouble != "user without password" else \
        "PRESS_SMTP_PASSWORD" in message
    if trouble == "no server":  # where it tried, and what to look at
        assert f"127.0.0.1:{port} with security: none; check the host, the port" in message


def test_two_runs_at_once_do_not_both_send(built_issue, inbox):
    from press.mail import sending_lock

    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    with sending_lock(log_path(pdf)), pytest.raises(PressError, match="another press mail"):
        send(load_issue(folder), pdf, READERS)
    assert inbox.received == []


@pytest.mark.parametrize("template, message", [
    ("{{ issue.folder.joinpath('/etc/hostname').read_text() }}", "模板试图访问沙箱以外的内容"),
    ("本期要目\n{{ foo( }}\n", "模板错误 (template error: unexpected"),
])
def test_a_mail_template_that_reaches_out_or_breaks_is_an_input_error(built_issue, monkeypatch, template, message):
    root, folder, _ = built_issue
    templates = folder / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "mail.txt").write_text(template, encoding="utf-8")
    monkeypatch.chdir(root)
    try:
        result = CliRunner().invoke(main, ["mail", str(folder)])
    finally:
        (templates / "mail.txt").unlink()
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: issues/2024-04/templates/mail.txt:") and message in result.stderr


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_the_server_takes_a_message_lets_it_be_logged_first(built_issue, inbox, tmp_path, stop):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    readers = tmp_path / "readers.txt"
    readers.write_text("\n".join(READERS) + "\n", encoding="utf-8")
    command = subprocess.Popen([sys.executable, "-m", "press", "mail", str(folder), "--send", "--to", str(readers)],
                               cwd=root, env={**os.environ, "PRESS_SMTP_USER": ""}, stderr=subprocess.PIPE, text=True)

    async def stop_during_the_second(count):
        if count == 2:
            command.send_signal(stop)
            await asyncio.sleep(0.5)  # the server has the message; the 250 comes after the signal

    inbox.on_data = stop_during_the_second
    assert command.wait(timeout=60) == 128 + stop
    assert "run the same command again" in command.stderr.read()
    issue = load_issue(folder)
    assert len(already_sent(log_path(pdf), issue_id(issue, pdf))) == len(inbox.received) == 2
    inbox.on_data = None
    send(issue, pdf, READERS, sleep=lambda seconds: None)
    received = sorted(recipient for recipients, _ in inbox.received for recipient in recipients)
    assert received == sorted(parseaddr(reader)[1] for reader in READERS)  # nobody twice, nobody missed


@pytest.mark.parametrize("reply", ["552 5.3.4 Message size exceeds fixed limit", "421 4.3.2 Service shutting down"])
def test_a_rejected_message_stops_the_run_after_the_first_reader(built_issue, inbox, reply):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port, retries=2)
    log_path(pdf).unlink(missing_ok=True)
    inbox.data_reply = reply
    naps = []
    with pytest.raises(PressError) as raised:
        send(load_issue(folder), pdf, READERS, sleep=naps.append)
    assert len(naps) <= 2 and "0 of 5 readers have the issue" in raised.value.message


SIZE_LIMITED = ("import resource, runpy, sys; limit = int(sys.argv.pop(1)); "
                "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
                "runpy.run_module('press', run_name='__main__', alter_sys=True)")  # Python ignores SIGXFSZ: EFBIG
FULL_TMPFS = 'mount -t tmpfs -o size=4k tmpfs "$0" && printf x > "$0/filler" && exec "$@"'  # its one page taken


def on_a_full_disk(how: str, log, arguments: list[str], disk) -> list[str]:
    """`python -m press ARGUMENTS` run so that the send log cannot grow: past 150 bytes (a file-size limit:
    the second entry is torn), or at all (the log links to `disk`, there a 4 KB tmpfs already full, mounted
    in a namespace of its own)."""
    if how == "file-size limit":
        return [sys.executable, "-c", SIZE_LIMITED, "150", *arguments]
    disk.mkdir()
    log.symlink_to(disk / "sent.jsonl")
    mountable = subprocess.run(["unshare", "-rm", "sh", "-c", FULL_TMPFS, str(disk), "true"], capture_output=True) \
        if shutil.which("unshare") else None
    if not mountable or mountable.returncode:
        log.unlink()
        pytest.skip("cannot mount a tmpfs here (unshare -rm refused)")
    return ["unshare", "-rm", "sh", "-c", FULL_TMPFS, str(disk), sys.executable, "-m", "press", *arguments]


@pytest.mark.parametrize("how, logged", [("file-size limit", 1), ("full tmpfs", 0)])
def test_a_log_that_cannot_be_written_stops_the_run_and_nobody_gets_it_twice(built_issue, inbox, tmp_path, how,
                                                                               logged):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port, retries=3)
    log = log_path(pdf)
    log.unlink(missing_ok=True)
    readers = tmp_path / "readers.txt"
    readers.write_text("\n".join(READERS) + "\n", encoding="utf-8")
    command = on_a_full_disk(how, log, ["mail", str(folder), "--send", "--to", str(readers)],
                             tmp_path / "disk")
    try:
        run = subprocess.run(command, cwd=root, env={**os.environ, "PRESS_SMTP_USER": ""}, capture_output=True,
                             text=True, timeout=120)
        unlogged = parseaddr(READERS[logged])[1]
        assert run.returncode == 1, run.stderr
        assert [recipients for recipients, _ in inbox.received] == [[parseaddr(reader)[1]] for reader in
                                                                    READERS[:logged + 1]]  # each once, then stop
        assert f"{unlogged} was sent the issue but is not in the log" in run.stderr
        assert "check the host" not in run.stderr and "internal error" not in run.stderr
        assert f"{logged + 1} of 5 readers have the issue" in run.stderr
        issue = load_issue(folder)
        assert len(already_sent(log, issue_id(issue, pdf))) == logged  # the torn entry was cut off
        [by_hand] = [line.strip() for line in run.stderr.splitlines() if line.strip().startswith("printf")]
        assert by_hand.endswith("sent.jsonl")
        subprocess.run(["sh", "-c", by_hand], cwd=root, check=True)  # the editor frees space and does as told
        rest = send(issue, pdf, READERS, sleep=lambda seconds: None)
        assert len(rest.sent) == 5 - logged - 1 and len(rest.skipped) == logged + 1
        received = sorted(recipient for recipients, _ in inbox.received for recipient in recipients)
        assert received == sorted(parseaddr(reader)[1] for reader in READERS)  # nobody twice, nobody missed
    finally:
        log.unlink(missing_ok=True)


def test_a_torn_last_line_in_the_log_is_skipped_and_the_next_entry_starts_a_line_of_its_own(built_issue, inbox):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    issue = load_issue(folder)
    whole = json.dumps({"issue": issue_id(issue, pdf), "to": "zhang@example.org", "at": "2024-04-01T00:00:00+00:00"})
    log_path(pdf).write_text(whole + "\n" + whole[:30], encoding="utf-8")  # killed while writing the second entry
    delivery = send(issue, pdf, READERS[:3], sleep=lambda seconds: None)
    assert len(delivery.sent) == 2 and len(delivery.skipped) == 1
    assert already_sent(log_path(pdf), issue_id(issue, pdf)) == {"zhang@example.org", "li@example.org",
                                                                  "wang@example.net"}


@pytest.mark.parametrize("field, value, message", [
    ("from", "新材料监测快报\\n <newsletter@example.org>", "from 中有换行或控制字符"),
    ("from", "newsletter@example.org\\r\\nBcc: everyone@example.org", "from 中有换行或控制字符"),
    ("from", "新材料监测快报\\u2028 <newsletter@example.org>", "from 中有换行或控制字符"),
    ("title", "新材料\\n监测快报", "title 中有换行"),
])
def test_a_line_break_in_a_header_from_the_settings_is_an_input_error_at_its_line(built_issue, monkeypatch, field,
                                                                                  value, message):
    root, folder, pdf = built_issue
    settings = root / "issues" / "newsletter.yaml"
    original = settings.read_text(encoding="utf-8")
    text = original.split("mail:")[0] + "mail:\n  from: 新材料监测快报 <newsletter@example.org>\n"
    lines = [f'{field}: "{value}"' if line.startswith(f"{field}:") else
             f'  {field}: "{value}"' if line.startswith(f"  {field}:") else line for line in text.splitlines()]
    number = next(index for index, line in enumerate(lines, start=1) if f'{field}: "' in line)
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    earlier = pdf.stat().st_mtime - 10
    os.utime(settings, (earlier, earlier))  # as after a build: only the line break stands in the way
    monkeypatch.chdir(root)
    try:
        result = CliRunner().invoke(main, ["mail", str(folder)])
    finally:
        settings.write_text(original, encoding="utf-8")
        os.utime(settings, (earlier, earlier))
    assert result.exit_code == 2, result.output
    assert f"issues/newsletter.yaml:{number}:1: {message}" in result.stderr and "internal error" not in result.stderr


def test_no_header_is_written_with_a_line_break_whatever_reaches_compose(built_issue):
    from dataclasses import replace

    from press.mail import personal_copy

    _, folder, pdf = built_issue
    issue = load_issue(folder)
    injected = replace(issue.settings.mail, sender="a@example.org\nBcc: b@example.org")
    for settings in (replace(issue.settings, title="新材料\n监测快报"), replace(issue.settings, mail=injected)):
        with pytest.raises(PressError, match="line break"):
            compose(replace(issue, settings=settings), pdf)
    with pytest.raises(PressError, match="the To header would hold a line break"):
        personal_copy(compose(issue, pdf), "li@example.org\r\nBcc: everyone@example.org")


def test_log_lines_that_are_no_entry_are_passed_over_not_a_traceback(built_issue):
    _, folder, pdf = built_issue
    issue = load_issue(folder)
    ident = issue_id(issue, pdf)
    log = log_path(pdf)
    entries = [{"issue": ident}, {"issue": ident, "to": 5}, [ident, "li@example.org"], "zhang@example.org",
               {"issue": ident, "to": "Wang@Example.net"}]
    log.write_bytes(b"\n".join(json.dumps(entry).encode() for entry in entries) + b"\n\xff\xfe{\n" + b"[" * 100_000)
    try:
        assert already_sent(log, ident) == {"wang@example.net"}
    finally:
        log.unlink()


def set_mail_block(root, pdf, block: str) -> str:
    """Replace newsletter.yaml's mail block with `block` (none if empty), dated before the PDF; the old text."""
    settings = root / "issues" / "newsletter.yaml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original.split("mail:")[0] + block, encoding="utf-8")
    earlier = pdf.stat().st_mtime - 10
    os.utime(settings, (earlier, earlier))
    return original


def restore_settings(root, pdf, original: str) -> None:
    settings = root / "issues" / "newsletter.yaml"
    settings.write_text(original, encoding="utf-8")
    earlier = pdf.stat().st_mtime - 10
    os.utime(settings, (earlier, earlier))


@pytest.mark.parametrize("block, where", [
    ("", "issues/newsletter.yaml: newsletter.yaml 没有 mail: 设置"),
    ("mail:\n  host: 127.0.0.1\n  port: {port}\n  security: none\n",
     "issues/newsletter.yaml:{line}:1: newsletter.yaml mail: 中没有 from"),
])
def test_without_a_sender_the_draft_says_so_and_sending_is_refused(built_issue, inbox, tmp_path, monkeypatch,
                                                                   block, where):
    root, folder, pdf = built_issue
    original = set_mail_block(root, pdf, block.format(port=inbox.port))
    line = (root / "issues" / "newsletter.yaml").read_text(encoding="utf-8").splitlines().index("mail:") + 1 \
        if block else 0
    readers = tmp_path / "readers.txt"
    readers.write_text("li@example.org\n", encoding="utf-8")
    log_path(pdf).unlink(missing_ok=True)
    monkeypatch.chdir(root)
    try:
        draft = CliRunner().invoke(main, ["mail", str(folder)])
        sending = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    finally:
        restore_settings(root, pdf, original)
    assert draft.exit_code == 0, draft.output
    assert "the draft's sender is a placeholder: add mail: from: to issues/newsletter.yaml" in draft.stderr
    message = parse(pdf.with_suffix(".eml").read_bytes())
    assert parseaddr(str(message["From"]))[1] == "newsletter@localhost"
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()
        note = "(draft: the sender is a placeholder; add mail: from: to newsletter.yaml before sending)"
        assert note in body.split("\n\n")[0] if kind == "plain" else note in body.split("<h1")[0]
    assert sending.exit_code == 2, sending.output
    assert where.format(line=line) in sending.stderr and "cannot send: no sender" in sending.stderr
    assert inbox.received == [] and inbox.asked == [] and not log_path(pdf).exists()


def test_with_a_sender_the_draft_has_no_placeholder_line(built_issue, inbox, monkeypatch):
    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["mail", str(folder)])
    assert result.exit_code == 0 and "placeholder" not in result.stderr
    message = parse(pdf.with_suffix(".eml").read_bytes())
    assert "placeholder" not in message.get_body(("plain",)).get_content()
    assert "placeholder" not in message.get_body(("html",)).get_content()


MAIL_BLOCK = ("mail:\n  from: 新材料监测快报 <newsletter@example.org>\n  host: 127.0.0.1\n  port: {port}\n"
              "  security: none\n  per_minute: 6000\n  retries: 1\n")


@pytest.mark.parametrize("unsubscribe, header, one_click", [
    ("  unsubscribe: mailto:leave@example.org?subject=unsubscribe\n",
     "<mailto:leave@example.org?subject=unsubscribe>", False),
    ("  unsubscribe: https://example.org/leave?list=materials\n", "<https://example.org/leave?list=materials>", True),
    ("  unsubscribe:\n    - mailto:leave@example.org\n    - https://example.org/leave\n",
     "<mailto:leave@example.org>, <https://example.org/leave>", True),
    ("", None, False),
])
def test_the_received_message_carries_list_unsubscribe(built_issue, inbox, tmp_path, monkeypatch, unsubscribe,
                                                       header, one_click):
    root, folder, pdf = built_issue
    original = set_mail_block(root, pdf, MAIL_BLOCK.format(port=inbox.port) + unsubscribe)
    log_path(pdf).unlink(missing_ok=True)
    readers = tmp_path / "readers.txt"
    readers.write_text("li@example.org\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("PRESS_SMTP_USER", "")
    try:
        result = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    finally:
        restore_settings(root, pdf, original)
        log_path(pdf).unlink(missing_ok=True)
    assert result.exit_code == 0, result.output
    [(_, raw)] = inbox.received
    message = parse(raw)
    assert message["List-Unsubscribe"] == header
    assert message["List-Unsubscribe-Post"] == ("List-Unsubscribe=One-Click" if one_click else None)


@pytest.mark.parametrize("unsubscribe, line, message", [
    ("  unsubscribe: http://example.org/leave\n", 0, "unsubscribe: write mailto:address or an https:// URL"),
    ("  unsubscribe: leave@example.org\n", 0, "unsubscribe: write mailto:address"),
    ("  unsubscribe: mailto:leave\n", 0, "unsubscribe: write mailto:address"),
    ("  unsubscribe: https://example.org/a b\n", 0, "with no spaces, <, > or commas"),
    ("  unsubscribe: https://例子.org/leave\n", 0, "in ASCII"),
    ("  unsubscribe: \"https://example.org/\\r\\nBcc: x@example.org\"\n", 0, "unsubscribe: write"),
    ("  unsubscribe:\n    - https://example.org/a\n    - https://example.org/b\n", 2,
     "unsubscribe: give at most one https: target"),
    ("  unsubscribe:\n    - mailto:leave@example.org\n    - 5\n", 2, "unsubscribe must be text"),
])
def test_a_bad_unsubscribe_is_an_input_error_at_its_line(built_issue, monkeypatch, unsubscribe, line, message):
    root, folder, pdf = built_issue
    original = set_mail_block(root, pdf, MAIL_BLOCK.format(port=25) + unsubscribe)
    text = (root / "issues" / "newsletter.yaml").read_text(encoding="utf-8").splitlines()
    number = text.index("  unsubscribe:" if line else unsubscribe.splitlines()[0]) + 1 + line
    monkeypatch.chdir(root)
    try:
        result = CliRunner().invoke(main, ["mail", str(folder)])
    finally:
        restore_settings(root, pdf, original)
    assert result.exit_code == 2, result.output
    assert f"issues/newsletter.yaml:{number}:1: " in result.stderr and message in result.stderr, result.stderr


def test_a_change_of_the_mail_block_alone_asks_for_no_rebuild_any_other_setting_does(built_issue, inbox,
                                                                                     monkeypatch):
    root, folder, pdf = built_issue
    settings = root / "issues" / "newsletter.yaml"
    original = set_mail_block(root, pdf, "")
    later = pdf.stat().st_mtime + 10
    edits = {"mail block added": (original.split("mail:")[0] + MAIL_BLOCK.format(port=inbox.port), False),
             "mail block and a comment": (original.split("mail:")[0] + "# 邮件\n" + MAIL_BLOCK.format(port=1), False),
             "title_en changed": (original.split("mail:")[0].replace("title_en: ", "title_en: THE "), True),
             "a default written out": (original.split("mail:")[0] + "section_break: run-on\n", True)}
    monkeypatch.chdir(root)
    try:
        for name, (text, stale) in edits.items():
            settings.write_text(text, encoding="utf-8")
            os.utime(settings, (later, later))  # edited after the build
            reasons = ready(load_issue(folder), pdf).reasons
            assert any("older than issues/newsletter.yaml" in reason for reason in reasons) == stale, (name, reasons)
            if not stale:
                result = CliRunner().invoke(main, ["mail", str(folder)])
                assert result.exit_code == 0 and "older than" not in result.output, (name, result.output)
    finally:
        restore_settings(root, pdf, original)


def dist_names(pdf) -> set[str]:
    return {path.name for path in pdf.parent.iterdir()}


def test_no_lock_or_other_file_is_left_in_dist_after_a_run_that_succeeds_or_stops(built_issue, inbox, tmp_path,
                                                                                monkeypatch):
    _, folder, pdf, readers = ready_to_send(built_issue, inbox, tmp_path, monkeypatch)
    before = dist_names(pdf) - {log_path(pdf).name}
    assert not any(name.endswith(".lock") for name in before), before
    sent = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    assert sent.exit_code == 0, sent.output
    assert dist_names(pdf) == before | {log_path(pdf).name}
    log_path(pdf).unlink()
    inbox.data_reply = "554 5.7.1 Message refused"
    stopped = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
    assert stopped.exit_code == 1 and "0 of 2 readers have the issue" in stopped.stderr, stopped.output
    assert dist_names(pdf) <= before | {log_path(pdf).name}
    interrupted = []

    def interrupt(seconds):
        interrupted.append(seconds)
        raise KeyboardInterrupt

    inbox.data_reply = ""
    with pytest.raises(KeyboardInterrupt):
        send(load_issue(folder), pdf, READERS, sleep=interrupt)
    assert interrupted and dist_names(pdf) == before | {log_path(pdf).name}
    log_path(pdf).unlink()


def test_a_lock_left_by_a_killed_run_is_taken_over_and_removed(built_issue, inbox):
    from press.mail import sending_lock

    root, folder, pdf = built_issue
    with_mail_settings(root, inbox.port)
    log_path(pdf).unlink(missing_ok=True)
    lock = log_path(pdf).with_name(log_path(pdf).name + ".lock")
    lock.touch()  # as a run killed with SIGKILL leaves it: the file, no lock held
    try:
        assert len(send(load_issue(folder), pdf, READERS[:1]).sent) == 1
    finally:
        log_path(pdf).unlink()
    assert not lock.exists()
    with sending_lock(log_path(pdf)):  # the lock still holds while it is there
        assert lock.exists()
        with pytest.raises(PressError, match="another press mail"), sending_lock(log_path(pdf)):
            pass
        assert lock.exists()
    assert not lock.exists()


def test_a_run_that_opened_the_lock_as_the_holder_removed_it_locks_the_new_file(built_issue, monkeypatch):
    """The race removing the lock opens: B opens the file, A ends (removes it, unlocks), B locks the removed
    file; B must see that and lock the file now at that name, or C could lock that one at the same time."""
    import fcntl

    from press import mail as mailing

    _, _, pdf = built_issue
    lock = log_path(pdf).with_name(log_path(pdf).name + ".lock")
    opened = []
    real_open = type(lock).open

    def open_then_holder_ends(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        opened.append(handle)
        if len(opened) == 1:
            self.unlink()  # A removes the file B just opened, then unlocks it
        return handle

    monkeypatch.setattr(type(lock), "open", open_then_holder_ends)
    with mailing.sending_lock(log_path(pdf)):
        assert len(opened) == 2 and lock.exists()
        with real_open(lock, "a") as other, pytest.raises(BlockingIOError):  # C, at the name: refused
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert not lock.exists()


def test_a_draft_is_refused_for_sending_and_for_a_dry_run_and_its_eml_says_it_is_one(built_issue, inbox, tmp_path,
                                                                                      monkeypatch):
    _, folder, pdf, readers = ready_to_send(built_issue, inbox, tmp_path, monkeypatch)
    final, status = pdf.read_bytes(), pdf.stat()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714629807")
    try:
        build(folder, pdf, draft=True)
        sending = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers)])
        dry_run = CliRunner().invoke(main, ["mail", str(folder), "--send", "--to", str(readers), "--dry-run"])
        eml = CliRunner().invoke(main, ["mail", str(folder)])
        reasons = ready(load_issue(folder), pdf, sending=True).reasons
    finally:
        pdf.write_bytes(final)
        os.utime(pdf, ns=(status.st_atime_ns, status.st_mtime_ns))
    refusal = "PDF 是校对用的草稿，生成于 2024-05-02T06:03:27+00:00 (the PDF is a draft for proofreading"
    for refused in (sending, dry_run):
        assert refused.exit_code == 1, refused.output
        assert "不能发送 (will not send)" in refused.stderr and refusal in refused.stderr
        assert "Traceback" not in refused.output
    assert dry_run.stdout == "" and inbox.received == [] and inbox.asked == [] and not log_path(pdf).exists()
    assert reasons == [next(line.strip() for line in sending.stderr.splitlines() if refusal in line)]
    assert eml.exit_code == 0, eml.output
    assert "warning: the attached PDF is a draft" in eml.stderr
    assert pdf.with_suffix(".eml").is_file()


@pytest.mark.parametrize("paper", ["A4", "A5", "B5"])
def test_the_cover_in_the_message_is_as_wide_on_every_paper(tmp_path, paper):
    import io

    from PIL import Image
    from pypdf import PdfWriter

    from press.mail import COVER_WIDTH, cover_png
    from press.pagesize import parse_page_size

    size = parse_page_size(paper)
    writer = PdfWriter()
    writer.add_blank_page(width=size.width, height=size.height)
    writer.write(tmp_path / "cover.pdf")
    width, height = Image.open(io.BytesIO(cover_png(tmp_path / "cover.pdf"))).size
    assert width == COVER_WIDTH and abs(height - COVER_WIDTH * size.height_mm / size.width_mm) <= 1
