"""`rugwijzer aids`: the catalogue imported all or nothing (every problem with its line, nothing
imported), listed by category, the advice as text and JSON, and bad input as exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugwijzer.cli.main import app
from rugwijzer.domain.aids import CATALOGUE_COLUMNS, CATEGORIES
from rugwijzer.i18n import render_message
from rugwijzer.messages import Code, Message

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cli_environment")

HEADER = ",".join(CATALOGUE_COLUMNS)
GOOD = "\n".join(
    [
        HEADER,
        "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,Warm",
        "BR-1,Rugbrace,Back brace,lumbar_support,39.95,https://shop.example.org/br,",
        "CH-1,Bureaustoel,Office chair,office_chair,299,https://shop.example.org/ch,",
    ]
)
# Line 3: an unknown category; line 4: a negative price and a URL that is not http(s);
# line 5: the SKU of line 2 again.
BAD = "\n".join(
    [
        HEADER,
        "HW-1,Warmtebandage,Heat wrap,heat_wrap,19.95,https://shop.example.org/hw,",
        "XX-1,Iets,Thing,magic_wand,5,https://shop.example.org/x,",
        "CH-1,Bureaustoel,Office chair,office_chair,-3,ftp://shop.example.org/ch,",
        "HW-1,Warmtebandage,Heat wrap,heat_wrap,17.50,https://shop.example.org/hw,",
    ]
)
ANSWERS = {"pain_weeks": 3, "sitting_hours_per_day": 8, "work": "desk", "goal": "relief"}


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _skus() -> list[str]:
    result = runner.invoke(app, ["aids", "list", "--json"])
    assert result.exit_code == 0, result.output
    return [product["sku"] for product in json.loads(result.stdout)]


def test_an_import_says_what_it_did_and_the_list_shows_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["aids", "import", str(_file(tmp_path, "good.csv", GOOD))])
    assert result.exit_code == 0, result.output
    assert "3 added, 0 updated, 0 removed" in result.stdout
    assert _skus() == ["BR-1", "HW-1", "CH-1"]  # in the order of the categories
    text = runner.invoke(app, ["aids", "list", "--lang", "nl"]).stdout
    assert "warmtebandage" in text.lower()
    assert "€\u00a019,95" in text  # the amount kept with its sign
    assert "voorbeeld" not in text  # an imported catalogue is not an example
    again = runner.invoke(
        app,
        ["aids", "import", "--replace", str(_file(tmp_path, "one.csv", GOOD.rsplit("\n", 1)[0]))],
    )
    assert again.exit_code == 0, again.output
    assert "0 added, 2 updated, 1 removed" in again.stdout
    assert _skus() == ["BR-1", "HW-1"]


def test_a_bad_file_lists_every_problem_with_its_line_and_imports_nothing(
    tmp_path: Path,
) -> None:
    runner.invoke(app, ["aids", "import", str(_file(tmp_path, "good.csv", GOOD))])
    before = _skus()
    result = runner.invoke(app, ["aids", "import", str(_file(tmp_path, "bad.csv", BAD))])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: Nothing was imported: the file has 4 problems."
    assert [line.strip().split(":")[0] for line in lines[1:]] == [
        "Line 3",
        "Line 4",
        "Line 4",
        "Line 5",
    ]
    assert "magic_wand" in lines[1]
    assert "-3" in lines[2]
    assert "ftp://" in lines[3]
    assert "already on line 2" in lines[4]
    assert _skus() == before  # nothing imported
    dutch = runner.invoke(app, ["--lang", "nl", "aids", "import", str(tmp_path / "bad.csv")])
    assert dutch.exit_code == 2
    assert dutch.stderr.startswith("Fout: Er is niets geïmporteerd")
    assert "Regel 3" in dutch.stderr


def test_a_file_without_the_columns_or_not_there_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["aids", "import", str(_file(tmp_path, "x.csv", "sku,name_nl\nA,b\n"))]
    )
    assert result.exit_code == 2
    assert "lacks the columns" in result.stderr
    missing = runner.invoke(app, ["aids", "import", str(tmp_path / "nothing.csv")])
    assert missing.exit_code == 2


def test_the_sample_catalogue_is_marked_as_an_example() -> None:
    result = runner.invoke(app, ["aids", "list"])
    assert result.exit_code == 0, result.output
    assert "sample catalogue" in result.stdout
    assert "(example)" in result.stdout
    products = json.loads(runner.invoke(app, ["aids", "list", "--json"]).stdout)
    assert products
    assert all(product["example"] for product in products)


def test_the_advice_as_text_leads_with_the_evidence_and_ends_with_products(
    tmp_path: Path,
) -> None:
    answers = _file(tmp_path, "answers.json", json.dumps(ANSWERS))
    result = runner.invoke(app, ["aids", "advise", "--answers", str(answers), "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.index("What helps most, by the evidence") < text.index("lumbar support")
    heat = text[text.index("heat wrap: worth considering") :]
    heat = heat[: heat.index("sit-stand desk")]
    assert heat.index("3 weeks") < heat.index("Grade B") < heat.index("In the catalogue:")
    assert "hot-water bottle" in heat
    brace = text[text.index("lumbar support") : text.index("posture corrector")]
    assert "not recommended" in brace
    assert "In the catalogue:" not in brace  # never a product for a lumbar support
    assert "warning sign" not in text


def test_the_advice_with_a_warning_sign_leads_with_the_referral(tmp_path: Path) -> None:
    flagged = {**ANSWERS, "triage": {"fever": True}}
    answers = _file(tmp_path, "answers.json", json.dumps(flagged))
    result = runner.invoke(app, ["aids", "advise", "--answers", str(answers), "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(render_message(Message.of(Code.AIDS_BECAUSE_RED_FLAG), "nl"))
    assert "In de catalogus" not in result.stdout
    view = json.loads(
        runner.invoke(app, ["aids", "advise", "--answers", str(answers), "--json"]).stdout
    )
    assert view["red_flag"] is True
    assert {item["recommendation"] for item in view["items"]} <= {
        "see_professional",
        "not_recommended",
    }
    assert all(item["products"] == [] for item in view["items"])


def test_the_advice_as_json_is_the_view(tmp_path: Path) -> None:
    answers = _file(tmp_path, "answers.json", json.dumps(ANSWERS))
    result = runner.invoke(app, ["aids", "advise", "--answers", str(answers), "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert set(view) == {"red_flag", "urgency", "referral", "favoured", "items"}
    assert view["red_flag"] is False
    assert [item["category"] for item in view["items"]] == list(CATEGORIES)
    by_category = {item["category"]: item for item in view["items"]}
    assert by_category["heat_wrap"]["recommendation"] == "consider"
    assert by_category["lumbar_support"]["recommendation"] == "not_recommended"
    assert by_category["lumbar_support"]["products"] == []
    assert by_category["heat_wrap"]["products"]
    assert {"grade", "reason", "sources"} <= set(by_category["heat_wrap"])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps([1, 2]), "must be a JSON object"),
        (json.dumps({**ANSWERS, "shoe_size": 42}), "Unknown answers: shoe_size"),
        (json.dumps({**ANSWERS, "sitting_hours_per_day": 25}), "from 0 to 24"),
        (json.dumps({**ANSWERS, "work": "astronaut"}), "must be one of"),
        (json.dumps({"pain_weeks": 3}), "Missing answers"),
    ],
)
def test_bad_answers_are_exit_2_with_the_message(tmp_path: Path, content: str, words: str) -> None:
    answers = _file(tmp_path, "answers.json", content)
    result = runner.invoke(app, ["aids", "advise", "--answers", str(answers)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert words in result.stderr
    assert "Traceback" not in result.output


def test_delete_removes_one_product_and_an_unknown_sku_is_exit_1(tmp_path: Path) -> None:
    runner.invoke(app, ["aids", "import", str(_file(tmp_path, "good.csv", GOOD))])
    result = runner.invoke(app, ["aids", "delete", "HW-1"])
    assert result.exit_code == 0, result.output
    assert "HW-1" in result.stdout
    assert _skus() == ["BR-1", "CH-1"]
    unknown = runner.invoke(app, ["aids", "delete", "HW-1"])
    assert unknown.exit_code == 1
    assert "no product with the SKU ‘HW-1’" in unknown.stderr
