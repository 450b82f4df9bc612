"""Layout: the sandboxed fetcher, and footnotes kept on the page of their call."""

import pytest

from press.errors import InputError
from press.layout import SandboxFetcher, lay_out, lay_out_verified, misplaced_footnotes
from press.load import load_issue
from press.render import render_html
from tests.conftest import ROOT, IssueMaker, shifted_sample


def test_fetcher_serves_only_files_inside_its_roots(tmp_path):
    inside = tmp_path / "issue"
    inside.mkdir()
    (inside / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = SandboxFetcher([inside], ROOT / "fonts")
    assert fetcher.resolve((inside / "a.svg").as_uri()) == (inside / "a.svg").resolve()
    assert fetcher.resolve("font:PressSong-Regular.otf") == (ROOT / "fonts/PressSong-Regular.otf")
    for url in [(tmp_path / "secret.txt").as_uri(), (inside / "../secret.txt").as_uri(),
                "file:///etc/passwd", "http://example.com/a.png", "data:text/plain,hi",
                "font:../press/__init__.py"]:
        assert fetcher.resolve(url) is None, url


def test_fetcher_refuses_a_symlink_out_of_the_folder(tmp_path):
    inside = tmp_path / "issue"
    inside.mkdir()
    (tmp_path / "secret.png").write_bytes(b"x")
    (inside / "link.png").symlink_to(tmp_path / "secret.png")
    assert SandboxFetcher([inside], ROOT / "fonts").resolve((inside / "link.png").as_uri()) is None


def test_a_refused_resource_stops_the_render(make_issue):
    issue = load_issue(make_issue({"a.md": "---\ntitle: t\nsection: 专题\n---\n\n正文。\n"}))
    html = render_html(issue).replace("</body>", '<img src="file:///etc/passwd"></body>')
    with pytest.raises(InputError, match="refused\\): file:///etc/passwd"):
        lay_out(issue, html)


def test_a_missing_style_resource_is_named_missing(make_issue):
    issue = load_issue(make_issue({"a.md": "---\ntitle: t\nsection: 专题\n---\n\n正文。\n"}))
    missing = issue.settings.style_dir / "no-such.png"
    html = render_html(issue).replace("</body>", f'<img src="{missing.as_uri()}"></body>')
    with pytest.raises(InputError, match="file not found"):
        lay_out(issue, html)


@pytest.fixture(scope="module")
def shifted_variants(tmp_path_factory):
    """The sample shifted eight ways (see conftest.shifted_sample), loaded and rendered."""
    maker = IssueMaker(tmp_path_factory.mktemp("shift"))
    variants = []
    for k in range(10, 18):
        issue = load_issue(shifted_sample(maker, k))
        variants.append((issue, render_html(issue)))
    return variants


def test_every_footnote_lands_on_its_call_page_where_weasyprint_alone_fails(shifted_variants):
    raw_failures = 0
    for issue, html in shifted_variants:
        raw_failures += len(misplaced_footnotes(issue, lay_out(issue, html)))
        verified = lay_out_verified(issue, html)
        assert misplaced_footnotes(issue, verified) == []
        assert all(verified.page_of(f"fn-{note.number}") is not None for note in issue.footnotes)
    # The correction must have had something to correct, or this test proves nothing.
    assert raw_failures > 0
