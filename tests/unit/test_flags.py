"""The options of run and validate, declared once for the command line and the config file."""

from __future__ import annotations

from importer.flags import FLAGS, flags_of


def test_validate_takes_every_option_but_those_only_a_run_has() -> None:
    assert flags_of("run") == FLAGS
    assert {flag.dest for flag in FLAGS} - {flag.dest for flag in flags_of("validate")} == {"dry_run", "sandbox"}


def test_each_option_has_its_own_name() -> None:
    dests = [flag.dest for flag in FLAGS]
    assert len(dests) == len(set(dests))
