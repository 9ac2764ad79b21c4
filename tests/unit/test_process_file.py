"""Process registry YAML: parsing, validation errors with line numbers, dumping."""

import pytest

from bot.domain.processes.process_file import (
    ProcessDef,
    ProcessFileError,
    dump_processes,
    load_processes,
    load_starter_processes,
)

GOOD = """\
processes:
  - name: Billing
    description: Invoices, charges, refunds and payment methods
    keywords: [invoice, refund, charge, payment]
    owner: U0123ABCD
    archived: false
  - name: Delivery
    keywords: shipping, courier ,  tracking
    archived: true
"""


def test_load_good_file():
    defs = load_processes(GOOD)
    assert defs[0] == ProcessDef("Billing", "Invoices, charges, refunds and payment methods",
                                 ("invoice", "refund", "charge", "payment"), "U0123ABCD", False)
    assert defs[1] == ProcessDef("Delivery", "", ("shipping", "courier", "tracking"), None, True)


def test_round_trip():
    defs = load_processes(GOOD)
    assert load_processes(dump_processes(defs)) == defs


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("processes:\n  - name: A\n    keywords: {a: 1}\n", 3, "'keywords' must be a list"),
        ("processes:\n  - name: A\n  - name: a\n", 3, "duplicate process name"),
        ("processes:\n  - name: A\n    colour: red\n", 3, "unknown key 'colour'"),
        ("processes:\n  - name: A\n    description: [x\n", 4, "not valid YAML"),
        ("processes:\n  - description: no name\n", 2, "no 'name'"),
        ("processes:\n  - name: ''\n", 2, "must not be empty"),
        ("processes:\n  - name: " + "x" * 81 + "\n", 2, "longer than 80"),
        ("processes:\n  - name: A\n    archived: maybe\n", 3, "'archived' must be true or false"),
        ("processes: hello\n", 1, "must be a list"),
        ("- name: A\n", 1, "expected a mapping"),
        ("", 1, "expected a mapping"),
        ("procs: []\n", 1, "unknown key 'procs'"),
    ],
)
def test_errors_name_the_line(text, line, fragment):
    with pytest.raises(ProcessFileError) as info:
        load_processes(text)
    assert str(info.value).startswith(f"line {line}:"), str(info.value)
    assert fragment in str(info.value)
    assert info.value.line == line


def test_starter_set_loads():
    defs = load_starter_processes()
    names = [d.name for d in defs]
    assert names == ["Onboarding", "Billing", "Support", "Product quality", "Delivery"]
    for d in defs:
        assert d.description
        assert 8 <= len(d.keywords) <= 15
