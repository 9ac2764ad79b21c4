"""`earshot classify`'s input and output, driven through the `earshot` entry point: the
files a person scoring it against labelled sets would give it, and results they can join
back to their labels."""

import csv
import io
import json

from click.testing import CliRunner

from bot.cli.main import main


def run(args, stdin=None):
    return CliRunner().invoke(main, ["classify", *args], input=stdin)


def lines(result):
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_each_result_carries_its_line_so_skipped_blank_lines_do_not_shift_the_join(tmp_path):
    remarks = tmp_path / "remarks.txt"
    remarks.write_bytes(b"the invoice arrived twice\r\n\r\nnot great\r\n")
    result = run(["--input", str(remarks)])
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [(o["row"], o["text"]) for o in out] == [(1, "the invoice arrived twice"),
                                                    (3, "not great")]
    assert result.stderr == "earshot: skipped 1 blank line.\n"


def test_only_a_newline_ends_a_line_so_rows_match_a_labels_file(tmp_path):
    remarks = tmp_path / "tweets.txt"
    remarks.write_text("great, another outage\u2028again\nnot great\x85\nno complaints\n",
                       encoding="utf-8", newline="")
    out = lines(run([str(remarks)]))  # splitlines(): the output escapes U+2028 and U+0085
    assert [o["row"] for o in out] == [1, 2, 3]
    assert out[0]["text"] == "great, another outage\u2028again"
    assert out[2]["text"] == "no complaints" and out[2]["sentiment"] == "praise"
    jsonl = tmp_path / "tweets.jsonl"
    jsonl.write_text('{"text": "not great\u2028really"}\r\n{"text": "no complaints"}\r\n',
                     encoding="utf-8", newline="")
    assert [o["row"] for o in lines(run([str(jsonl)]))] == [1, 2]


def test_a_byte_order_mark_is_not_part_of_the_first_remark(tmp_path):
    bom = "\ufeffthe invoice arrived twice\n"
    remarks = tmp_path / "remarks.txt"
    remarks.write_text(bom, encoding="utf-8")
    from_file = lines(run(["--input", str(remarks)]))[0]
    from_stdin = lines(run([], bom.encode("utf-8")))[0]
    for got in (from_file, from_stdin):
        assert got["text"] == "the invoice arrived twice"
        assert got["process"] == "Billing" and got["sentiment"] == "complaint"


def test_json_lines_are_read_by_their_text_field_and_other_fields_carried(tmp_path):
    remarks = tmp_path / "remarks.jsonl"
    remarks.write_text('{"id": "a1", "text": "the invoice arrived twice", "label": 0}\n\n'
                       '{"id": "a2", "text": "Can you add SSO with Okta?", "label": 1}\n')
    result = run(["--input", str(remarks)])
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [(o["row"], o["id"], o["label"]) for o in out] == [(1, "a1", 0), (3, "a2", 1)]
    assert out[0]["text"] == "the invoice arrived twice" and out[0]["process"] == "Billing"
    assert out[1]["suggestion"] is True and out[1]["process"] != "Billing"
    array = tmp_path / "remarks.json"
    array.write_text('[{"id": 5, "text": "not great"}, {"id": 6, "text": "no complaints"}]')
    out = lines(run(["--input", str(array)]))
    assert [(o["row"], o["id"], o["sentiment"]) for o in out] == [(1, 5, "complaint"),
                                                                  (2, 6, "praise")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"body": "no text"}\n')
    result = run(["--input", str(bad)])
    assert result.exit_code == 2
    assert "bad.jsonl: line 2" in result.stderr and "--text-column" in result.stderr


