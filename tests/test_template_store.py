"""Compiled templates kept between runs (pipeline.render.template_store): read back as plain JSON, they
render byte for byte as a fresh compile, and anything wrong with a kept file means compiling again."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

import pipeline.render.compile as render
from pipeline.carriers import CARRIERS
from pipeline.core.runlock import private_temp_folder
from pipeline.synth import generate

TEMPLATES = Path(__file__).resolve().parents[1] / "templates_docx"


@pytest.fixture
def compiles(monkeypatch):
    """Count the templates compiled from their .docx."""
    count = []
    original = render.CompiledTemplate.__init__
    monkeypatch.setattr(render.CompiledTemplate, "__init__",
                        lambda self, *a, **k: count.append(1) or original(self, *a, **k))
    return count


@pytest.fixture(scope="module")
def dataset():
    return generate(learners=40, groups=3)


def _kept(folder: Path) -> list[Path]:
    return sorted(folder.glob("uchet-template-*.json"))


@pytest.mark.parametrize("safe", [False, True], ids=["fast finish", "UCHET_SAFE_RENDER"])
def test_every_template_kept_renders_as_compiled(private_cache, compiles, dataset, monkeypatch, safe):
    if safe:
        monkeypatch.setenv(render.SAFE_RENDER_ENV, "1")
    for carrier in CARRIERS:
        path = TEMPLATES / carrier.template
        fresh = render.kept_or_compiled(path)
        assert len(compiles) == 1, carrier.key
        kept = render.kept_or_compiled(path)
        assert len(compiles) == 1, carrier.key  # read back, not compiled
        assert kept.fast_parts() == fresh.fast_parts() and kept.sha256 == fresh.sha256
        assert kept.variables() == fresh.variables()
        specs = list(carrier.build(dataset))[:3]
        for spec in specs:
            assert kept.render(spec.context) == fresh.render(spec.context), carrier.key
        compiles.clear()
    assert len(_kept(private_cache)) == len({c.template for c in CARRIERS})


def test_the_kept_file_is_plain_json(private_cache):
    render.kept_or_compiled(TEMPLATES / "protocol.docx")
    (path,) = _kept(private_cache)
    head, payload = path.read_bytes().split(b"\n", 1)
    assert len(json.loads(head)) == 2
    assert set(json.loads(payload)) >= {"sha256", "parts", "shell", "zip"}


def _damage_payload(data: bytes) -> bytes:
    return data[:-200] + bytes([data[-200] ^ 1]) + data[-199:]


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _other_key(data: bytes) -> bytes:
    head, payload = data.split(b"\n", 1)
    key, digest = json.loads(head)
    return json.dumps(["0" * len(key), digest]).encode() + b"\n" + payload


def _malformed_but_signed(data: bytes) -> bytes:
    # A payload that hashes right but does not describe a template (a bug, or a hand edit).
    head, payload = data.split(b"\n", 1)
    value = json.loads(payload)
    value["zip"]["names"] = value["zip"]["names"][:-1]
    payload = json.dumps(value).encode()
    key, _ = json.loads(head)
    return json.dumps([key, hashlib.sha256(payload).hexdigest()]).encode() + b"\n" + payload


@pytest.mark.parametrize("spoil", [_damage_payload, _truncate, _other_key, _malformed_but_signed])
def test_a_spoilt_kept_file_is_compiled_again(private_cache, compiles, dataset, spoil):
    carrier = next(c for c in CARRIERS if c.key == "protocol")
    context = next(iter(carrier.build(dataset))).context
    expected = render.CompiledTemplate(TEMPLATES / carrier.template).render(context)
    render.kept_or_compiled(TEMPLATES / carrier.template)
    (path,) = _kept(private_cache)
    good = path.read_bytes()
    path.write_bytes(spoil(good))
    compiles.clear()
    again = render.kept_or_compiled(TEMPLATES / carrier.template)
    assert len(compiles) == 1
    assert again.render(context) == expected
    assert path.read_bytes() == good  # kept anew


def test_an_edited_template_is_compiled_not_taken_from_its_old_entry(private_cache, compiles, tmp_path):
    template = tmp_path / "t.docx"
    template.write_bytes((TEMPLATES / "protocol.docx").read_bytes())
    first = render.kept_or_compiled(template)
    template.write_bytes((TEMPLATES / "study_certificate.docx").read_bytes())
    compiles.clear()
    second = render.kept_or_compiled(template)
    assert len(compiles) == 1 and second.sha256 != first.sha256
    assert len(_kept(private_cache)) == 2


def test_nothing_is_kept_without_a_private_folder(monkeypatch, compiles, tmp_path):
    monkeypatch.setattr(render, "jinja_bytecode_cache", lambda: None)
    render.kept_or_compiled(TEMPLATES / "protocol.docx")
    render.kept_or_compiled(TEMPLATES / "protocol.docx")
    assert len(compiles) == 2


def test_a_libreoffice_template_keeps_its_one_core_properties_part(tmp_path, dataset):
    """LibreOffice relates core properties under the transitional type; the document keeps the template's
    own properties (its title), not python-docx's default «Word Document»."""
    source = zipfile.ZipFile(TEMPLATES / "protocol.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"/package/2006/relationships/metadata/core-properties",
                                    b"/officeDocument/2006/relationships/metadata/core-properties")
                assert b"officeDocument/2006/relationships/metadata/core-properties" in data
            target.writestr(info, data)
    template = tmp_path / "lo.docx"
    template.write_bytes(out.getvalue())
    carrier = next(c for c in CARRIERS if c.key == "protocol")
    context = next(iter(carrier.build(dataset))).context
    document = zipfile.ZipFile(io.BytesIO(render.CompiledTemplate(template).render(context)))
    assert document.namelist().count("docProps/core.xml") == 1
    core = document.read("docProps/core.xml").decode("utf-8")
    assert "<dc:title>Протокол заседания аттестационной комиссии</dc:title>" in core


def test_the_kept_folder_outlives_the_runs_temporary_folder(tmp_path, monkeypatch):
    """A run points the temporary folder into output/cache/tmp/ and removes it: what is kept is elsewhere."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    (tmp_path / "out").mkdir()
    with private_temp_folder(tmp_path / "out"):
        kept = render.jinja_bytecode_cache()
    assert Path(kept.directory) == tmp_path / "home-cache" / "uchet"
    assert stat.S_IMODE(os.stat(kept.directory).st_mode) == 0o700


def test_a_cache_folder_others_may_write_keeps_nothing(tmp_path, monkeypatch, compiles):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "uchet").mkdir()
    os.chmod(tmp_path / "uchet", 0o777)
    assert render.jinja_bytecode_cache() is None
    render.kept_or_compiled(TEMPLATES / "protocol.docx")
    render.kept_or_compiled(TEMPLATES / "protocol.docx")
    assert len(compiles) == 2 and list((tmp_path / "uchet").iterdir()) == []
