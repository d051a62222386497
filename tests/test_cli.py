"""The build command end to end through Typer's runner: bad inputs are one line each, the rest builds."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from conftest import DATA
from heritagekg.cli import app

runner = CliRunner()
GOOD = "Oslo, 2 March 2023 – The Nordic Heritage Forum was held in Oslo on 2 March 2023.\n"


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 in Montr\xe9al hosted the forum.".encode("latin-1"))
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("text", encoding="utf-8")
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        line = "The heritage forum was held in a city. " * 50 + "\n"
        while fh.tell() < 20 * 1024 * 1024:
            fh.write(line)
    return {"good": good, "empty": empty, "binary": binary, "latin": latin, "unknown": unknown, "big": big,
            "missing": tmp_path / "missing.txt"}


@pytest.mark.parametrize("bad,message", [
    ("empty", "empty"), ("binary", "binary"), ("latin", "UTF-8"), ("unknown", ".xyz"),
    ("big", "MB"), ("missing", "no such file"),
])
def test_bad_input_is_one_line_and_the_rest_is_built(inputs, tmp_path, bad, message):
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["build", str(inputs[bad]), str(inputs["good"]), "-o", str(out)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert inputs[bad].name in errors[0] and message in errors[0]
    g = Graph().parse(out)
    labels = {str(o) for o in g.objects(None, None)}
    assert "Nordic Heritage Forum" in labels


def test_only_bad_inputs_write_nothing(inputs, tmp_path):
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["build", str(inputs["empty"]), "-o", str(out)])
    assert result.exit_code != 0
    assert not out.exists()
    assert list(tmp_path.glob(".kg.ttl*")) == []


def test_unknown_output_extension_fails_before_building(inputs, tmp_path):
    result = runner.invoke(app, ["build", str(inputs["good"]), "-o", str(tmp_path / "kg.xml")])
    assert result.exit_code != 0
    assert "unknown output extension .xml" in result.output


@pytest.mark.parametrize("ext", [".ttl", ".trig", ".nq", ".nt", ".jsonld"])
def test_build_writes_every_format(tmp_path, ext):
    out = tmp_path / f"kg{ext}"
    result = runner.invoke(app, ["build", str(DATA), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "conforms to shapes" in result.output
    assert out.stat().st_size > 10_000


def test_strict_build_of_a_conforming_graph_succeeds(tmp_path):
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["build", str(DATA), "-o", str(out), "--strict"])
    assert result.exit_code == 0 and out.exists()


def test_lang_option_is_checked(tmp_path, inputs):
    result = runner.invoke(app, ["build", str(inputs["good"]), "-o", str(tmp_path / "x.ttl"), "--lang", "fr"])
    assert result.exit_code != 0 and "--lang" in result.output
