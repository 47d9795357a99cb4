"""Loading profiles: packaged ones, files, and the errors a person editing YAML will see."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from guideline_helpers import run

from pancyst.guideline import ProfileError, list_profiles, load_profile
from pancyst.guideline.profile import _parse  # uncached, so each test reads its own file

PACKAGED = Path(__file__).resolve().parents[2] / "src" / "pancyst" / "guideline" / "profiles"


def test_packaged_profiles() -> None:
    assert list_profiles() == ["acr2017", "european2018", "fukuoka2017", "kyoto2024"]
    for name in list_profiles():
        profile = load_profile(name)
        assert profile.name == name
        assert profile.version
        assert profile.recommendation
    assert load_profile() is load_profile("acr2017")  # cached
    fuk = load_profile("fukuoka2017")
    assert fuk.recommendation_from == "acr2017"
    assert fuk.recommendation == load_profile("acr2017").recommendation


def _acr_data() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((PACKAGED / "acr2017.yaml").read_text())


def _write(tmp_path: Path, data: object, name: str = "p.yaml") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return str(path)


def test_custom_profile_from_a_file_changes_a_threshold(tmp_path: Path) -> None:
    data = _acr_data()
    data["name"], data["version"] = "local", "7"
    size_rule = next(r for r in data["worrisome_features"] if r["id"] == "size_ge_30mm")
    size_rule["when"] = {"feature": "size_mm", "gte": 25}
    path = _write(tmp_path, data)
    profile = load_profile(path)
    assert (profile.name, profile.version) == ("local", "7")  # numeric version read as text
    assert run({"size_mm": 26}, profile=path).risk_category == 2
    assert run({"size_mm": 26}).risk_category == 1


def _mutate(key: str, value: object) -> dict:  # type: ignore[type-arg]
    data = _acr_data()
    data[key] = value
    return data


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: {**d, "worisome_features": []}, "worisome_features: Extra inputs are not permitted"),
        (lambda d: {k: v for k, v in d.items() if k != "version"}, "version: Field required"),
        (
            lambda d: {**d, "worrisome_features": [{"id": "x", "when": {"feature": "sise_mm", "gte": 3}}]},
            "worrisome_features.0.when: when.feature: unknown feature 'sise_mm'",
        ),
        (
            lambda d: {
                **d,
                "high_risk_stigmata": [{"id": "x", "when": {"feature": "mpd_dilated", "eq": True}}],
            },
            "high_risk_stigmata.0.when: when.eq: True is not valid for mpd_dilated",
        ),
        (
            lambda d: {**d, "recommendation": [{"id": "a", "action": "watch", "stratum": "s", "text": "t"}]},
            "recommendation.0.action",
        ),
        (
            lambda d: {
                **d,
                "recommendation": [{"id": "a", "action": "surveillance", "stratum": "s", "text": "t"}],
            },
            "recommendation.0: rule 'a': a surveillance rule needs a schedule",
        ),
        (
            lambda d: {
                **d,
                "recommendation": [
                    {"id": "a", "action": "eus_fna", "stratum": "s", "text": "t", "schedule": [[6, 1]]}
                ],
            },
            "only surveillance has a schedule",
        ),
        (
            lambda d: {**d, "worrisome_features": [*d["worrisome_features"], d["worrisome_features"][0]]},
            "duplicate rule id(s) in high_risk_stigmata/worrisome_features: size_ge_30mm",
        ),
        (
            lambda d: {
                **d,
                "worrisome_features": [{"id": "category", "when": {"feature": "size_mm", "gte": 1}}],
            },
            "reserved",
        ),
        (
            lambda d: {
                **d,
                "growth": {
                    "bands": [
                        {"prior_below_mm": 15, "increase": 0.5},
                        {"prior_below_mm": 5, "increase": 1},
                        {"increase": 0.2},
                    ]
                },
            },
            "growth: growth bands must be in ascending prior_below_mm order",
        ),
        (lambda d: {**d, "growth": {"bands": [{"prior_below_mm": 5, "increase": 1}]}}, "last growth band"),
        (lambda d: {**d, "recommendation_from": "acr2017"}, "give either it or recommendation_from"),
    ],
)
def test_malformed_profiles_name_the_bad_key(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, make(_acr_data()))
    with pytest.raises(ProfileError) as info:
        _parse(path, ())
    assert message in str(info.value)
    assert "invalid guideline profile" in str(info.value)


def test_yes_unquoted_in_yaml_is_caught(tmp_path: Path) -> None:
    text = (PACKAGED / "acr2017.yaml").read_text().replace("eq: 'yes'", "eq: yes", 1)
    with pytest.raises(ProfileError, match="quote yes/no"):
        _parse(_write(tmp_path, text), ())


@pytest.mark.parametrize(
    ("text", "message"),
    [("name: [unclosed", "not YAML"), ("- a\n- b\n", "expected a mapping")],
)
def test_unreadable_files(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        _parse(_write(tmp_path, text), ())


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(ProfileError, match="cannot read guideline profile"):
        _parse(str(path), ())


def test_unknown_profile_lists_the_packaged_ones() -> None:
    with pytest.raises(
        ProfileError,
        match=r"unknown guideline profile 'acr2018'.*acr2017, european2018, fukuoka2017, kyoto2024",
    ):
        load_profile("acr2018")


def test_recommendation_from_a_relative_file_and_cycles(tmp_path: Path) -> None:
    base = _acr_data()
    base["name"] = "base"
    _write(tmp_path, base, "base.yaml")
    child = {k: v for k, v in _acr_data().items() if k != "recommendation"}
    child.update(name="child", recommendation_from="base.yaml")
    child_path = _write(tmp_path, child, "child.yaml")
    assert _parse(child_path, ()).recommendation == load_profile("acr2017").recommendation
    loop = {k: v for k, v in _acr_data().items() if k != "recommendation"}
    loop["recommendation_from"] = str(tmp_path / "loop.yaml")
    loop_path = _write(tmp_path, loop, "loop.yaml")
    with pytest.raises(ProfileError, match="circular"):
        _parse(loop_path, ())


def test_an_optional_input_must_be_a_known_clinical_input(tmp_path: Path) -> None:
    data = _acr_data()
    data["optional_inputs"] = ["ca19_9", "blood_pressure"]
    path = _write(tmp_path, data, "bad.yaml")
    with pytest.raises(ProfileError, match=r"optional_inputs.*blood_pressure"):
        load_profile(str(path))


def test_an_alternative_must_differ_from_the_action(tmp_path: Path) -> None:
    data = _acr_data()
    rule = next(r for r in data["recommendation"] if r.get("action") == "surveillance")
    rule["alternatives"] = ["surveillance"]
    path = _write(tmp_path, data, "bad.yaml")
    with pytest.raises(ProfileError, match=r"alternative must differ"):
        load_profile(str(path))
