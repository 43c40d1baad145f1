"""Policy files: the shipped ones load; errors name the file, the clause and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.config import PROJECT_ROOT
from moderation.enums import ClauseKind, CoralCategory
from moderation.errors import PolicyError
from moderation.policy.loader import load_policies, load_policy

GOOD_CLAUSE = '[[clauses]]\nid = "obscene"\ntitle = "No obscenity"\nreason = "r"\nlabels = [{ label = "obscene", review = 0.5 }]\n'


def write(tmp_path: Path, body: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_policies_cover_every_clause():
    policies = load_policies(PROJECT_ROOT / "policies")
    default = policies["default"]
    assert default.clause("defamatory").lane.value == "legal"
    links = default.clause("outside_links")
    assert (links.kind, links.coral_category) == (ClauseKind.CHECK, CoralCategory.SPAM)
    assert default.clause("obscene").kind is ClauseKind.HARM  # the defaults: a harm, filed by Coral as toxic
    assert default.clause("obscene").coral_category is CoralCategory.TOXIC


def test_the_coordinated_signal_is_read_and_off_by_default(tmp_path):
    body = 'name = "x"\nversion = "1"\n[moderation]\ncoordinated = { size = 5, window_minutes = 30 }\n' + GOOD_CLAUSE
    coordinated = load_policy(write(tmp_path, body)).moderation.coordinated
    assert (coordinated.size, coordinated.window_minutes) == (5, 30)
    default = load_policy(write(tmp_path, 'name = "x"\nversion = "1"\n' + GOOD_CLAUSE, "plain.toml"))
    assert default.moderation.coordinated.size == 0
    assert default.moderation.surge.min_comments == 0  # the surge watch is off too


def test_the_surge_watch_is_read(tmp_path):
    body = ('name = "x"\nversion = "1"\n[moderation.surge]\nmin_comments = 20\nheld_share = 0.5\n'
            'report_rate = 0.3\npremoderate = true\n' + GOOD_CLAUSE)
    surge = load_policy(write(tmp_path, body)).moderation.surge
    assert (surge.min_comments, surge.window_minutes, surge.held_share, surge.report_rate, surge.premoderate) == (
        20, 60, 0.5, 0.3, True)


def test_error_names_file_clause_and_field(tmp_path):
    path = write(tmp_path, 'name = "x"\nversion = "1"\n' + GOOD_CLAUSE +
                 '[[clauses]]\nid = "personal_attack"\ntitle = "t"\nreason = "r"\n'
                 'labels = [{ label = "insult", review = 1.5 }]\n')
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    message = str(info.value)
    assert str(path) in message
    assert "clause 'personal_attack'" in message
    assert "review" in message and "labels" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE.replace('id = "obscene"', 'id = "No spam!"'), "id"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE + 'kind = "worry"\n', "kind"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE + 'coral_category = "rude"\n', "coral_category"),
        ('name = "x"\nversion = "1"\ncolour = "red"\n' + GOOD_CLAUSE, "colour"),
        ('name = "x"\n' + GOOD_CLAUSE, "version"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE.replace('label = "obscene", review = 0.5', 'label = "obscene"'), "review"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE.replace("labels =", 'detectors = [{ signal = "ufo", action = "review" }]\nlabels ='), "signal"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE + GOOD_CLAUSE, "repeated"),
        ('name = "x"\nversion = "1"\n[moderation]\npremoderate = "sometimes"\n' + GOOD_CLAUSE, "premoderate"),
        ("name = [", "site.toml"),
        ('name = "x"\nversion = "1"\n' + GOOD_CLAUSE.replace('label = "obscene"', 'label = "obscnee"'), "label.*Must be one of"),
        ('name = "x"\nversion = "1"\n[moderation]\nreview_languages = ["hindi"]\n' + GOOD_CLAUSE, "review_languages"),
        ('name = "x"\nversion = "1"\nclauses = ["obscene"]\n', "clause '#1'"),  # a name where a table belongs
        ('name = "x"\nversion = "1"\n[moderation]\ncoordinated = { size = -1 }\n' + GOOD_CLAUSE, "coordinated > size"),
        ('name = "x"\nversion = "1"\n[moderation]\ncoordinated = { minutes = 5 }\n' + GOOD_CLAUSE, "minutes"),
        ('name = "x"\nversion = "1"\n[moderation.surge]\nheld_share = 2\n' + GOOD_CLAUSE, "held_share"),
    ],
)
def test_invalid_policies_are_refused(tmp_path, body, expected):
    with pytest.raises(PolicyError, match=expected):
        load_policy(write(tmp_path, body))


def test_directory_without_policies_is_an_error(tmp_path):
    with pytest.raises(PolicyError, match="no policy files"):
        load_policies(tmp_path)


def test_a_directory_without_the_default_policy_is_an_error(tmp_path):
    write(tmp_path, 'name = "strict"\nversion = "1"\n' + GOOD_CLAUSE)
    assert set(load_policies(tmp_path, "strict")) == {"strict"}
    with pytest.raises(PolicyError, match="no policy named 'default' .*named strict"):
        load_policies(tmp_path, "default")


def test_a_clause_on_a_label_the_model_does_not_give_is_an_error(tmp_path):
    from moderation.policy.loader import check_labels

    write(tmp_path, 'name = "x"\nversion = "1"\n' + GOOD_CLAUSE.replace('"obscene", review', '"severe_toxicity", review'))
    policies = load_policies(tmp_path).values()
    check_labels(policies, "detoxify-original", ("toxicity", "severe_toxicity", "obscene"))
    with pytest.raises(PolicyError, match="(?s)clause 'obscene' uses label 'severe_toxicity'.*bundled-minilm gives"):
        check_labels(policies, "bundled-minilm", ("toxicity", "obscene", "insult", "threat", "identity_attack"))


def test_duplicate_names_are_refused(tmp_path):
    write(tmp_path, 'name = "x"\nversion = "1"\n' + GOOD_CLAUSE, "a.toml")
    write(tmp_path, 'name = "x"\nversion = "2"\n' + GOOD_CLAUSE, "b.toml")
    with pytest.raises(PolicyError, match="already used"):
        load_policies(tmp_path)


def test_unknown_word_list_is_refused(tmp_path):
    path = write(tmp_path, 'name = "x"\nversion = "1"\nwordlists = ["en", "klingon"]\n' + GOOD_CLAUSE)
    with pytest.raises(PolicyError, match="klingon"):
        load_policy(path)
