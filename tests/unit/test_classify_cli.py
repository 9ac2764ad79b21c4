"""`earshot classify` through click's CliRunner."""

import json

from click.testing import CliRunner

from bot.cli.classify import classify_command


def run(args, stdin=None):
    return CliRunner().invoke(classify_command, args, input=stdin)


def lines(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_stdin_lines():
    result = run([], "the invoice charged them twice\nonboarding call was spot on\n\n")
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [o["process"] for o in out] == ["Billing", "Onboarding"]
    assert out[1]["sentiment"] == "praise"
    assert set(out[0]) == {"row", "text", "process", "confidence", "sentiment", "score", "suggestion",
                           "suggestion_confidence", "filed_as", "language"}
    assert out[0]["confidence"] == round(out[0]["confidence"], 3)
    assert result.stderr == "earshot: skipped 1 blank line.\n"


def test_blank_lines_of_a_file_are_counted_and_output_goes_to_out(tmp_path):
    remarks = tmp_path / "remarks.txt"
    remarks.write_text("the invoice charged them twice\n\n   \nonboarding call was spot on\n\n")
    out = tmp_path / "out.jsonl"
    result = run(["--input", str(remarks), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == "earshot: skipped 3 blank lines.\n"
    assert [json.loads(x)["process"] for x in out.read_text().splitlines()] == ["Billing", "Onboarding"]
    quiet = run(["--input", str(remarks), "--out", "-"], None)
    assert len(lines(quiet)) == 2
    none_blank = run([], "the invoice charged them twice\n")
    assert none_blank.stderr == ""


def test_csv_input_and_training(tmp_path):
    remarks = tmp_path / "remarks.csv"
    remarks.write_text('id,text\n1,"where did the export button go"\n2,"hello, world"\n')
    train = tmp_path / "train.csv"
    train.write_text("text,process,sentiment\nthe export button is missing,Product quality,"
                     "complaint\n")
    result = run(["--input", str(remarks), "--train", str(train)])
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert out[0]["process"] == "Product quality"
    assert out[1]["text"] == "hello, world"


def test_custom_processes_and_threshold(tmp_path):
    procs = tmp_path / "p.yaml"
    procs.write_text("processes:\n  - name: Hardware\n    keywords: [laptop, monitor]\n"
                     "  - name: Travel\n    keywords: [flight, hotel]\n")
    result = run(["--processes", str(procs)], "my laptop monitor flickers\n")
    assert lines(result)[0]["process"] == "Hardware"
    result = run(["--processes", str(procs), "--threshold", "1.0"], "my laptop monitor flickers\n")
    assert lines(result)[0]["process"] is None


def test_sentiment_only():
    result = run(["--sentiment-only"], "the invoice charged them twice\n")
    out = lines(result)[0]
    assert out["process"] is None and out["confidence"] == 0
    assert out["sentiment"] == "complaint"


def test_malformed_csv_exits_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('text\n"ok"\n"unterminated\n')
    result = run(["--input", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv" in result.output and "line" in result.output
    assert "Traceback" not in result.output


def test_missing_column_and_unknown_process(tmp_path):
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("notes\nhello\n")
    result = run(["--input", str(nocol)])
    assert result.exit_code == 2 and "line 1" in result.output
    train = tmp_path / "train.csv"
    train.write_text("text,process\nfine,Billing\nhmm,Marketing\n")
    result = run(["--train", str(train)], "hi\n")
    assert result.exit_code == 2
    assert "line 3" in result.output and "Marketing" in result.output


def test_malformed_yaml_exits_2(tmp_path):
    procs = tmp_path / "p.yaml"
    procs.write_text("processes:\n  - name: A\n    keywords: {x: 1}\n")
    result = run(["--processes", str(procs)], "hi\n")
    assert result.exit_code == 2
    assert "p.yaml: line 3:" in result.output


def test_a_remark_in_another_language_is_left_unfiled_with_its_language():
    result = run([], "the invoice charged them twice\n"
                     "La facture nous a été débitée deux fois, c'est inadmissible\nok thanks\n")
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [o["language"] for o in out] == ["en", "fr", "en"]
    assert out[0]["process"] == "Billing"
    assert out[1]["process"] is None and out[1]["filed_as"] == "neutral"