def test_csv_in_csv_out_keeps_the_columns_to_score_against(tmp_path):
    remarks = tmp_path / "tweets.csv"
    remarks.write_bytes("\ufefftweet_id,airline_sentiment,sentiment,text\r\n"
                        '7,negative,neg,"the invoice\r\narrived twice"\r\n'
                        "8,positive,pos,not bad at all\r\n".encode())
    out = tmp_path / "scored.csv"
    result = run(["--input", str(remarks), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["tweet_id"] for r in rows] == ["7", "8"]
    assert [r["airline_sentiment"] for r in rows] == ["negative", "positive"]
    # The input's own "sentiment" column is kept beside Earshot's, not overwritten.
    assert [r["input_sentiment"] for r in rows] == ["neg", "pos"]
    assert [r["sentiment"] for r in rows] == ["complaint", "praise"]
    assert rows[0]["text"] == "the invoice\narrived twice" and rows[0]["row"] == "1"
    assert rows[1]["process"] == "" and rows[1]["suggestion"] == "false"
    header_only = tmp_path / "none.csv"
    header_only.write_text("text,label\n")
    result = run(["--input", str(header_only), "--format", "csv", "--themes"])
    assert result.exit_code == 0 and result.stdout.startswith("row,text,process,")
    assert result.stdout.rstrip().endswith(",language,theme,theme_label")
    jsonl = lines(run([str(remarks), "--format", "jsonl"]))  # FILE, as earshot import takes it
    assert jsonl[1]["airline_sentiment"] == "positive" and jsonl[1]["process"] is None


def test_a_file_without_a_header_or_with_another_text_column(tmp_path):
    headerless = tmp_path / "eval.csv"
    headerless.write_text('9566,"This would enable live traffic aware apps.",0\n'
                          '9569,"Please add a way to export to PDF.",1\n')
    result = run(["--input", str(headerless)])
    assert result.exit_code == 2
    assert "--text-column" in result.stderr and "--no-header" in result.stderr
    result = run(["--input", str(headerless), "--no-header", "--text-column", "2"])
    assert result.exit_code == 0, result.output
    out = lines(result)
    assert [(o["row"], o["1"], o["3"]) for o in out] == [(1, "9566", "0"), (2, "9569", "1")]
    assert out[1]["suggestion"] is True
    named = tmp_path / "named.csv"
    named.write_text("id,Review\n1,the invoice arrived twice\n")
    assert lines(run(["--input", str(named), "--text-column", "review"]))[0]["id"] == "1"
    sst = tmp_path / "sst.csv"
    sst.write_text("sentence,label\nnot great,0\n")
    result = run([str(sst), "-o", str(tmp_path / "out.tsv")])
    assert result.exit_code == 0, result.output
    assert "reading the remarks from 'sentence'" in result.stderr
    scored = list(csv.DictReader(io.StringIO((tmp_path / "out.tsv").read_text()), delimiter="\t"))
    assert (scored[0]["text"], scored[0]["label"], scored[0]["sentiment"]) == ("not great", "0",
                                                                             "complaint")
    result = run(["--input", str(named), "--text-column", "body"])
    assert result.exit_code == 2 and "no column 'body'" in result.stderr


def test_tsv_and_csv_on_standard_input():
    tsv = run(["--input-format", "tsv", "--no-header", "--text-column", "1"],
              '"not great"" at all"\t2\tx1\nthe invoice arrived twice\t3\tx2\n')
    assert tsv.exit_code == 0, tsv.output
    assert [(o["text"], o["3"]) for o in lines(tsv)] == [('not great" at all', "x1"),
                                                           ("the invoice arrived twice", "x2")]
    piped = run(["--input", "-", "--input-format", "csv"], "text,label\nnot great,neg\n")
    assert lines(piped)[0]["label"] == "neg"


def test_clear_errors_for_a_missing_file_and_a_bad_flag(tmp_path):
    result = run(["--input", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and result.stderr == f"earshot: {tmp_path / 'nope.csv'}: no such file.\n"
    commas = tmp_path / "commas.csv"
    commas.write_text("id,text\n1,fine\n2,late again, and rude\n")
    result = run([str(commas)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"earshot: {commas}: line 3: expected 2 fields, got 3 "
                             "(a cell holding a comma must be in double quotes)\n")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("ok\ncaf\xe9 was cold\n".encode("latin-1"))
    result = run(["--input", str(latin)])
    assert result.exit_code == 2 and "line 2 is not UTF-8" in result.stderr
    result = run(["--format", "xml"], "hi\n")
    assert result.exit_code == 2 and "xml" in result.output


def test_the_plain_business_remarks_of_issue_23():
    said = {
        "Acme is churning because of the price increase": ("complaint", "complaint"),
        "the invoice arrived twice": ("complaint", "complaint"),
        "not bad at all": ("praise", "praise"),
        "Can you add SSO with Okta?": ("suggestion", None),
        "any plans for a dark mode?": ("suggestion", None),
        "would be great to export to PDF": ("suggestion", None),
        "we'd pay for an API": ("suggestion", None),
        "can you resend the invoice?": ("neutral", "neutral"),
        "great, another outage": ("complaint", "complaint"),
        "love paying twice": ("complaint", "complaint"),
        "couldn't be happier": ("praise", "praise"),
        "no complaints": ("praise", "praise"),
        "not great": ("complaint", "complaint"),
    }
    result = run(["--format", "csv"], "\n".join(said) + "\n")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["text"] for r in rows] == list(said)
    got = {r["text"]: (r["filed_as"], r["sentiment"] if r["filed_as"] != "suggestion" else None)
           for r in rows}
    assert got == said
    assert rows[3]["process"] != "Billing"


def test_theme_labels_never_name_a_customer_from_the_registry_or_the_rows(tmp_path):
    said = ["{} wants a VAT number on invoices", "{} needs the VAT number on the invoice",
            "{} asks for VAT number on invoices please", "{} says the invoice arrived twice"]
    texts = [s.format(name) for name in ("Acme", "Globex") for s in said for _ in range(4)]
    remarks = tmp_path / "remarks.txt"
    remarks.write_text("\n".join(texts) + "\n")
    registry = tmp_path / "customers.yaml"
    registry.write_text("customers:\n  - name: Acme Corp\n    aliases: [Acme]\n"
                        "  - name: Globex\n")
    rows = tmp_path / "rows.csv"
    rows.write_text("customer,text\n" + "".join(f"{t.split()[0]},{t}\n" for t in texts))
    for args in (["--input", str(remarks), "--customers", str(registry)],
                 ["--input", str(rows)]):
        result = run([*args, "--themes"])
        assert result.exit_code == 0, result.output
        labels = {o["theme_label"] for o in lines(result)}
        assert labels and None not in labels
        assert not any(n in (label or "").casefold() for label in labels
                       for n in ("acme", "globex")), labels
    result = run(["--input", str(remarks), "--customers", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "none.yaml: no such file." in result.stderr


def test_the_file_is_named_once():
    result = run(["a.csv", "--input", "b.csv"])
    assert result.exit_code == 2 and "FILE or --input FILE" in result.stderr


def test_two_themes_that_share_only_one_word_get_different_names(tmp_path):
    """Issue 23 item 4: two themes of one process whose members share one word ("invoice")
    were both named "invoice"; each now carries a phrase of its own members beside it."""
    said = ["the invoice total is wrong", "invoice shows an incorrect amount",
            "the invoice never arrived", "no invoice received yet",
            "invoice still missing from my inbox", "we never got the invoice email",
            "the refund for the cancelled order took three weeks",
            "still waiting on the refund for a cancelled order"]
    remarks = tmp_path / "remarks.txt"
    remarks.write_text("\n".join(said) + "\n")
    result = run(["--input", str(remarks), "--themes"])
    assert result.exit_code == 0, result.output
    got = {o["text"]: (o["theme"], o["theme_label"]) for o in lines(result)}
    wrong, missing = got[said[0]], got[said[2]]
    assert got[said[1]] == wrong and got[said[3]] == missing and wrong[0] != missing[0], got
    names = {theme: name for theme, name in got.values()}
    assert len(set(names.values())) == len(names), names  # no two themes share a name
    assert "invoice" in wrong[1] and "amount" in wrong[1], wrong
    assert "invoice" in missing[1] and "arrived" in missing[1], missing


def test_ideas_asked_as_questions_end_to_end():
    # issue 23 item 2, fifth pass: the product owner's ideas asked as questions, wishes and
    # offers are filed as ideas; support, how-to and status questions are not.
    ideas = ["Can you add SSO with Okta?", "any plans for a dark mode?",
             "would be great to export to PDF", "we'd pay for an API",
             "is there a way to get alerts in Teams?",
             "it would save us hours if the report could be scheduled",
             "have you considered a yearly plan?"]
    others = ["can you resend the invoice?", "can you reset my password?", "is the API down?",
              "how do I export to PDF?", "when will my refund arrive?"]
    result = run([], "\n".join(ideas + others) + "\n")
    assert result.exit_code == 0, result.output
    got = {o["text"]: (o["filed_as"], o["suggestion"]) for o in lines(result)}
    assert got == {**{t: ("suggestion", True) for t in ideas},
                   **{t: (got[t][0], False) for t in others}}
    assert all(got[t][0] != "suggestion" for t in others)


def test_the_language_field_names_short_remarks_in_other_languages(tmp_path):
    """A checker's short non-English remarks: each keeps its language and is left unfiled;
    short English ones stay "en"."""
    remarks = tmp_path / "short.txt"
    remarks.write_text("très lent\nmerci\nmuy lento\nnão funciona\n遅い\nstill waiting\nlol\n",
                       encoding="utf-8")
    out = lines(run([str(remarks)]))
    assert [o["language"] for o in out] == ["fr", "fr", "es", "pt", "ja", "en", "en"]
    assert all(o["process"] is None and o["sentiment"] == "neutral" for o in out[:5])
    assert out[5]["sentiment"] == "complaint"


def test_a_semicolon_separated_csv_is_read_as_such(tmp_path):
    """HWU64's files, and Excel's CSV where the decimal mark is a comma, separate fields with
    ';': it was one column named 'answerid;scenario;...', refused, or a quoted cell 'malformed'."""
    hwu = tmp_path / "alarm_query.csv"
    hwu.write_text('answerid;scenario;intent;answer_from_anno\n'
                   '25968;alarm;query;"tell me, when is my alarm"\n', encoding="utf-8")
    result = run([str(hwu), "--text-column", "answer_from_anno"])
    assert result.exit_code == 0, result.output
    [out] = lines(result)
    assert (out["text"], out["intent"], out["answerid"]) == ("tell me, when is my alarm",
                                                               "query", "25968")
    assert "separated by ';'" in result.stderr
    comma = tmp_path / "remarks.csv"  # commas stay commas, a ';' inside a remark or not
    comma.write_text('text,label\nstill waiting; again,neg\n', encoding="utf-8")
    [out] = lines(run([str(comma)]))
    assert (out["text"], out["label"]) == ("still waiting; again", "neg")


def test_a_json_field_is_found_as_a_csv_column_is(tmp_path):
    """Any case ("Text"), or the one usual name for remarks ("sentence", "message"), as a
    CSV's header is read; these exited 2."""
    upper = tmp_path / "upper.jsonl"
    upper.write_text('{"Text": "still waiting", "label": 0}\n', encoding="utf-8")
    [out] = lines(run([str(upper)]))
    assert (out["text"], out["label"]) == ("still waiting", 0)
    usual = tmp_path / "sst.jsonl"
    usual.write_text('{"sentence": "still waiting", "label": 0}\n'
                     '{"sentence": "no complaints", "label": 1}\n', encoding="utf-8")
    result = run([str(usual)])
    assert result.exit_code == 0, result.output
    assert [(o["text"], o["label"]) for o in lines(result)] == [("still waiting", 0),
                                                                ("no complaints", 1)]
    assert result.stderr.count('reading the remarks from "sentence"') == 1
    both = tmp_path / "both.jsonl"  # two usual names: which one is not guessed
    both.write_text('{"message": "a", "comment": "b"}\n', encoding="utf-8")
    result = run([str(both)])
    assert result.exit_code == 2 and 'no "text" field' in result.output


def test_an_ideas_score_is_its_tones_not_the_idea_detectors_confidence():
    """`score` is the tone, -1..1, for every row: an idea's was its suggestion_confidence, so
    "we'd pay for an API" read "sentiment": "complaint" beside "score": 0.899."""
    out = lines(run([], "we'd pay for an API\nCan you add SSO with Okta?\nstill waiting\n"))
    assert [o["filed_as"] for o in out] == ["suggestion", "suggestion", "complaint"]
    for o in out:
        sign = {"complaint": -1, "praise": 1}.get(o["sentiment"])
        assert sign is None or o["score"] * sign > 0, o
    assert out[0]["score"] != out[0]["suggestion_confidence"]
    assert abs(out[1]["score"]) < 0.5 and out[1]["sentiment"] == "neutral"


def test_a_utf16_file_and_a_cell_over_128_kib_are_read(tmp_path):
    """Excel's "Unicode text" is UTF-16 with a byte-order mark (it exited 2, "not UTF-8");
    a CSV cell longer than the csv module's default 131,072 characters exited 2 too."""
    u16 = tmp_path / "remarks.tsv"
    u16.write_text("text\tlabel\r\ntrès lent\tneg\r\nstill waiting\tneg\r\n", encoding="utf-16")
    result = run([str(u16)])
    assert result.exit_code == 0, result.output
    assert [(o["text"], o["label"], o["language"]) for o in lines(result)] == [
        ("très lent", "neg", "fr"), ("still waiting", "neg", "en")]
    big = tmp_path / "big.csv"
    big.write_text('text,label\n"' + "the export is slow " * 8000 + '",neg\n', encoding="utf-8")
    result = run([str(big)])
    assert result.exit_code == 0, result.output
    [out] = lines(result)
    assert len(out["text"]) == 19 * 8000 and out["label"] == "neg"
    latin1 = tmp_path / "latin1.txt"  # other encodings are not guessed: one line, exit 2
    latin1.write_bytes("still waiting\ntrès lent\n".encode("latin-1"))
    result = run([str(latin1)])
    assert result.exit_code == 2 and "line 2 is not UTF-8 text" in result.stderr


def test_a_tsv_written_without_quoting_keeps_a_remark_that_starts_with_a_quote(tmp_path):
    """Many TSV sets quote nothing: a remark starting with '"' exited 2 ("malformed CSV")."""
    raw = tmp_path / "dev.tsv"
    raw.write_text('sentence\tlabel\n"best day ever," said nobody\t0\nstill waiting\t0\n'
                   'the "new" plan\t1\n', encoding="utf-8")
    result = run([str(raw)])
    assert result.exit_code == 0, result.output
    assert [(o["text"], o["label"]) for o in lines(result)] == [
        ('"best day ever," said nobody', "0"), ("still waiting", "0"), ('the "new" plan', "1")]
    assert "read without quoting" in result.stderr
    quoted = tmp_path / "quoted.tsv"  # a quoted TSV (pandas, GoEmotions) is read as before
    quoted.write_text('text\tlabel\n"""drop the beat"" now"\t2\n"two\nlines"\t1\n', encoding="utf-8")
    result = run([str(quoted)])
    assert [(o["text"], o["label"]) for o in lines(result)] == [('"drop the beat" now', "2"),
                                                                ("two\nlines", "1")]
    assert "without quoting" not in result.stderr
    bad = tmp_path / "bad.csv"  # a CSV is not guessed at: its bad quote is named by line
    bad.write_text('text,label\n"bad"x,1\n', encoding="utf-8")
    result = run([str(bad)])
    assert result.exit_code == 2 and "bad.csv: line 2: malformed CSV" in result.stderr


def test_numbers_as_json_text_and_the_options_files_errors_read_like_the_inputs(tmp_path):
    """A JSON remark typed as a number ("text": 5) exited 2; a missing --processes or --train
    file printed Python's "[Errno 2] No such file or directory" rather than the input's one line."""
    remarks = tmp_path / "scores.jsonl"
    remarks.write_text('{"text": 12345}\n{"text": 3.5}\n', encoding="utf-8")
    result = run([str(remarks)])
    assert result.exit_code == 0, result.output
    assert [o["text"] for o in lines(result)] == ["12345", "3.5"]
    for option in ("--processes", "--train"):
        missing = tmp_path / "missing.file"
        result = run([option, str(missing)], "still waiting\n")
        assert result.exit_code == 2 and result.stderr == f"earshot: {missing}: no such file.\n"
    train = tmp_path / "train.csv"
    train.write_text("text,process\nthe invoice arrived twice,Invoices\n", encoding="utf-8")
    result = run(["--train", str(train)], "still waiting\n")
    assert result.exit_code == 2 and "unknown process 'Invoices' (processes: " in result.stderr
    assert "Billing" in result.stderr


def test_usual_column_names_are_found_whatever_their_spacing(tmp_path):
    """"Review Text" (the clothing-reviews set), "comment_text" (Jigsaw), "review_body"
    (Amazon reviews), a survey's "Verbatim": each exited 2 "missing column(s) text"."""
    for column in ("Review Text", "comment_text", "review_body", "Verbatim"):
        remarks = tmp_path / "r.csv"
        remarks.write_text(f'Rating,"{column}"\n1,still waiting\n', encoding="utf-8")
        result = run([str(remarks)])
        assert result.exit_code == 0, (column, result.output)
        [out] = lines(result)
        assert (out["text"], out["Rating"]) == ("still waiting", "1")
        assert f"reading the remarks from '{column}'" in result.stderr


def test_a_csv_or_json_lines_piped_in_is_read_as_such_not_as_remarks(tmp_path):
    """`cat test.csv | earshot classify` (pandas' to_csv: an unnamed index column, a quoted
    cell over two lines) and `cat test.jsonl | earshot classify` (Hugging Face's to_json)
    classified the header and each JSON object as remarks: one row too many, no label."""
    piped_csv = ',text,label\n0,"the invoice\narrived twice",12\n1,not bad at all,3\n'
    result = run([], piped_csv)
    assert result.exit_code == 0, result.output
    assert [(o["row"], o[""], o["label"], o["text"]) for o in lines(result)] == [
        (1, "0", "12", "the invoice\narrived twice"), (2, "1", "3", "not bad at all")]
    assert "standard input: read as CSV" in result.stderr
    piped_jsonl = '{"text": "the invoice arrived twice", "label": 12}\n{"text": "ok", "label": 3}\n'
    out = lines(run([], piped_jsonl))
    assert [(o["text"], o["label"]) for o in out] == [("the invoice arrived twice", 12),
                                                       ("ok", 3)]
    out = lines(run([], 'sentence\tlabel\nstill waiting\t0\n'))  # a TSV, by its usual name
    assert [(o["text"], o["label"]) for o in out] == [("still waiting", "0")]
    # a .txt file is guessed at the same way; remarks that look like neither stay remarks
    named = tmp_path / "remarks.txt"
    named.write_text("text,label\nstill waiting,0\n", encoding="utf-8")
    assert [o["text"] for o in lines(run([str(named)]))] == ["still waiting"]
    for plain in ("Hello, world\nnot bad at all\n", "[urgent] invoice wrong\n{braces}\n",
                  "Comment, please\n", "Feedback, comments\nstill waiting, again\n"):
        result = run([], plain)
        assert [o["text"] for o in lines(result)] == plain.splitlines(), plain
        assert "read as" not in result.stderr
    result = run(["--input-format", "lines"], piped_jsonl)  # asked for lines: lines
    assert lines(result)[0]["text"].startswith('{"text"')
